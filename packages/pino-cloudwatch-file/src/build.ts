import { parentPort } from 'node:worker_threads';
import { PINO_DEFAULT_LEVELS } from './levels';
import { validateOptions, type CloudWatchFileOptions } from './options';
import {
  CONFIG_ARRIVED_LATE,
  ConfigWait,
  configFallbackMessage,
  expectsPinoConfig,
  hostLevels,
  hostLevelsMismatch,
  listenForPinoConfig,
  PINO_CONFIG_WAIT_MS,
} from './pino-config';
import { Reporter } from './reporter';
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
  const reporter = new Reporter();
  const validated = validateOptions(options);
  const explicit = validated.levels !== undefined;
  // In a `targets` transport pino hands the logger's custom levels to the worker as `levels`: a
  // fallback for when its config message does not reach this target, checked when it does.
  const fromHost = parentPort !== null && !explicit ? hostLevels((text) => reporter.note(text)) : undefined;
  const settings = fromHost === undefined ? validated : Object.freeze({ ...validated, levels: fromHost });
  const waiting = expectsPinoConfig() && !explicit;
  const streamOptions = {
    waitForConfigMs: waiting ? PINO_CONFIG_WAIT_MS : 0,
    reporter,
    // In a worker thread-stream hands its shared buffer back when `write` returns: return at once.
    shapeLater: parentPort !== null,
  };
  const stream = waiting
    ? new ConfigWaitingStream(settings, streamOptions)
    : new CloudWatchFileStream(settings, streamOptions);

  // The stream holds early lines and writes them after the wait; this only says so, once.
  let fellBack = false;
  const reportFallback = (): void => {
    fellBack = true;
    reporter.note(
      configFallbackMessage({
        levels: fromHost,
        levelsFrom: fromHost === undefined ? 'defaults' : 'worker data',
        messageKey: settings.messageKey ?? 'msg',
        errorKey: settings.errorKey ?? 'err',
      }),
    );
  };
  const wait = new ConfigWait(reportFallback);
  if (stream instanceof ConfigWaitingStream) stream.onFirstWrite = () => wait.firstLine();

  const stopListening = listenForPinoConfig(stream, (config) => {
    wait.settle();
    if (fellBack) reporter.note(CONFIG_ARRIVED_LATE);
    const mismatch = fromHost && hostLevelsMismatch(fromHost, config, PINO_DEFAULT_LEVELS);
    if (mismatch) reporter.note(mismatch);
    const { levels, messageKey, errorKey } = config;
    stream.configure({
      levels: explicit ? settings.levels : (levels?.values ?? settings.levels),
      messageKey: settings.messageKey ?? messageKey,
      errorKey: settings.errorKey ?? errorKey,
    });
  });
  stream.once('close', () => {
    stopListening();
    // Ended inside the wait: the held lines were written with what was known.
    if (wait.pending) reportFallback();
    wait.settle();
  });
  return stream;
}

/** The stream of a worker that expects pino's config: its first write starts the wait's clock. */
class ConfigWaitingStream extends CloudWatchFileStream {
  onFirstWrite: (() => void) | undefined;

  override _write(
    chunk: string | Buffer,
    encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    const first = this.onFirstWrite;
    if (first !== undefined) {
      this.onFirstWrite = undefined;
      first();
    }
    super._write(chunk, encoding, callback);
  }
}

/** How long lines wait for pino's config; the toolkit's one wait, PINO_CONFIG_WAIT_MS (`pino-cloudwatch-file/pino-config`). */
export const CONFIG_WAIT_MS = PINO_CONFIG_WAIT_MS;
