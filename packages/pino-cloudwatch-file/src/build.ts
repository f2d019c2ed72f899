import { parentPort, workerData } from 'node:worker_threads';
import { validateOptions, type CloudWatchFileOptions } from './options';
import type { LoggerConfig } from './shape';
import { CloudWatchFileStream } from './transport';

interface PinoConfigMessage {
  code?: unknown;
  config?: LoggerConfig;
}

/**
 * The transport: `pino.transport({ target: 'pino-cloudwatch-file', options })`, or in-process
 * `pino(opts, await build(options))`. Options are checked here, once; bad ones throw.
 *
 * pino sends the logger's levels, messageKey and errorKey to the worker once `pino(opts, transport)`
 * has run. The stream is returned (and the transport `ready`) at once, without waiting for that
 * message, so awaiting `ready` before calling `pino()` cannot hang; lines that arrive before it are
 * held and written as soon as it comes — or after CONFIG_WAIT_MS, at flush or at end, with what is
 * known (the options, pino's `levels` in a targets transport, pino's defaults), if it does not.
 */
export async function build(options: CloudWatchFileOptions): Promise<CloudWatchFileStream> {
  const validated = validateOptions(options);
  const fromWorker = (
    workerData as { workerData?: { pinoWillSendConfig?: boolean; levels?: unknown } } | null
  )?.workerData;
  // In a `targets` transport pino hands the logger's custom levels to the worker as `levels`.
  const workerLevels =
    parentPort !== null && validated.levels === undefined ? levelMap(fromWorker?.levels) : undefined;
  const settings =
    workerLevels === undefined ? validated : Object.freeze({ ...validated, levels: workerLevels });
  const explicit = validated.levels !== undefined;
  const pinoWillSend = parentPort !== null && fromWorker?.pinoWillSendConfig === true;
  const stream = new CloudWatchFileStream(settings, {
    waitForConfigMs: pinoWillSend && !explicit ? CONFIG_WAIT_MS : 0,
    // In a worker thread-stream hands its shared buffer back when `write` returns: return at once.
    shapeLater: parentPort !== null,
  });
  if (pinoWillSend && parentPort !== null) {
    const port = parentPort;
    const onMessage = (message: PinoConfigMessage): void => {
      if (message?.code !== 'PINO_CONFIG' || message.config === undefined) return;
      port.off('message', onMessage);
      const { levels, messageKey, errorKey } = message.config as {
        levels?: { values?: Record<string, number> };
        messageKey?: string;
        errorKey?: string;
      };
      stream.configure({
        levels: explicit ? settings.levels : (levels?.values ?? settings.levels),
        messageKey: settings.messageKey ?? messageKey,
        errorKey: settings.errorKey ?? errorKey,
      });
    };
    port.on('message', onMessage);
    stream.once('close', () => port.off('message', onMessage));
  }
  return stream;
}

/**
 * How long lines wait for pino's config message before they are written with what is known. In a
 * `targets` transport another target can start the worker's message port before this one listens,
 * and the message is then gone: waiting for it forever would keep every line in memory.
 */
export const CONFIG_WAIT_MS = 200;

function levelMap(value: unknown): Readonly<Record<string, number>> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, n]) => typeof n === 'number');
  return entries.length > 0
    ? Object.freeze(Object.fromEntries(entries) as Record<string, number>)
    : undefined;
}
