import { OptionError } from './option-error';

/** Turns a record's epoch milliseconds into the printed time. */
export type TimeFormatter = (epochMs: number) => string;

const TOKENS = ['YYYY', 'SSS', 'MM', 'DD', 'HH', 'mm', 'ss', 'Z'] as const;
type Token = (typeof TOKENS)[number];
type Part = { readonly token: Token } | { readonly literal: string };

/**
 * Compiles a time pattern once, at setup. Tokens: `YYYY` year, `MM` month, `DD` day, `HH` hour
 * (00-23), `mm` minutes, `ss` seconds, `SSS` milliseconds, `Z` UTC offset (`+01:00`, or `Z` in
 * UTC). Text in `[brackets]` is copied as is; any other character is copied as is.
 * Times are local (the process's `TZ`) unless `utc` is true.
 */
export function compileTimeFormat(pattern: string, utc: boolean): TimeFormatter {
  if (typeof pattern !== 'string' || pattern === '') {
    throw new OptionError('timeFormat', 'must be a non-empty pattern such as "YYYY-MM-DD HH:mm:ss"', pattern);
  }
  const parts = parsePattern(pattern);
  const render = (date: Date): string => {
    let out = '';
    for (const part of parts) out += 'literal' in part ? part.literal : field(date, part.token, utc);
    return out;
  };
  if (parts.some((part) => 'token' in part && part.token === 'SSS'))
    return (epochMs) => render(new Date(epochMs));
  // Records come in bursts within the same second: remember the last second's text.
  let lastSecond = NaN;
  let lastText = '';
  return (epochMs) => {
    const second = Math.floor(epochMs / 1000);
    if (second !== lastSecond) {
      lastText = render(new Date(epochMs));
      lastSecond = second;
    }
    return lastText;
  };
}

function parsePattern(pattern: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  outer: while (i < pattern.length) {
    if (pattern[i] === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close !== -1) {
        literal += pattern.slice(i + 1, close);
        i = close + 1;
        continue;
      }
    }
    for (const token of TOKENS) {
      if (pattern.startsWith(token, i)) {
        if (literal !== '') parts.push({ literal });
        literal = '';
        parts.push({ token });
        i += token.length;
        continue outer;
      }
    }
    literal += pattern[i];
    i += 1;
  }
  if (literal !== '') parts.push({ literal });
  return parts;
}

function field(date: Date, token: Token, utc: boolean): string {
  switch (token) {
    case 'YYYY':
      return String(utc ? date.getUTCFullYear() : date.getFullYear()).padStart(4, '0');
    case 'MM':
      return pad2((utc ? date.getUTCMonth() : date.getMonth()) + 1);
    case 'DD':
      return pad2(utc ? date.getUTCDate() : date.getDate());
    case 'HH':
      return pad2(utc ? date.getUTCHours() : date.getHours());
    case 'mm':
      return pad2(utc ? date.getUTCMinutes() : date.getMinutes());
    case 'ss':
      return pad2(utc ? date.getUTCSeconds() : date.getSeconds());
    case 'SSS':
      return String(utc ? date.getUTCMilliseconds() : date.getMilliseconds()).padStart(3, '0');
    case 'Z':
      return utc ? 'Z' : offset(date);
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function offset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** A record's time value as epoch milliseconds: a number, or text `Date` can parse (pino's `isoTime`). */
export function toEpochMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}
