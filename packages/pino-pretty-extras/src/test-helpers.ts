import { formatRecord } from './format-record';
import { parseOptions, type PrettyExtrasOptions, type Runtime } from './options';

/** A runtime with no colour hints and no TTY, so tests do not depend on the terminal running them. */
export const PLAIN_RUNTIME: Runtime = Object.freeze({ env: {}, isTTY: () => false });

/** 2025-12-13T12:30:45.123Z, the seed's example time. */
export const SEED_TIME = Date.UTC(2025, 11, 13, 12, 30, 45, 123);

/** Formats one record with the given options and no colour (unless asked). */
export function format(record: Record<string, unknown>, options: PrettyExtrasOptions = {}): string {
  return formatRecord(record, parseOptions(options, PLAIN_RUNTIME));
}

/** A pino-shaped record: what pino writes before the logged fields. */
export function pinoRecord(fields: Record<string, unknown>, msg?: string): Record<string, unknown> {
  const head = { level: 30, time: SEED_TIME, pid: 4242, hostname: 'box', name: 'app' };
  return msg === undefined ? { ...head, ...fields } : { ...head, ...fields, msg };
}
