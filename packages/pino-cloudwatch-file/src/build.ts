import { parentPort } from 'node:worker_threads';
import { PINO_CONFIG_WAIT_MS, pinoConfigHandshake } from 'pino-cloudwatch-core';
import { validateOptions, type CloudWatchFileOptions, type Settings } from './options';
import { Reporter } from './reporter';
import { CloudWatchFileStream } from './transport';

/**
 * The transport: `pino.transport({ target: 'pino-cloudwatch-file', options })`, or in-process
 * `pino(opts, await build(options))`. Options are checked here, once; bad ones throw.
 *
 * pino sends the logger's levels, messageKey and errorKey once `pino(opts, transport)` has run; the
 * exchange is pino-cloudwatch-core's `pinoConfigHandshake`, shared with pino-pretty-extras. The
 * stream is returned (and the transport `ready`) at once, without waiting for that message, so
 * awaiting `ready` before calling `pino()` cannot hang; in a worker, lines that arrive before it are
 * held and written as soon as it comes — or after PINO_CONFIG_WAIT_MS, at flush or at end, with what
 * is known (the options, pino's `levels` in a targets transport, pino's defaults), if it does not.
 */
export async function build(options: CloudWatchFileOptions): Promise<CloudWatchFileStream> {
  const reporter = new Reporter();
  const validated = validateOptions(options);
  const explicit = validated.levels !== undefined;
  let settings: Settings = validated;
  const handshake = pinoConfigHandshake({
    // Levels named in the options win: neither pino's worker data nor its config is waited for.
    useHostLevels: parentPort !== null && !explicit,
    hold: !explicit,
    report: (text) => reporter.note(text),
    // The stream holds early lines and writes them after the wait; this only says what with.
    onFallback: (fromHost) => ({
      levels: fromHost,
      levelsFrom: fromHost === undefined ? 'defaults' : 'worker data',
      messageKey: settings.messageKey ?? 'msg',
      errorKey: settings.errorKey ?? 'err',
    }),
    // Only after listen(), below: the stream exists by then.
    onConfig: ({ levels, messageKey, errorKey }) =>
      stream.configure({
        levels: explicit ? settings.levels : (levels?.values ?? settings.levels),
        messageKey: settings.messageKey ?? messageKey,
        errorKey: settings.errorKey ?? errorKey,
      }),
  });
  // In a `targets` transport pino hands the logger's custom levels to the worker as `levels`: a
  // fallback for when its config message does not reach this target, checked when it does.
  if (handshake.hostLevels !== undefined)
    settings = Object.freeze({ ...validated, levels: handshake.hostLevels });
  const streamOptions = {
    waitForConfigMs: handshake.holding ? PINO_CONFIG_WAIT_MS : 0,
    reporter,
    // In a worker thread-stream hands its shared buffer back when `write` returns: return at once.
    shapeLater: parentPort !== null,
  };
  const stream = handshake.holding
    ? new ConfigWaitingStream(settings, streamOptions, () => handshake.lineHeld())
    : new CloudWatchFileStream(settings, streamOptions);
  handshake.listen(stream);
  stream.once('close', () => handshake.end());
  return stream;
}

/** The stream of a worker that expects pino's config: its first write starts the wait's clock. */
class ConfigWaitingStream extends CloudWatchFileStream {
  constructor(
    settings: Settings,
    options: ConstructorParameters<typeof CloudWatchFileStream>[1],
    private onFirstWrite: (() => void) | undefined,
  ) {
    super(settings, options);
  }

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
