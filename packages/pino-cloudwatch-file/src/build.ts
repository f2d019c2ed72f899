import { parentPort, workerData } from 'node:worker_threads';
import { validateOptions, type CloudWatchFileOptions } from './options';
import { expectsPinoConfig, listenForPinoConfig, PINO_CONFIG_WAIT_MS } from './pino-config';
import { CloudWatchFileStream } from './transport';

/**
 * The transport: `pino.transport({ target: 'pino-cloudwatch-file', options })`, or in-process
 * `pino(opts, await build(options))`. Options are checked here, once; bad ones throw.
 *
 * pino sends the logger's levels, messageKey and errorKey once `pino(opts, transport)` has run
 * (pino-cloudwatch-file/pino-config, shared with pino-pretty-extras, listens on the stream and on the
 * worker's port). The stream is returned (and the transport `ready`) at once, without waiting for
 * that message, so awaiting `ready` before calling `pino()` cannot hang; in a worker, lines that
 * arrive before it are held and written as soon as it comes — or after PINO_CONFIG_WAIT_MS, at flush
 * or at end, with what is known (the options, pino's `levels` in a targets transport, pino's
 * defaults), if it does not.
 */
export async function build(options: CloudWatchFileOptions): Promise<CloudWatchFileStream> {
  const validated = validateOptions(options);
  const fromWorker = (workerData as { workerData?: { levels?: unknown } } | null)?.workerData;
  // In a `targets` transport pino hands the logger's custom levels to the worker as `levels`.
  const workerLevels =
    parentPort !== null && validated.levels === undefined ? levelMap(fromWorker?.levels) : undefined;
  const settings =
    workerLevels === undefined ? validated : Object.freeze({ ...validated, levels: workerLevels });
  const explicit = validated.levels !== undefined;
  const stream = new CloudWatchFileStream(settings, {
    waitForConfigMs: expectsPinoConfig() && !explicit ? PINO_CONFIG_WAIT_MS : 0,
    // In a worker thread-stream hands its shared buffer back when `write` returns: return at once.
    shapeLater: parentPort !== null,
  });
  const stopListening = listenForPinoConfig(stream, ({ levels, messageKey, errorKey }) => {
    stream.configure({
      levels: explicit ? settings.levels : (levels?.values ?? settings.levels),
      messageKey: settings.messageKey ?? messageKey,
      errorKey: settings.errorKey ?? errorKey,
    });
  });
  stream.once('close', stopListening);
  return stream;
}

/** How long lines wait for pino's config; the toolkit's one wait, PINO_CONFIG_WAIT_MS (`pino-cloudwatch-file/pino-config`). */
export const CONFIG_WAIT_MS = PINO_CONFIG_WAIT_MS;

function levelMap(value: unknown): Readonly<Record<string, number>> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, n]) => typeof n === 'number');
  return entries.length > 0
    ? Object.freeze(Object.fromEntries(entries) as Record<string, number>)
    : undefined;
}
