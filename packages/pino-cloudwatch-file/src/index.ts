import { parentPort, workerData } from 'node:worker_threads';
import { validateOptions, type CloudWatchFileOptions } from './options';
import type { LoggerConfig } from './shape';
import { CloudWatchFileStream } from './transport';

export { validateOptions } from './options';
export type { CloudWatchFileOptions, Frequency, RetentionOptions, Settings } from './options';
export { periodOf, parseSuffix, formatSuffix, type Period } from './period';
export { RecordShaper, CORE_KEYS, type LoggerConfig, type ShapeConfig } from './shape';
export { selectForDeletion, familyMembers, type FamilyFile } from './retention';
export { fitToLimit } from './truncate';
export { CloudWatchFileStream } from './transport';

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
 * held and written as soon as it comes (or at flush/end, with pino's defaults, if it never does).
 */
export default async function build(options: CloudWatchFileOptions): Promise<CloudWatchFileStream> {
  const settings = validateOptions(options);
  const explicit = settings.levels !== undefined;
  const pinoWillSend =
    parentPort !== null &&
    (workerData as { workerData?: { pinoWillSendConfig?: boolean } } | null)?.workerData
      ?.pinoWillSendConfig === true;
  const stream = new CloudWatchFileStream(settings, { waitForConfig: pinoWillSend && !explicit });
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
