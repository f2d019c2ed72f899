import { Instant, type Row, type Value } from './values';

/**
 * The event time in a line, found as the sidecar's agent finds it with our `timestamp_format`
 * (`%Y-%m-%dT%H:%M:%S.%fZ`, `timezone: UTC`): the first match anywhere in the line.
 */
const EVENT_TIME = /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z/;

/** The event time of a line per the sidecar's timestamp_format, or `undefined` when none matches. */
export function eventTimeOf(line: string): number | undefined {
  const m = EVENT_TIME.exec(line);
  if (m === null) return undefined;
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const time = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
  return Number.isNaN(time) ? undefined : time;
}

/** Where a line comes from: its file (log stream and group) and the time to fall back on. */
export interface LineSource {
  /** `@logStream`: the file's name (`app.log.2025-12-13_12`), `stdin` for standard input. */
  readonly logStream: string;
  /** `@log`: the file's folder, `stdin` for standard input. */
  readonly log: string;
  /** `@ingestionTime`, and `@timestamp` for a line without a time: the file's modification time, or the time stdin was read. */
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

  constructor(
    readonly message: string,
    readonly source: LineSource,
  ) {}

  /** The event time: read from the line on first use, else the source's time. */
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
