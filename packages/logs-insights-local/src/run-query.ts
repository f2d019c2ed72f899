import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Query } from './ast';
import { eventTimeOf, type LineSource, LogEvent } from './event';
import { parseQuery } from './parser';
import { QueryRun, type QueryResult } from './pipeline';
import { linePrefilter } from './prefilter';
import { forEachLine } from './read-lines';

/** Where events come from: a file path, or a stream (stdin) with a name. */
export type QueryInput = string | { readonly stream: Readable; readonly name: string };

export interface RunOptions {
  /** Only events at or after this time (ms since the epoch), like the service's start time. */
  readonly since?: number;
  /** Only events before this time (ms). */
  readonly until?: number;
  /** The clock, for the time of stdin lines without a time of their own. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Runs a query (text or parsed) over files and streams, one line at a time, in the order given.
 * Throws a QueryError for a query it cannot run, before reading anything.
 */
export async function runQuery(
  query: string | Query,
  inputs: readonly QueryInput[],
  options: RunOptions = {},
): Promise<QueryResult> {
  const parsed = typeof query === 'string' ? parseQuery(query) : query;
  const run = new QueryRun(parsed);
  await scanInputs(parsed, inputs, run, options);
  return run.finish();
}

/** What `scanInputs` hands the events to: a `QueryRun`, or several (the server's histogram). */
export interface EventSink {
  push(event: LogEvent): void;
  /** An event read but dropped by the line prefilter. */
  skip(): void;
  /** False once more events cannot change the result, so reading can stop. */
  readonly wantsMore: boolean;
}

export interface ScanOptions extends RunOptions {
  /** Whether the sink reads each event's time; default: whether `query` does. */
  readonly needsTime?: boolean;
  /** Called after each chunk read from a file, with the bytes read from it so far. */
  readonly onRead?: (file: string, bytesRead: number) => void;
  /** Stops reading when aborted; the scan then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Reads the inputs' events into `sink`: the events of `query`'s time range, the lines its leading
 * filters cannot keep only counted (the prefilter is that of `query`, so a sink must run commands
 * that start with the same filters). The one reader behind `runQuery` and the server.
 */
export async function scanInputs(
  query: Query,
  inputs: readonly QueryInput[],
  sink: EventSink,
  options: ScanOptions = {},
): Promise<void> {
  const now = options.now ?? Date.now;
  const since = options.since ?? -Infinity;
  const until = options.until ?? Infinity;
  const timeRange = options.since !== undefined || options.until !== undefined;
  const prefilter = linePrefilter(query.commands);
  const needsTime = options.needsTime ?? usesEventTime(query);
  const signal = options.signal;
  for (const input of inputs) {
    if (!sink.wantsMore || signal?.aborted) break;
    let stream: Readable;
    let source: LineSource;
    if (typeof input === 'string') {
      const stat = fs.statSync(input);
      if (stat.isDirectory())
        throw Object.assign(new Error(`${input} is a folder`), { code: 'EISDIR', path: input });
      source = {
        logStream: path.basename(input),
        log: path.dirname(path.resolve(input)),
        ingestionTime: Math.round(stat.mtimeMs),
      };
      stream = fs.createReadStream(input, { highWaterMark: 1 << 20 });
    } else {
      source = { logStream: input.name, log: input.name, ingestionTime: now() };
      stream = input.stream;
    }
    const fromFile = typeof input === 'string';
    const times = new FallbackTime();
    const take = (line: string): boolean => {
      const lineSource = fromFile ? source : { ...source, ingestionTime: now() };
      let time: number | undefined;
      if (timeRange) {
        time = times.of(line, lineSource.ingestionTime);
        if (time < since || time >= until) return true;
      }
      if (prefilter !== undefined && !prefilter(line)) {
        if (time === undefined) times.skip(line);
        sink.skip();
        return true;
      }
      if (time === undefined && !needsTime) {
        times.skip(line);
        sink.push(new LogEvent(line, lineSource));
      } else sink.push(new LogEvent(line, lineSource, time ?? times.of(line, lineSource.ingestionTime)));
      return sink.wantsMore;
    };
    const onRead = options.onRead;
    const afterChunk =
      onRead === undefined && signal === undefined
        ? undefined
        : (): boolean => {
            if (onRead !== undefined && typeof input === 'string')
              onRead(input, (stream as fs.ReadStream).bytesRead);
            return signal?.aborted !== true;
          };
    // As the agent's default multi_line_start_pattern (^[\S]): a line that starts with a space or
    // a tab belongs to the event before it, so an event is taken once the next one starts.
    let held: string | undefined;
    await readInput(
      input,
      stream,
      (line) => {
        const first = line.charCodeAt(0);
        if (held !== undefined && (first === 32 || first === 9) && held.length < MAX_EVENT_CHARS) {
          held += `\n${line}`;
          return true;
        }
        const more = held === undefined || take(held);
        held = line;
        return more;
      },
      afterChunk,
    );
    if (held !== undefined && sink.wantsMore && signal?.aborted !== true) take(held);
  }
  signal?.throwIfAborted();
}

/**
 * Whether the query reads an event's time: anything but a `stats` whose text names no `@timestamp`,
 * `bin`, `earliest` or `latest` (a query without `stats` shows or sorts by `@timestamp`). Others
 * skip reading each line's time, the most part of the cost of a `stats count(*) by level`.
 */
function usesEventTime(query: Query): boolean {
  if (!query.commands.some((command) => command.kind === 'stats')) return true;
  return /"(@timestamp|bin|earliest|latest)"/i.test(JSON.stringify(query.commands));
}

/**
 * The event time of each line of one file (or stream), as the agent sends it: the time in the
 * line, else the last time read before it in the same file (the agent's last valid time), else
 * the file's time. Lines the prefilter drops are kept unread (at most `PENDING` of them, then only
 * the latest time among them), so a query that reads few lines does not parse every line's time.
 */
class FallbackTime {
  private last: number | undefined;
  private readonly pending: string[] = [];

  of(line: string, fileTime: number): number {
    const own = eventTimeOf(line);
    if (own !== undefined) {
      this.last = own;
      this.pending.length = 0;
      return own;
    }
    this.settle();
    return this.last ?? fileTime;
  }

  skip(line: string): void {
    this.pending.push(line);
    if (this.pending.length >= PENDING) this.settle();
  }

  /** The latest time among the lines kept unread becomes the last time. */
  private settle(): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const time = eventTimeOf(this.pending[i]);
      if (time !== undefined) {
        this.last = time;
        break;
      }
    }
    this.pending.length = 0;
  }
}

const PENDING = 256;

/** Past this length, continuation lines start an event of their own (the agent's event size limit, 1 MiB − 200 bytes). */
const MAX_EVENT_CHARS = 1_048_376;

/** Reads an input's lines; a read error of a file names the file (`error.path`), as an open error does. */
async function readInput(
  input: QueryInput,
  stream: Readable,
  onLine: (line: string) => boolean,
  afterChunk: (() => boolean) | undefined,
): Promise<void> {
  try {
    await forEachLine(stream, onLine, afterChunk);
  } catch (err) {
    const error = err as NodeJS.ErrnoException;
    if (typeof input === 'string' && typeof error.code === 'string' && error.path === undefined)
      error.path = input;
    throw error;
  }
}
