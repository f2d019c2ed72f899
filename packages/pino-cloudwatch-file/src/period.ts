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

/**
 * The period an instant belongs to. Periods are aligned to the wall clock (UTC or local): a period of
 * `periodMs` starts at every multiple of `periodMs` after midnight. In local time a wall-clock period
 * that occurs twice (DST fall-back) is one period covering both occurrences, so no name ever repeats;
 * one that does not occur (spring-forward gap) has no instants and is simply never used.
 */
export function periodOf(t: number, periodMs: number, style: SuffixStyle, utc: boolean): Period {
  if (utc) {
    const start = Math.floor(t / periodMs) * periodMs;
    const w = wallClock(start, true);
    return { name: formatSuffix(w.year, w.month, w.day, w.msOfDay, style), start, end: start + periodMs };
  }
  const w = wallClock(t, false);
  const startOfDay = Math.floor(w.msOfDay / periodMs) * periodMs;
  const name = formatSuffix(w.year, w.month, w.day, startOfDay, style);
  const start = instantOf(w.year, w.month, w.day, startOfDay, false);
  let end = instantOf(w.year, w.month, w.day, startOfDay + periodMs, false);
  // A repeated wall-clock time resolves to its first occurrence, which can lie at or before t
  // (inside a repeated hour). The period then lasts until the next boundary that comes later.
  let guard = 0;
  while (end <= t && guard++ < 48) {
    const next = wallClock(end, false);
    const nextStart = Math.floor(next.msOfDay / periodMs) * periodMs;
    const candidate = instantOf(next.year, next.month, next.day, nextStart + periodMs, false);
    end = candidate > end ? candidate : end + periodMs;
  }
  return { name, start: Math.min(start, t), end };
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
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const msOfDay = ((hour * 60 + minute) * 60 + second) * 1000;
  const t = instantOf(year, month, day, msOfDay, utc);
  // Reject impossible dates that Date would roll over (2025-02-30).
  const w = wallClock(t, utc);
  if (w.day !== day || w.month !== month) return undefined;
  return t;
}
