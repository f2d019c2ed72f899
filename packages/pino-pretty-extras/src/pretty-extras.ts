import { writeSync } from 'node:fs';
import type { Transform } from 'node:stream';
import abstractTransport from 'pino-abstract-transport';
import { PINO_LEVELS, pinoConfigHandshake } from 'pino-cloudwatch-core';
import { openDestination, type Destination } from './destination';
import { formatRecord } from './format-record';
import { parseOptions, withPinoConfig, type FormatContext, type PrettyExtrasOptions } from './options';
import { parseLine, RawLine } from './parse-line';
import { sanitizeText } from './sanitize-text';

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
 * toolkit's one handshake (pino-cloudwatch-core's `pinoConfigHandshake`, which the JSON file
 * transport uses too).
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

  let waitingForDrain = false;
  const handshake = pinoConfigHandshake({
    report: note,
    // pino's config has not come: print with what is known (pino's levels in a `targets` worker's
    // data, the options, pino's defaults).
    onFallback: (fromHost) => {
      if (fromHost !== undefined) {
        context = withPinoConfig(context, {
          levels: { values: { ...context.settings.levels, ...fromHost } },
        });
      }
      const fromOptions = Object.keys(context.settings.levels).filter((name) => !(name in PINO_LEVELS));
      return {
        levels:
          fromHost ?? Object.fromEntries(fromOptions.map((name) => [name, context.settings.levels[name]])),
        levelsFrom: fromHost !== undefined ? 'worker data' : fromOptions.length > 0 ? 'options' : 'defaults',
        messageKey: context.settings.messageKey,
        errorKey: context.settings.errorKey,
      };
    },
    onTimeout: () => releasePending(),
    onConfig: (config) => {
      try {
        context = withPinoConfig(context, config);
      } catch (err) {
        note(`ignoring the logger's config: ${String(err)}`);
      }
      releasePending();
    },
  });
  let pending: Item[] | undefined = handshake.holding ? [] : undefined;

  const releasePending = (): void => {
    const held = pending;
    pending = undefined;
    if (held !== undefined) for (const item of held) write(item);
  };

  const write = (item: Item): void => {
    const text = item instanceof RawLine ? rawLineText(item, context) : safeFormat(item, context);
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
      handshake.listen(stream);
      stream.on('data', (item: Item) => {
        if (pending === undefined) return write(item);
        pending.push(item);
        handshake.lineHeld();
      });
    },
    {
      parseLine,
      close: (err, cb) => {
        // Ended inside the wait: the held records print with what is known.
        handshake.end();
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

/** A line that is not a record: escaped like a message, or as it came with `raw: true` (trusted input). */
function rawLineText(line: RawLine, context: FormatContext): string {
  return (context.settings.raw ? line.text : sanitizeText(line.text)) + context.settings.eol;
}

/** The destination type, for callers that pass their own stream. */
export type { Destination };

/** A one-off note on stderr, written synchronously (a worker's process.stderr is relayed later, or lost at exit). */
function note(text: string): void {
  try {
    writeSync(2, `pino-pretty-extras: ${text}\n`);
  } catch {
    // Nowhere left to report to.
  }
}
