import { badOption } from './option-error';

/** Turns a record's epoch milliseconds into the printed time. */
export type TimeFormatter = (epochMs: number) => string;

/** Where the printed time is read: the process's local time (`TZ`), UTC, or an IANA zone. */
export type TimeZone = 'local' | 'UTC' | (string & {});

const TOKENS = ['YYYY', 'SSS', 'MM', 'DD', 'HH', 'mm', 'ss', 'Z'] as const;
type Token = (typeof TOKENS)[number];
type Part = { readonly token: Token } | { readonly literal: string };

/** The calendar fields of one instant in one zone. */
interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC. */
  offset: number;
}

/**
 * Compiles a time pattern once, at setup. Tokens: `YYYY` year, `MM` month, `DD` day, `HH` hour
 * (00-23), `mm` minutes, `ss` seconds, `SSS` milliseconds, `Z` UTC offset (`+01:00`, `Z` in
 * UTC). Text in `[brackets]` is copied as is, as is any other character.
 */
export function compileTimeFormat(pattern: string, timeZone: TimeZone): TimeFormatter {
  if (typeof pattern !== 'string' || pattern === '') {
    throw badOption('timeFormat', 'must be a non-empty pattern such as "YYYY-MM-DD HH:mm:ss"', pattern);
  }
  const parts = parsePattern(pattern);
  const readFields = fieldReader(timeZone);
  const render = (epochMs: number): string => {
    const fields = readFields(epochMs);
    let out = '';
    for (const part of parts)
      out += 'literal' in part ? part.literal : field(fields, part.token, timeZone === 'UTC');
    return out;
  };
  if (parts.some((part) => 'token' in part && part.token === 'SSS')) return render;
  // Records come in bursts within the same second: remember the last second's text.
  let lastSecond = NaN;
  let lastText = '';
  return (epochMs) => {
    const second = Math.floor(epochMs / 1000);
    if (second !== lastSecond) {
      lastText = render(epochMs);
      lastSecond = second;
    }
    return lastText;
  };
}

function fieldReader(timeZone: TimeZone): (epochMs: number) => Fields {
  if (timeZone === 'local') {
    return (epochMs) => {
      const date = new Date(epochMs);
      return {
        year: date.getFullYear(),
        month: date.getMonth() + 1,
        day: date.getDate(),
        hour: date.getHours(),
        minute: date.getMinutes(),
        second: date.getSeconds(),
        millisecond: date.getMilliseconds(),
        offset: -date.getTimezoneOffset(),
      };
    };
  }
  if (timeZone === 'UTC') {
    return (epochMs) => {
      const date = new Date(epochMs);
      return {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: date.getUTCHours(),
        minute: date.getUTCMinutes(),
        second: date.getUTCSeconds(),
        millisecond: date.getUTCMilliseconds(),
        offset: 0,
      };
    };
  }
  let intl: Intl.DateTimeFormat;
  try {
    intl = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw badOption(
      'timeZone',
      "must be 'local', 'UTC' or an IANA time zone such as 'Europe/Paris'",
      timeZone,
    );
  }
  return (epochMs) => {
    const fields: Fields = {
      year: 0,
      month: 0,
      day: 0,
      hour: 0,
      minute: 0,
      second: 0,
      millisecond: 0,
      offset: 0,
    };
    for (const { type, value } of intl.formatToParts(epochMs)) {
      if (
        type === 'year' ||
        type === 'month' ||
        type === 'day' ||
        type === 'hour' ||
        type === 'minute' ||
        type === 'second'
      ) {
        fields[type] = Number(value);
      }
    }
    fields.millisecond = ((epochMs % 1000) + 1000) % 1000;
    const wallClock = Date.UTC(
      fields.year,
      fields.month - 1,
      fields.day,
      fields.hour,
      fields.minute,
      fields.second,
    );
    fields.offset = Math.round((wallClock - (epochMs - fields.millisecond)) / 60_000);
    return fields;
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

function field(fields: Fields, token: Token, utc: boolean): string {
  switch (token) {
    case 'YYYY':
      return String(fields.year).padStart(4, '0');
    case 'MM':
      return pad2(fields.month);
    case 'DD':
      return pad2(fields.day);
    case 'HH':
      return pad2(fields.hour);
    case 'mm':
      return pad2(fields.minute);
    case 'ss':
      return pad2(fields.second);
    case 'SSS':
      return String(fields.millisecond).padStart(3, '0');
    case 'Z':
      return utc ? 'Z' : offsetText(fields.offset);
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function offsetText(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
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
