import { codesOf, matchAt, matchCodes, scanObject, stringEnd, stringStart, valueEnd } from './json-scan';
import { LevelLabels } from './levels';
import { createTimestampFormatter } from './timestamp';
import { fitToLimit, truncationMarker } from './truncate';

/** Keys the CloudWatch line owns; a record field with one of these names is kept renamed. */
export const CORE_KEYS = Object.freeze([
  '@timestamp',
  'level',
  'logger',
  'app',
  'process',
  'message',
] as const);
const CORE_KEY_SET: ReadonlySet<string> = new Set(CORE_KEYS);
/** pino's own prefix fields: `pid`/`hostname` found among them are pino's, later ones the user's. */
const PINO_PREFIX_KEYS: ReadonlySet<string> = new Set(['level', 'time', 'pid', 'hostname']);
/** Where a record's error goes in the line. */
export const ERROR_KEY_OUT = 'error';

// pino's own prefix, in the order pino writes it.
const LEVEL_OPEN = codesOf('{"level":');
const TIME = codesOf(',"time":');
const PID = codesOf(',"pid":');
const HOSTNAME = codesOf(',"hostname":"');
const NAME = codesOf(',"name":"');

/** A key that needs more than a copy when found among a record's fields. */
interface SpecialKey {
  readonly key: string;
  readonly codes: readonly number[];
}

/** Everything the shaper needs, fixed at start-up (the logger's keys can still arrive from pino later). */
export interface ShapeConfig {
  readonly app: string;
  readonly process: string;
  readonly pid: boolean;
  readonly hostname: boolean;
  readonly utc: boolean;
  readonly maxEventBytes: number;
  readonly levelLabels: Readonly<Record<string, string>>;
  readonly now: () => number;
  /** Called the first time a field name had to be renamed. */
  readonly onRename?: (from: string, to: string) => void;
}

/** The logger's own configuration, as pino reports it. */
export interface LoggerConfig {
  readonly levels?: Readonly<Record<string, number>>;
  readonly messageKey?: string;
  readonly errorKey?: string;
}

/**
 * Turns pino's JSON lines into CloudWatch lines (CONTRACT §1):
 * `{"@timestamp","level","logger","app","process","message",...extras}`.
 * Values are copied as pino wrote them; only the core fields are built here.
 */
export class RecordShaper {
  /** The time of the record last shaped (epoch ms): it chooses the record's file. */
  lastTime = 0;

  private readonly keys: string[] = [];
  private readonly values: string[] = [];
  private readonly timestamp: (t: number) => string;
  private readonly appAndProcess: string;
  private readonly appJson: string;
  private readonly reported = new Set<string>();
  private labels!: LevelLabels;
  private messageKey = 'msg';
  private errorKey = 'err';
  private messageNeedle = codesOf(',"msg":"');
  /** Special keys by length, and for each length a bit per first character (`code & 31`). */
  private specialByLength: SpecialKey[][] = [];
  private specialFirst: number[] = [];
  private lastHeader = '';
  private lastHeaderTime = NaN;
  private lastHeaderLevel = NaN;
  private lastHeaderName: string | undefined;

  constructor(private readonly config: ShapeConfig) {
    this.timestamp = createTimestampFormatter(config.utc);
    this.appJson = JSON.stringify(config.app);
    this.appAndProcess = `,"app":${this.appJson},"process":${JSON.stringify(config.process)},"message":`;
    this.configure({});
  }

  /** Applies the logger's level map and keys (sent by pino once the logger exists). */
  configure(logger: LoggerConfig): void {
    this.labels = new LevelLabels(logger.levels, this.config.levelLabels);
    this.lastHeaderTime = NaN;
    this.messageKey = logger.messageKey ?? 'msg';
    this.errorKey = logger.errorKey ?? 'err';
    this.messageNeedle = codesOf(`,${JSON.stringify(this.messageKey)}:"`);
    // Keys that, found among a record's fields, need more than a copy: the general path takes them.
    const special = [
      ...CORE_KEYS,
      'time',
      'name',
      'pid',
      'hostname',
      ERROR_KEY_OUT,
      this.messageKey,
      this.errorKey,
    ];
    this.specialByLength = [];
    this.specialFirst = [];
    for (const key of new Set(special)) {
      (this.specialByLength[key.length] ??= []).push({ key, codes: codesOf(key) });
      this.specialFirst[key.length] = (this.specialFirst[key.length] ?? 0) | (1 << (key.charCodeAt(0) & 31));
    }
    // Lengths without special keys read as 0 (no holes: the array stays fast to index).
    for (let n = 0; n < this.specialFirst.length; n++) this.specialFirst[n] ??= 0;
  }

  /**
   * Shapes the line `text[start, end)` (no newline). pino's own lines take a fast path that reads
   * the fields pino always puts first (level, time, pid, hostname, name) and its message, which it
   * always puts last, and copies everything between as one piece.
   */
  shapeRange(text: string, start: number, end: number): string {
    return this.shapePino(text, start, end, '}') ?? this.shape(text.slice(start, end));
  }

  /** `shapeRange` with the newline that ends the line in the file (one string less per line). */
  shapeLine(text: string, start: number, end: number): string {
    return this.shapePino(text, start, end, '}\n') ?? this.shape(text.slice(start, end)) + '\n';
  }

  /**
   * pino's own lines. The top level is checked (pairs, literals, balanced nested values); what is
   * inside strings and nested values is trusted to be the valid JSON pino always writes — checking
   * it would cost more than all the rest. Other producers' lines take the general path, which
   * checks everything.
   */
  private shapePino(text: string, start: number, end: number, close: string): string | undefined {
    if (end - start > (this.config.maxEventBytes - 512) / 3 || !matchCodes(text, start, LEVEL_OPEN)) {
      return undefined;
    }
    let i = start + 9;
    let c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    let level = 0;
    do {
      level = level * 10 + c - 48;
      c = text.charCodeAt(++i);
    } while (c >= 48 && c <= 57);
    if (!matchCodes(text, i, TIME)) return undefined;
    i += 8;
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    let time = 0;
    do {
      time = time * 10 + c - 48;
      c = text.charCodeAt(++i);
    } while (c >= 48 && c <= 57);
    let shown = '';
    if (matchCodes(text, i, PID)) {
      const from = i;
      i = valueEnd(text, i + 7);
      if (i === -1) return undefined;
      if (this.config.pid) shown = text.slice(from, i);
    }
    if (matchCodes(text, i, HOSTNAME)) {
      const from = i;
      i = stringEnd(text, i + 12) + 1;
      if (i === 0) return undefined;
      if (this.config.hostname) shown += text.slice(from, i);
    }
    let nameStart = -1;
    let nameEnd = -1;
    if (matchCodes(text, i, NAME)) {
      nameStart = i + 8;
      nameEnd = stringEnd(text, nameStart) + 1;
      if (nameEnd === 0) return undefined;
      i = nameEnd;
    }
    const last = end - 1;
    if (text.charCodeAt(last) !== 125) return undefined;
    let fieldsEnd = last;
    let message = '""';
    if (text.charCodeAt(last - 1) === 34) {
      // The message string ends the line; its opening quote is the first unescaped quote before
      // its end (a string holds no unescaped quote), and the message key must stand right before.
      const open = stringStart(text, last - 1, i);
      const at = open - this.messageNeedle.length + 1;
      if (open !== -1 && at >= i && matchCodes(text, at, this.messageNeedle)) {
        message = text.slice(open, last);
        fieldsEnd = at;
      }
    }
    // The fields between are copied as one piece after one walk over their top-level keys: it
    // checks the structure, finds the error key, and sends any key that needs renaming to the
    // general path.
    let errorAt = -1;
    let errorValue = -1;
    let p = i;
    while (p < fieldsEnd) {
      if (text.charCodeAt(p) !== 44 || text.charCodeAt(p + 1) !== 34) return undefined;
      const keyEnd = stringEnd(text, p + 1);
      if (keyEnd === -1 || text.charCodeAt(keyEnd + 1) !== 58) return undefined;
      const length = keyEnd - p - 2;
      if (
        length < this.specialFirst.length &&
        (this.specialFirst[length] & (1 << (text.charCodeAt(p + 2) & 31))) !== 0
      ) {
        for (const { key, codes } of this.specialByLength[length]) {
          if (!matchCodes(text, p + 2, codes)) continue;
          if (key !== this.errorKey || errorAt !== -1) return undefined;
          errorAt = p;
          errorValue = keyEnd + 2;
          break;
        }
      }
      p = valueEnd(text, keyEnd + 2);
      if (p === -1 || p > fieldsEnd) return undefined;
    }
    if (p !== fieldsEnd) return undefined;
    const fields =
      errorAt === -1
        ? text.slice(i, fieldsEnd)
        : `${text.slice(i, errorAt)},"${ERROR_KEY_OUT}":${text.slice(errorValue, fieldsEnd)}`;
    this.lastTime = time;
    return this.header(time, level, text, nameStart, nameEnd) + message + shown + fields + close;
  }

  /**
   * `{"@timestamp":…,"level":…,"logger":…,"app":…,"process":…,"message":` — the same for a run of
   * records of one millisecond, level and logger (most records under load), so it is kept.
   */
  private header(time: number, level: number, text: string, nameStart: number, nameEnd: number): string {
    const cached = this.lastHeader;
    const name = this.lastHeaderName;
    if (
      time === this.lastHeaderTime &&
      level === this.lastHeaderLevel &&
      (nameStart === -1
        ? name === undefined
        : name !== undefined && name.length === nameEnd - nameStart && matchAt(text, nameStart, name))
    ) {
      return cached;
    }
    const logger = nameStart === -1 ? undefined : text.slice(nameStart, nameEnd);
    this.lastHeaderTime = time;
    this.lastHeaderLevel = level;
    this.lastHeaderName = logger;
    this.lastHeader =
      '{"@timestamp":"' +
      this.timestamp(time) +
      '","level":' +
      this.labels.ofNumber(level) +
      ',"logger":' +
      (logger ?? this.appJson) +
      this.appAndProcess;
    return this.lastHeader;
  }

  /** Shapes one line (without its newline) into one CloudWatch line (without newline). */
  shape(line: string): string {
    const { keys, values } = this;
    let out: string;
    if (scanObject(line, keys, values) || this.parseLoose(line)) {
      out = this.assemble(keys, values);
    } else {
      out = this.unparsed(line);
    }
    // A UTF-16 length three times under the limit cannot exceed it in UTF-8 bytes.
    if (out.length * 3 > this.config.maxEventBytes && Buffer.byteLength(out) > this.config.maxEventBytes) {
      out = fitToLimit(out, this.config.maxEventBytes);
    }
    return out;
  }

  /** Any JSON object, e.g. pretty-printed: decoded, then split into pairs like a compact one. */
  private parseLoose(line: string): boolean {
    const trimmed = line.trim();
    if (trimmed.charCodeAt(0) !== 123) return false;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return false;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
    const { keys, values } = this;
    keys.length = 0;
    values.length = 0;
    for (const [key, value] of Object.entries(parsed)) {
      keys.push(JSON.stringify(key).slice(1, -1));
      values.push(JSON.stringify(value));
    }
    return true;
  }

  private assemble(keys: string[], values: string[]): string {
    const { messageKey, errorKey } = this;
    let levelAt = -1;
    let timeAt = -1;
    let messageAt = -1;
    let nameAt = -1;
    let errorAt = -1;
    let userError = false;
    let prefix = true;
    let renames = false;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === 'level' && levelAt === -1) levelAt = i;
      else if (key === 'time' && timeAt === -1) timeAt = i;
      else if (key === messageKey) {
        if (messageAt !== -1) renames = true;
        messageAt = i;
      } else if (key === 'name') nameAt = i;
      else if (key === errorKey) {
        if (errorAt !== -1) renames = true;
        errorAt = i;
      } else if (key === ERROR_KEY_OUT) userError = true;
      else if (CORE_KEY_SET.has(key)) renames = true;
      if (prefix && !PINO_PREFIX_KEYS.has(key)) prefix = false;
    }
    if (userError && errorAt !== -1 && errorKey !== ERROR_KEY_OUT) renames = true;
    const taken = renames ? new Set(keys) : undefined;
    if (taken !== undefined) {
      for (const key of CORE_KEYS) taken.add(key);
      if (errorAt !== -1) taken.add(ERROR_KEY_OUT);
    }

    let extras = '';
    prefix = true;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const inPrefix: boolean = prefix && PINO_PREFIX_KEYS.has(key);
      prefix = inPrefix;
      if (i === levelAt || i === timeAt || i === messageAt || i === nameAt) continue;
      if (i === errorAt) {
        extras += `,"${ERROR_KEY_OUT}":${values[i]}`;
        continue;
      }
      if (key === 'name') continue; // a name shadowed by a child's name binding
      if (
        inPrefix &&
        (key === 'pid' || key === 'hostname') &&
        !(key === 'pid' ? this.config.pid : this.config.hostname)
      ) {
        continue;
      }
      const clash =
        taken !== undefined &&
        (CORE_KEY_SET.has(key) ||
          key === messageKey ||
          key === errorKey ||
          (key === ERROR_KEY_OUT && errorAt !== -1) ||
          key === 'level');
      extras += `,"${clash ? this.rename(key, taken) : key}":${values[i]}`;
    }

    const time = timeAt === -1 ? undefined : parseTime(values[timeAt]);
    this.lastTime = time ?? this.config.now();
    return (
      '{"@timestamp":"' +
      this.timestamp(this.lastTime) +
      '","level":' +
      (levelAt === -1 ? '"INFO"' : this.levelLabel(values[levelAt])) +
      ',"logger":' +
      (nameAt === -1 ? this.appJson : asJsonString(values[nameAt], this.appJson)) +
      this.appAndProcess +
      (messageAt === -1 ? '""' : asJsonString(values[messageAt], '""')) +
      extras +
      '}'
    );
  }

  private rename(key: string, taken: Set<string>): string {
    let renamed = `_${key}`;
    while (taken.has(renamed)) renamed = `_${renamed}`;
    taken.add(renamed);
    if (!this.reported.has(key)) {
      this.reported.add(key);
      this.config.onRename?.(key, renamed);
    }
    return renamed;
  }

  private levelLabel(raw: string): string {
    const c = raw.charCodeAt(0);
    if (c === 34) return LevelLabels.ofText(JSON.parse(raw) as string, this.config.levelLabels);
    const num = Number(raw);
    return Number.isFinite(num) ? this.labels.ofNumber(num) : JSON.stringify(raw);
  }

  /**
   * A line the shaper could not handle (it threw): its text becomes the message of a valid record,
   * cut to fit the size limit, with the reason.
   */
  unshapeable(line: string, error: Error): string {
    this.lastTime = this.config.now();
    const head =
      '{"@timestamp":"' +
      this.timestamp(this.lastTime) +
      '","level":"INFO","logger":' +
      this.appJson +
      this.appAndProcess;
    const tail = `,"unparsed":true,"shapeError":${JSON.stringify(String(error.message).slice(0, 200))}}`;
    // Worst case every character of the message takes 6 bytes (\u escapes) once encoded.
    const room = Math.max(
      0,
      Math.floor((this.config.maxEventBytes - Buffer.byteLength(head + tail) - 64) / 6),
    );
    const message = line.length > room ? line.slice(0, room) + truncationMarker(line.length - room) : line;
    return head + JSON.stringify(message) + tail;
  }

  /** A line that is not a JSON object: kept whole as the message of a valid record. */
  private unparsed(line: string): string {
    this.lastTime = this.config.now();
    return (
      '{"@timestamp":"' +
      this.timestamp(this.lastTime) +
      '","level":"INFO","logger":' +
      this.appJson +
      this.appAndProcess +
      JSON.stringify(line) +
      ',"unparsed":true}'
    );
  }
}

/** Epoch ms of pino's `time` (a number, or an ISO string from `stdTimeFunctions.isoTime`). */
function parseTime(raw: string): number | undefined {
  const c = raw.charCodeAt(0);
  const t = c === 34 ? Date.parse(JSON.parse(raw) as string) : Number(raw);
  return Number.isFinite(t) ? t : undefined;
}

/** A raw JSON value as a JSON string: strings stay as they are, anything else becomes its text. */
function asJsonString(raw: string, whenNull: string): string {
  if (raw.charCodeAt(0) === 34) return raw;
  if (raw === 'null') return whenNull;
  return JSON.stringify(raw);
}
