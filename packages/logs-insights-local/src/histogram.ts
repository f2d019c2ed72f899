import type { Query } from './ast';
import { parseQuery } from './parser';

/** The most bars the page draws: the bin grows (to a round period) until the range fits. */
export const MAX_BARS = 100;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Bins a reader finds round, each a multiple of the ones before it that it can replace. */
const ROUND_BINS = [
  SECOND,
  5 * SECOND,
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
  28 * DAY,
  364 * DAY,
] as const;

/** The bin counted when the range is not known in advance (no `since` or `until`). */
export const DEFAULT_BIN_MS = MINUTE;

/** The smallest round bin, a multiple of `atLeast`, that draws `spanMs` in at most `MAX_BARS` bars. */
export function binFor(spanMs: number, atLeast = SECOND): number {
  for (const bin of ROUND_BINS) {
    if (bin >= atLeast && bin % atLeast === 0 && spanMs / bin <= MAX_BARS) return bin;
  }
  return Math.max(atLeast, Math.ceil(spanMs / MAX_BARS / atLeast) * atLeast);
}

/**
 * The query that counts, per bin, the events `query` matches: its commands up to its first `stats`,
 * `sort`, `limit` or `dedup` (its filters, parses and fields), then `stats count(*) by bin()`. It
 * starts with the query's own leading filters, so it reads the events of the same line prefilter.
 */
export function histogramQuery(query: Query, binMs: number): Query {
  const prefix = [];
  for (const command of query.commands) {
    if (
      command.kind === 'stats' ||
      command.kind === 'sort' ||
      command.kind === 'limit' ||
      command.kind === 'dedup'
    )
      break;
    prefix.push(command);
  }
  // The explicit limit: every bin, not the default 10,000 rows.
  const count = parseQuery(`stats count(*) as events by bin(${binMs}ms) as t | limit 100000000`);
  return { ...query, commands: [...prefix, ...count.commands] };
}

/** Bars over time: `counts[i]` events from `start + i * binMs` on. */
export interface Histogram {
  readonly binMs: number;
  readonly start: number;
  readonly counts: readonly number[];
}

/**
 * The rows of `histogramQuery` (`t` the bin as the service prints a time, `events` the count) as at
 * most `MAX_BARS` bars, each a round number of the counted bins: from `from` (else the first bin)
 * to `to` (else the end of the last), the bins without events as 0.
 */
export function histogramOf(
  rows: ReadonlyArray<Readonly<Record<string, string>>>,
  countedBinMs: number,
  from?: number,
  to?: number,
): Histogram {
  const bins = rows
    .map((row) => ({ time: Date.parse(`${(row.t ?? '').replace(' ', 'T')}Z`), events: Number(row.events) }))
    .filter((bin) => Number.isFinite(bin.time) && Number.isFinite(bin.events));
  const times = bins.map((bin) => bin.time);
  const first = from ?? (times.length > 0 ? Math.min(...times) : undefined);
  const end = to ?? (times.length > 0 ? Math.max(...times) + countedBinMs : undefined);
  if (first === undefined || end === undefined || end <= first)
    return { binMs: countedBinMs, start: first ?? 0, counts: [] };
  const binMs = binFor(end - first, countedBinMs);
  const start = Math.floor(first / binMs) * binMs;
  const counts = new Array<number>(Math.ceil((end - start) / binMs)).fill(0);
  for (const bin of bins) {
    const index = Math.floor((bin.time - start) / binMs);
    if (index >= 0 && index < counts.length) counts[index] += bin.events;
  }
  return { binMs, start, counts };
}
