import type { Transform } from 'node:stream';
import abstractTransport from 'pino-abstract-transport';
import {
  expectsPinoConfig,
  listenForPinoConfig,
  PINO_CONFIG_WAIT_MS,
} from 'pino-cloudwatch-file/pino-config';
import { openDestination, type Destination } from './destination';
import { formatRecord } from './format-record';
import {
  parseOptions,
  withPinoConfig,
  type FormatContext,
  type PinoConfig,
  type PrettyExtrasOptions,
} from './options';
import { parseLine, RawLine } from './parse-line';

/** The stream `prettyExtras()` returns: write pino's JSON lines to it. */
export type PrettyExtrasStream = Transform &
  abstractTransport.OnUnknown & {
    /** Flushes the destination (pino's `logger.flush(cb)` calls this). */
    flush(cb?: (err?: Error | null) => void): void;
  };

type Item = Record<string, unknown> | RawLine;

/**
 * The stream factory and pino transport target: pino JSON lines in, one readable line per
 * record out to the destination (stdout by default).
 *
 * - In-process: `pino(options, prettyExtras({ ... }))` — returned synchronously.
 * - Transport: `{ target: 'pino-pretty-extras', options }`, alone or among `targets`.
 *
 * Options are validated here, at setup (an {@link OptionError} names a bad one). The logger's own
 * level map, `messageKey` and `errorKey` are taken from pino's `PINO_CONFIG` message, through the
 * toolkit's one helper (`pino-cloudwatch-file/pino-config`, which the JSON file transport uses too).
 * This never waits for that message before being ready (so `await once(transport, 'ready')` before
 * `pino()` cannot hang); instead, inside a worker, the first records are held until the message
 * arrives, at most PINO_CONFIG_WAIT_MS (200 ms) after the first record.
 */
export function prettyExtras(options: PrettyExtrasOptions = {}): PrettyExtrasStream {
  let context: FormatContext = parseOptions(options);
  const { destination, owned } = openDestination(context.settings);
  let reportedWriteError = false;
  destination.on('error', (err: unknown) => {
    // After setup nothing is thrown at the application: report once, keep going.
    if (reportedWriteError) return;
    reportedWriteError = true;
    process.stderr.write(`pino-pretty-extras: cannot write to the destination: ${String(err)}\n`);
  });

  let stopListening = (): void => {};
  let pending: Item[] | undefined = expectsPinoConfig() ? [] : undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let waitingForDrain = false;

  const releasePending = (): void => {
    if (graceTimer !== undefined) clearTimeout(graceTimer);
    graceTimer = undefined;
    const held = pending;
    pending = undefined;
    if (held !== undefined) for (const item of held) write(item);
  };

  const onConfig = (config: PinoConfig): void => {
    try {
      context = withPinoConfig(context, config);
    } catch (err) {
      process.stderr.write(`pino-pretty-extras: ignoring the logger's config: ${String(err)}\n`);
    }
    releasePending();
  };

  const write = (item: Item): void => {
    const text = item instanceof RawLine ? item.text + context.settings.eol : safeFormat(item, context);
    if (!destination.write(text) && !waitingForDrain && owned) {
      waitingForDrain = true;
      source.pause();
      destination.once('drain', () => {
        waitingForDrain = false;
        source.resume();
      });
    }
  };

  const source = abstractTransport(
    (stream) => {
      stopListening = listenForPinoConfig(stream, onConfig);
      stream.on('data', (item: Item) => {
        if (pending === undefined) return write(item);
        pending.push(item);
        graceTimer ??= setTimeout(releasePending, PINO_CONFIG_WAIT_MS).unref();
      });
    },
    {
      parseLine,
      close: (err, cb) => {
        stopListening();
        releasePending();
        if (!owned || destination.destroyed === true) {
          process.nextTick(() => cb(err));
          return;
        }
        destination.once('close', () => cb(err));
        destination.end();
      },
    },
  ) as PrettyExtrasStream;

  source.flush = (cb) => {
    if (typeof destination.flush === 'function' && owned) destination.flush(cb);
    else if (cb) process.nextTick(cb);
  };
  return source;
}

function safeFormat(record: Record<string, unknown>, context: FormatContext): string {
  try {
    return formatRecord(record, context);
  } catch (err) {
    return `pino-pretty-extras: could not format a record: ${String(err)}${context.settings.eol}`;
  }
}

/** The destination type, for callers that pass their own stream. */
export type { Destination };
