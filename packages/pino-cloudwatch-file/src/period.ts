import type { SuffixStyle } from './options';

/** One rotation period: the file-name suffix it writes to and the instants it covers. */
export interface Period {
  /** File-name suffix, e.g. `2025-12-13_12`. Later periods always have greater names. */
  readonly name: string;
  /** First instant (epoch ms) whose wall-clock time carries this name. */
  readonly start: number;
  /** First instant after `start` whose name is greater: the period's end (exclusive). */
  readonly end: number;
}

interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  msOfDay: number;
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

function wallClock(t: number, utc: boolean): WallClock {
  const d = new Date(t);
  if (utc) {
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      msOfDay:
        ((d.getUTCHours() * 60 + d.getUTCMinutes()) * 60 + d.getUTCSeconds()) * 1000 + d.getUTCMilliseconds(),
    };
  }
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    msOfDay: ((d.getHours() * 60 + d.getMinutes()) * 60 + d.getSeconds()) * 1000 + d.getMilliseconds(),
  };
}

/**
 * The instant a wall-clock time denotes. In local time a time inside a DST gap maps to the instant the
 * gap starts, and a repeated time to its first occurrence (ECMAScript's rule for `new Date(y, m, ...)`).
 */
function instantOf(year: number, month: number, day: number, msOfDay: number, utc: boolean): number {
  const seconds = Math.floor(msOfDay / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return utc ? Date.UTC(year, month - 1, day, h, m, s) : new Date(year, month - 1, day, h, m, s).getTime();
}

/** File-name suffix of a wall-clock period start. */
export function formatSuffix(
  year: number,
  month: number,
  day: number,
  msOfDay: number,
  style: SuffixStyle,
): string {
  const date = `${year}-${pad2(month)}-${pad2(day)}`;
  if (style === 'day') return date;
  const seconds = Math.floor(msOfDay / 1000);
  const hour = pad2(Math.floor(seconds / 3600));
  if (style === 'hour') return `${date}_${hour}`;
  return `${date}_${hour}-${pad2(Math.floor((seconds % 3600) / 60))}-${pad2(seconds % 60)}`;
}

/** UTC offset of local time at `t`, in ms. */
const offsetAt = (t: number): number => -new Date(t).getTimezoneOffset() * 60_000;

/** How far back a fall-back transition can still hold the wall clock behind (real shifts are at most 2 h). */
const FOLD_WINDOW_MS = 3 * 3_600_000;
const FOLD_STEP_MS = 15 * 60_000;

/**
 * The local wall clock as it has advanced so far, as ms on a UTC-like scale: `t + offset`, except
 * that after clocks fall back it stays at the latest value it had reached until the real wall clock
 * passes it again. It never decreases, so names made from it never go back or repeat.
 */
function monotonicWall(t: number): number {
  let wall = t + offsetAt(t);
  const offsetNow = offsetAt(t);
  let previousOffset = offsetAt(t - FOLD_WINDOW_MS);
  for (let s = t - FOLD_WINDOW_MS + FOLD_STEP_MS; s <= t + FOLD_STEP_MS; s += FOLD_STEP_MS) {
    const probe = Math.min(s, t);
    const offset = offsetAt(probe);
    if (offset < previousOffset || (probe === t && previousOffset > offsetNow)) {
      // A fall-back between probe - step and probe: find its last instant with the higher offset.
      let low = Math.max(probe - FOLD_STEP_MS, t - FOLD_WINDOW_MS);
      let high = probe;
      while (high - low > 1) {
        const mid = Math.floor((low + high) / 2);
        if (offsetAt(mid) < previousOffset) high = mid;
        else low = mid;
      }
      wall = Math.max(wall, low + offsetAt(low));
    }
    previousOffset = offset;
  }
  return wall;
}

function localName(t: number, periodMs: number, style: SuffixStyle): string {
  const w = wallClock(monotonicWall(t), true);
  return formatSuffix(w.year, w.month, w.day, Math.floor(w.msOfDay / periodMs) * periodMs, style);
}

/**
 * The period an instant belongs to. Periods are aligned to the wall clock (UTC or local): a period of
 * `periodMs` starts at every multiple of `periodMs` after midnight. In local time names come from a
 * wall clock that never goes back: the periods repeated when clocks fall back are not entered
 * again (the period open at the fold lasts until the wall clock passes its end), so no name ever
 * repeats or decreases; periods inside a spring-forward gap have no instants and no file.
 */
export function periodOf(t: number, periodMs: number, style: SuffixStyle, utc: boolean): Period {
  if (utc) {
    const start = Math.floor(t / periodMs) * periodMs;
    const w = wallClock(start, true);
    return { name: formatSuffix(w.year, w.month, w.day, w.msOfDay, style), start, end: start + periodMs };
  }
  const name = localName(t, periodMs, style);
  // Names do not decrease, so the period's bounds are found by bisection on "name differs".
  const reach = periodMs + FOLD_WINDOW_MS;
  let low = t - reach; // named before: earlier than the period
  let high = t; // named `name`
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (localName(mid, periodMs, style) === name) high = mid;
    else low = mid;
  }
  const start = high;
  low = t; // named `name`
  high = t + reach; // named after: later than the period
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (localName(mid, periodMs, style) === name) low = mid;
    else high = mid;
  }
  return { name, start, end: high };
}

const SUFFIX_PATTERNS: Readonly<Record<SuffixStyle, RegExp>> = Object.freeze({
  hour: /^(\d{4})-(\d{2})-(\d{2})_(\d{2})$/,
  day: /^(\d{4})-(\d{2})-(\d{2})$/,
  second: /^(\d{4})-(\d{2})-(\d{2})_(\d{2})-(\d{2})-(\d{2})$/,
});

/**
 * The start instant a suffix names, or `undefined` when the text is not exactly a suffix of this
 * style (so `app.log.2025-12-13_12.gz` or another frequency's names never match).
 */
export function parseSuffix(suffix: string, style: SuffixStyle, utc: boolean): number | undefined {
  const m = SUFFIX_PATTERNS[style].exec(suffix);
  if (m === null) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map(Number);
  if (
    year < 1970 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return undefined;
  const msOfDay = ((hour * 60 + minute) * 60 + second) * 1000;
  const t = instantOf(year, month, day, msOfDay, utc);
  // Reject impossible dates that Date would roll over (2025-02-30).
  const w = wallClock(t, utc);
  if (w.day !== day || w.month !== month) return undefined;
  return t;
}
