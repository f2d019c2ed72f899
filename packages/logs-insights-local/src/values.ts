/** A point in time (`@timestamp`, `bin()`, `fromMillis()`): milliseconds since the epoch. */
export class Instant {
  constructor(readonly ms: number) {}
}

/**
 * A value in a query: text and numbers from the line, booleans from comparisons, instants, lists
 * (`in [...]`), or `undefined` for a field the event does not have.
 */
export type Value = string | number | boolean | Instant | readonly Value[] | undefined;

/** Something that has fields: an event, or a row of stats. */
export interface Row {
  get(name: string): Value;
}

/** A row of named values (stats results, and the rows after them). */
export class MapRow implements Row {
  constructor(readonly values: Map<string, Value> = new Map()) {}
  get(name: string): Value {
    return this.values.get(name);
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2025-12-13 12:30:45.123`: how Logs Insights shows a time (UTC). */
export function formatInstant(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

/**
 * Every value as Logs Insights returns it: a string (or `undefined` for no value). A boolean (a
 * comparison, `ispresent()`) is `1` or `0`, as the service's functions document their results.
 */
export function formatValue(value: Value): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Instant) return formatInstant(value.ms);
  return JSON.stringify(value.map(formatValue));
}

const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** The value as a number (numeric text too, an instant as its milliseconds), or `undefined`. */
export function toNumber(value: Value): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return NUMBER_TEXT.test(value) ? Number(value) : undefined;
  if (value instanceof Instant) return value.ms;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

/** A time from a value: an instant, epoch milliseconds, or ISO 8601 text. */
export function toMillis(value: Value): number | undefined {
  if (value instanceof Instant) return value.ms;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (NUMBER_TEXT.test(value)) return Number(value);
    const ms = Date.parse(
      value.includes('T') || !value.includes(' ') ? value : `${value.replace(' ', 'T')}Z`,
    );
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** Text of a value for string functions (`undefined` stays absent). */
export function toText(value: Value): string | undefined {
  return formatValue(value);
}

/** Whether a value counts as true in `filter` and `and`/`or`/`not`. */
export function isTrue(value: Value): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value !== '' && value !== 'false';
  return value !== undefined;
}
