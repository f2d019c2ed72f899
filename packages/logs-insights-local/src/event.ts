import { Instant, type Row, type Value } from './values';

/**
 * The event time in a line, found as the sidecar's agent finds it with our `timestamp_format`
 * (`%Y-%m-%dT%H:%M:%S.%fZ`, `timezone: UTC`): the first match anywhere in the line.
 */
const EVENT_TIME = /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z/;

/** The start of our lines (`{"@timestamp":"2025-12-13T12:30:45.123Z",...`): the time is at offset 15. */
const OUR_PREFIX = '{"@timestamp":"';
/** The last second read (`2025-12-13T12:30:45`) and its time, so the lines of one second need no regex. */
let lastSecond = '';
let lastSecondTime = 0;

/**
 * The event time of a line per the sidecar's timestamp_format, or `undefined` when none matches
 * or the match is no real time (month 13, February 30: the agent's parse fails too). Cheap for
 * our lines: one that starts with `{"@timestamp":"` in the same second as the last time read
 * costs a comparison, not a regex.
 */
export function eventTimeOf(line: string): number | undefined {
  if (
    lastSecond !== '' &&
    textAt(line, OUR_PREFIX, 0) &&
    textAt(line, lastSecond, 15) &&
    line.charCodeAt(34) === 46 /* . */ &&
    isDigit(line.charCodeAt(35)) &&
    isDigit(line.charCodeAt(36)) &&
    isDigit(line.charCodeAt(37)) &&
    line.charCodeAt(38) === 90 /* Z */
  ) {
    return (
      lastSecondTime +
      (line.charCodeAt(35) - 48) * 100 +
      (line.charCodeAt(36) - 48) * 10 +
      line.charCodeAt(37) -
      48
    );
  }
  const m = EVENT_TIME.exec(line);
  if (m === null) return undefined;
  const second = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  const date = new Date(second);
  if (
    Number.isNaN(second) ||
    date.getUTCMonth() !== +m[2] - 1 ||
    date.getUTCDate() !== +m[3] ||
    date.getUTCHours() !== +m[4] ||
    date.getUTCMinutes() !== +m[5] ||
    date.getUTCSeconds() !== +m[6]
  )
    return undefined;
  lastSecond = m[0].slice(0, 19);
  lastSecondTime = second;
  return second + (m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0')));
}

/** `line.startsWith(text, at)`, which V8 runs several times slower than this loop. */
function textAt(line: string, text: string, at: number): boolean {
  if (line.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (line.charCodeAt(at + i) !== text.charCodeAt(i)) return false;
  return true;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Where a line comes from: its file (log stream and group) and the time to fall back on. */
export interface LineSource {
  /** `@logStream`: the file's name (`app.log.2025-12-13_12`), `stdin` for standard input. */
  readonly logStream: string;
  /** `@log`: the file's folder, `stdin` for standard input. */
  readonly log: string;
  /** `@ingestionTime`, and `@timestamp` for a line without a time and none before it: the file's modification time, or the time stdin was read. */
  readonly ingestionTime: number;
}

/**
 * One line as Logs Insights sees the event: `@message` is the line; a JSON object's keys are
 * fields, nested ones with dots (`res.statusCode`), array items by index (`a.0`), and a key that
 * starts with `@` is reached with one more `@` (`@@timestamp`). The JSON is parsed on first use,
 * so a query that only reads `@message` never parses it. Fields that commands set (`fields x as
 * y`, `parse`) shadow the line's own.
 */
export class LogEvent implements Row {
  private parsed: Record<string, unknown> | null | undefined;
  private assigned: Map<string, Value> | undefined;
  private time: number | undefined;

  /** `time`: the event time when the reader knows it (a line without one: the last time before it). */
  constructor(
    readonly message: string,
    readonly source: LineSource,
    time?: number,
  ) {
    this.time = time;
  }

  /** The event time: as given, else read from the line on first use, else the source's time. */
  get timestamp(): number {
    return (this.time ??= eventTimeOf(this.message) ?? this.source.ingestionTime);
  }

  get(name: string): Value {
    if (this.assigned !== undefined && this.assigned.has(name)) return this.assigned.get(name);
    if (name.charCodeAt(0) === 64 /* @ */ && name.charCodeAt(1) !== 64) {
      switch (name) {
        case '@message':
          return this.message;
        case '@timestamp':
          return new Instant(this.timestamp);
        case '@ingestionTime':
          return new Instant(this.source.ingestionTime);
        case '@logStream':
          return this.source.logStream;
        case '@log':
          return this.source.log;
        default:
          return undefined;
      }
    }
    const json = this.json();
    if (json === null) return undefined;
    return lookup(json, name.charCodeAt(0) === 64 ? name.slice(1) : name);
  }

  set(name: string, value: Value): void {
    (this.assigned ??= new Map()).set(name, value);
  }

  /**
   * Every field of the event, as a row opened in the console lists them: the fields the service
   * makes, the line's JSON keys flattened (`res.statusCode`, `tags.0`, `@@timestamp`), then the
   * fields commands set (which shadow the line's own).
   */
  fields(): Map<string, Value> {
    const out = new Map<string, Value>();
    for (const name of SYSTEM_FIELDS) out.set(name, this.get(name));
    const json = this.json();
    if (json !== null) flatten(json, '', out);
    if (this.assigned !== undefined) for (const [name, value] of this.assigned) out.set(name, value);
    return out;
  }

  private json(): Record<string, unknown> | null {
    if (this.parsed === undefined) {
      this.parsed = null;
      const first = this.message.charCodeAt(0);
      if (first === 123 /* { */ || first === 32 || first === 9) {
        try {
          const value: unknown = JSON.parse(this.message);
          if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
            this.parsed = value as Record<string, unknown>;
          }
        } catch {
          // not JSON: the event has @message and the system fields only
        }
      }
    }
    return this.parsed;
  }
}

const SYSTEM_FIELDS = ['@timestamp', '@message', '@logStream', '@log', '@ingestionTime'] as const;

/** The scalars of parsed JSON under their flattened names (`a.b.0.c`; a top-level `@key` as `@@key`). */
function flatten(object: object, prefix: string, out: Map<string, Value>): void {
  for (const [key, value] of Object.entries(object)) {
    const name = prefix === '' ? (key.charCodeAt(0) === 64 ? `@${key}` : key) : `${prefix}.${key}`;
    if (typeof value === 'object' && value !== null) flatten(value, name, out);
    else {
      const scalar = leaf(value);
      if (scalar !== undefined && !out.has(name)) out.set(name, scalar);
    }
  }
}

/** A flattened name (`a.b.0.c`) in parsed JSON; a key may itself hold dots (`{"a.b": 1}`). */
export function lookup(object: unknown, name: string): Value {
  if (typeof object !== 'object' || object === null) return undefined;
  const record = object as Record<string, unknown>;
  if (Object.hasOwn(record, name)) return leaf(record[name]);
  let dot = name.indexOf('.');
  while (dot !== -1) {
    const head = name.slice(0, dot);
    if (Object.hasOwn(record, head)) {
      const found = lookup(record[head], name.slice(dot + 1));
      if (found !== undefined) return found;
    }
    dot = name.indexOf('.', dot + 1);
  }
  return undefined;
}

/** Only scalars are fields: an object or array is reached through its keys, `null` is no value. */
function leaf(value: unknown): Value {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined;
}
