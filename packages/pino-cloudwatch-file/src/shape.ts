import {
  CLOSE_BRACE,
  COLON,
  COMMA,
  DIGIT_0,
  DIGIT_9,
  NEWLINE,
  OPEN_BRACE,
  QUOTE,
  bytesOf,
  bytesStringEnd,
  bytesStringStart,
  bytesValueEnd,
  matchBytes,
} from './json-bytes';
import { scanObject } from './json-scan';
import { LevelLabels } from './levels';
import { createTimestampFormatter } from './timestamp';
import { CORE_KEYS, fitToLimit, truncationMarker } from './truncate';

// Keys the CloudWatch line owns (truncate.ts, which keeps them when nothing else fits); a record field
// with one of these names is kept renamed. A shortened line owns `truncated` too.
export { CORE_KEYS };
const CORE_KEY_SET: ReadonlySet<string> = new Set(CORE_KEYS);
/** pino's own prefix fields: `pid`/`hostname` found among them are pino's, later ones the user's. */
const PINO_PREFIX_KEYS: ReadonlySet<string> = new Set(['level', 'time', 'pid', 'hostname']);
/** Where a record's error goes in the line. */
export const ERROR_KEY_OUT = 'error';

// pino's own prefix, in the order pino writes it.
const LEVEL_OPEN = bytesOf('{"level":');
const TIME = bytesOf(',"time":');
const PID = bytesOf(',"pid":');
const HOSTNAME = bytesOf(',"hostname":"');
const NAME = bytesOf(',"name":"');
const ERROR_KEY_BYTES = bytesOf(`,"${ERROR_KEY_OUT}":`);

/** shapeBytes: the line takes the general path. */
export const NOT_PINO = -1;
/** shapeBytes: the output region is too full for the line; write it out and try again. */
export const NO_ROOM = -2;

/** A key that needs more than a copy when found among a record's fields. */
interface SpecialKey {
  readonly key: string;
  readonly bytes: Uint8Array;
}

/** Copies `work[from, to)` to `at` (regions apart) and returns the end: short runs byte by byte. */
function copyBytes(work: Buffer, from: number, to: number, at: number): number {
  if (to - from <= 16) {
    for (let k = from; k < to; k++) work[at++] = work[k];
    return at;
  }
  work.copyWithin(at, from, to);
  return at + to - from;
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
  /** `,"<messageKey>":"` in UTF-8. */
  private messageNeedle = bytesOf(',"msg":"');
  /** Special keys by UTF-8 length, and for each length a bit per first byte (`byte & 31`). */
  private specialByLength: SpecialKey[][] = [];
  private specialFirst: number[] = [];
  /** The header of the last pino record read, and the millisecond, level and logger it is for. */
  private headerBytes: Uint8Array = new Uint8Array(0);
  private headerTime = NaN;
  private headerLevel = NaN;
  private headerName: Uint8Array | undefined;
  /** Byte ranges of pino's pid/hostname in the line being shaped when the options show them, else -1. */
  private shownPid = -1;
  private shownPidEnd = -1;
  private shownHostname = -1;
  private shownHostnameEnd = -1;

  constructor(private readonly config: ShapeConfig) {
    this.timestamp = createTimestampFormatter(config.utc);
    this.appJson = JSON.stringify(config.app);
    this.appAndProcess = `,"app":${this.appJson},"process":${JSON.stringify(config.process)},"message":`;
    this.configure({});
  }

  /** Applies the logger's level map and keys (sent by pino once the logger exists). */
  configure(logger: LoggerConfig): void {
    this.labels = new LevelLabels(logger.levels, this.config.levelLabels);
    this.headerTime = NaN;
    this.messageKey = logger.messageKey ?? 'msg';
    this.errorKey = logger.errorKey ?? 'err';
    this.messageNeedle = bytesOf(`,${JSON.stringify(this.messageKey)}:"`);
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
      const bytes = bytesOf(key);
      (this.specialByLength[bytes.length] ??= []).push({ key, bytes });
      this.specialFirst[bytes.length] = (this.specialFirst[bytes.length] ?? 0) | (1 << (bytes[0] & 31));
    }
    // Lengths without special keys read as 0 (no holes: the array stays fast to index).
    for (let n = 0; n < this.specialFirst.length; n++) this.specialFirst[n] ??= 0;
  }

  /**
   * The fast path for pino's own lines, on UTF-8 bytes. Shapes the line `work[start, end)` (no
   * newline) into `work` at `outPos`, newline included, and returns the end of what it wrote; the
   * output region `[outPos, outLimit)` must not overlap the line. Returns NOT_PINO when the line must
   * take the general path (not pino's shape, a key that needs renaming, too long), or NO_ROOM when
   * the shaped line might not fit before `outLimit`.
   *
   * It reads the fields pino always puts first (level, time, pid, hostname, name) and the message,
   * which pino always puts last, and copies everything between as one piece. The top level is
   * checked (pairs, literals, balanced nested values); what is inside strings and nested values is
   * trusted to be the valid JSON pino always writes — checking it would cost more than all the rest.
   * Other producers' lines take the general path, which checks everything.
   */
  shapeBytes(work: Buffer, start: number, end: number, outPos: number, outLimit: number): number {
    if (end - start > (this.config.maxEventBytes - 512) / 3) return NOT_PINO;
    const i = this.readPrefix(work, start, end);
    if (i === -1) return NOT_PINO;
    const last = end - 1;
    if (work[last] !== CLOSE_BRACE) return NOT_PINO;
    let fieldsEnd = last;
    let messageStart = -1;
    if (work[last - 1] === QUOTE) {
      // The message string ends the line; its opening quote is the first unescaped quote before
      // its end (a string holds no unescaped quote), and the message key must stand right before.
      const open = bytesStringStart(work, last - 1, i);
      const at = open - this.messageNeedle.length + 1;
      if (open !== -1 && at >= i && matchBytes(work, at, this.messageNeedle)) {
        messageStart = open;
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
      if (work[p] !== COMMA || work[p + 1] !== QUOTE) return NOT_PINO;
      const keyEnd = bytesStringEnd(work, p + 1, fieldsEnd);
      if (keyEnd === -1 || work[keyEnd + 1] !== COLON) return NOT_PINO;
      const length = keyEnd - p - 2;
      if (
        length < this.specialFirst.length &&
        (this.specialFirst[length] & (1 << (work[p + 2] & 31))) !== 0
      ) {
        for (const { key, bytes } of this.specialByLength[length]) {
          if (!matchBytes(work, p + 2, bytes)) continue;
          if (key !== this.errorKey || errorAt !== -1) return NOT_PINO;
          errorAt = p;
          errorValue = keyEnd + 2;
          break;
        }
      }
      p = bytesValueEnd(work, keyEnd + 2, fieldsEnd);
      if (p === -1) return NOT_PINO;
    }
    if (p !== fieldsEnd) return NOT_PINO;

    const header = this.headerBytes;
    // Header, the line's own bytes (at most), `,"error":` instead of the error key, `}` and newline.
    if (outPos + header.length + (end - start) + 16 > outLimit) return NO_ROOM;
    work.set(header, outPos);
    let o = outPos + header.length;
    if (messageStart === -1) {
      work[o++] = QUOTE;
      work[o++] = QUOTE;
    } else {
      o = copyBytes(work, messageStart, last, o);
    }
    if (this.shownPid !== -1) o = copyBytes(work, this.shownPid, this.shownPidEnd, o);
    if (this.shownHostname !== -1) o = copyBytes(work, this.shownHostname, this.shownHostnameEnd, o);
    if (errorAt === -1) {
      o = copyBytes(work, i, fieldsEnd, o);
    } else {
      o = copyBytes(work, i, errorAt, o);
      work.set(ERROR_KEY_BYTES, o);
      o = copyBytes(work, errorValue, fieldsEnd, ERROR_KEY_BYTES.length + o);
    }
    work[o++] = CLOSE_BRACE;
    work[o++] = NEWLINE;
    this.lastTime = this.headerTime;
    return o;
  }

  /**
   * Reads pino's prefix (`{"level":N,"time":T` then its base bindings `pid`, `hostname` and `name`
   * when present) at `start`, and makes the record's header current (built again only when the
   * millisecond, the level or the logger changed). Returns the index after the prefix, or -1.
   */
  private readPrefix(work: Buffer, start: number, end: number): number {
    if (!matchBytes(work, start, LEVEL_OPEN)) return -1;
    let i = start + LEVEL_OPEN.length;
    let c = work[i];
    if (c < DIGIT_0 || c > DIGIT_9) return -1;
    let level = 0;
    do {
      level = level * 10 + c - DIGIT_0;
      c = work[++i];
    } while (c >= DIGIT_0 && c <= DIGIT_9);
    if (!matchBytes(work, i, TIME)) return -1;
    i += TIME.length;
    c = work[i];
    if (c < DIGIT_0 || c > DIGIT_9) return -1;
    // Epoch milliseconds have 13 digits: the first nine add up in small integers, cheaper than doubles.
    let high = 0;
    const highEnd = i + 9;
    do {
      high = high * 10 + c - DIGIT_0;
      c = work[++i];
    } while (c >= DIGIT_0 && c <= DIGIT_9 && i < highEnd);
    let time = high;
    while (c >= DIGIT_0 && c <= DIGIT_9) {
      time = time * 10 + c - DIGIT_0;
      c = work[++i];
    }
    this.shownPid = -1;
    this.shownHostname = -1;
    if (matchBytes(work, i, PID)) {
      const from = i;
      i = bytesValueEnd(work, i + PID.length, end);
      if (i === -1) return -1;
      if (this.config.pid) {
        this.shownPid = from;
        this.shownPidEnd = i;
      }
    }
    if (matchBytes(work, i, HOSTNAME)) {
      const from = i;
      i = bytesStringEnd(work, i + HOSTNAME.length - 1, end) + 1;
      if (i === 0) return -1;
      if (this.config.hostname) {
        this.shownHostname = from;
        this.shownHostnameEnd = i;
      }
    }
    let nameStart = -1;
    let nameEnd = -1;
    if (matchBytes(work, i, NAME)) {
      nameStart = i + NAME.length - 1;
      nameEnd = bytesStringEnd(work, nameStart, end) + 1;
      if (nameEnd === 0) return -1;
      i = nameEnd;
    }
    const name = this.headerName;
    const sameName =
      nameStart === -1
        ? name === undefined
        : name !== undefined && name.length === nameEnd - nameStart && matchBytes(work, nameStart, name);
    if (time !== this.headerTime || level !== this.headerLevel || !sameName) {
      const logger = nameStart === -1 ? undefined : work.toString('utf8', nameStart, nameEnd);
      this.headerTime = time;
      this.headerLevel = level;
      this.headerName = nameStart === -1 ? undefined : work.subarray(nameStart, nameEnd).slice();
      this.headerBytes = Buffer.from(
        this.header(time, this.labels.ofNumber(level), logger ?? this.appJson),
        'utf8',
      );
    }
    return i;
  }

  /**
   * `{"@timestamp":…,"level":…,"logger":…,"app":…,"process":…,"message":` — everything before the
   * message value; `levelJson` and `loggerJson` are JSON texts.
   */
  private header(time: number, levelJson: string, loggerJson: string): string {
    return `{"@timestamp":"${this.timestamp(time)}","level":${levelJson},"logger":${loggerJson}${this.appAndProcess}`;
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
      out = fitToLimit(out, this.config.maxEventBytes, this.reportRename);
    }
    return out;
  }

  /** Any JSON object, e.g. pretty-printed: decoded, then split into pairs like a compact one. */
  private parseLoose(line: string): boolean {
    const trimmed = line.trim();
    if (trimmed.charCodeAt(0) !== OPEN_BRACE) return false;
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
      this.header(
        this.lastTime,
        levelAt === -1 ? '"INFO"' : this.levelLabel(values[levelAt]),
        nameAt === -1 ? this.appJson : asJsonString(values[nameAt], this.appJson),
      ) +
      (messageAt === -1 ? '""' : asJsonString(values[messageAt], '""')) +
      extras +
      '}'
    );
  }

  private rename(key: string, taken: Set<string>): string {
    let renamed = `_${key}`;
    while (taken.has(renamed)) renamed = `_${renamed}`;
    taken.add(renamed);
    this.reportRename(key, renamed);
    return renamed;
  }

  /** Tells `onRename` the first time a field name had to be renamed (here or by fitToLimit). */
  private readonly reportRename = (key: string, renamed: string): void => {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.config.onRename?.(key, renamed);
  };

  private levelLabel(raw: string): string {
    const c = raw.charCodeAt(0);
    if (c === QUOTE) return LevelLabels.ofText(JSON.parse(raw) as string, this.config.levelLabels);
    const num = Number(raw);
    return Number.isFinite(num) ? this.labels.ofNumber(num) : JSON.stringify(raw);
  }

  /**
   * A line the shaper could not handle (it threw): its text becomes the message of a valid record,
   * cut to fit the size limit, with the reason.
   */
  unshapeable(line: string, error: Error): string {
    this.lastTime = this.config.now();
    const head = this.header(this.lastTime, '"INFO"', this.appJson);
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
    return this.header(this.lastTime, '"INFO"', this.appJson) + JSON.stringify(line) + ',"unparsed":true}';
  }
}

/** Epoch ms of pino's `time` (a number, or an ISO string from `stdTimeFunctions.isoTime`). */
function parseTime(raw: string): number | undefined {
  const c = raw.charCodeAt(0);
  const t = c === QUOTE ? Date.parse(JSON.parse(raw) as string) : Number(raw);
  return Number.isFinite(t) ? t : undefined;
}

/** A raw JSON value as a JSON string: strings stay as they are, anything else becomes its text. */
function asJsonString(raw: string, whenNull: string): string {
  if (raw.charCodeAt(0) === QUOTE) return raw;
  if (raw === 'null') return whenNull;
  return JSON.stringify(raw);
}
