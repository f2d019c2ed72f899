import { Instant, type Value, formatValue } from './values';

const NUMBER_VALUE = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Ascending order of Logs Insights' `sort` (its "natural sort", as the sort page describes it):
 * every non-number value before every number; numbers by value; other text split into runs of
 * digits and of other characters, digit runs ordered by length then value, the rest by Unicode
 * code point. Instants order by time. A missing value comes after every present one.
 */
export function compareNatural(a: Value, b: Value): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (a instanceof Instant && b instanceof Instant) return a.ms - b.ms;
  const an = numberOf(a);
  const bn = numberOf(b);
  // Equal numbers written differently order by code point (`01` before `1`), as the sort page lists them.
  if (an !== undefined && bn !== undefined)
    return an - bn || compareCodePoints(formatValue(a) ?? '', formatValue(b) ?? '');
  if (an !== undefined) return 1;
  if (bn !== undefined) return -1;
  return compareText(formatValue(a) ?? '', formatValue(b) ?? '');
}

function numberOf(value: Value): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof Instant) return value.ms;
  if (typeof value === 'string' && NUMBER_VALUE.test(value)) return Number(value);
  return undefined;
}

const CHUNK = /\d+|\D+/g;

function compareText(a: string, b: string): number {
  const ac = a.match(CHUNK) ?? [];
  const bc = b.match(CHUNK) ?? [];
  for (let i = 0; i < Math.min(ac.length, bc.length); i++) {
    const x = ac[i];
    const y = bc[i];
    if (x === y) continue;
    const xDigits = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const yDigits = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (xDigits && yDigits) {
      if (x.length !== y.length) return x.length - y.length;
      return x < y ? -1 : 1;
    }
    return compareCodePoints(x, y);
  }
  return ac.length - bc.length;
}

function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i].codePointAt(0) ?? 0) - (y[i].codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
