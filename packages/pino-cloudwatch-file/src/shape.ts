import {
  Byte,
  bytesOf,
  bytesStringEnd,
  bytesStringStart,
  checkedValueEnd,
  isEscaped,
  matchBytes,
  matchWords,
  plainKeyEnd,
  wordPattern,
} from './json-bytes';
import { plainBytes } from './plain-scan';
import { readObject } from './json-scan';
import { LevelLabels, renamedKey } from 'pino-cloudwatch-core';
import { isAcceptedTime } from './time-range';
import { createTimestampFormatter } from './timestamp';
import { CORE_KEYS, fitToLimit, truncationMarker } from './truncate';

// Keys the CloudWatch line owns (truncate.ts, which keeps them when nothing else fits); a record field
// with one of these names is kept renamed. A shortened line owns `truncated` too.
export { CORE_KEYS };
/** Where a record's error goes in the line. */
export const ERROR_KEY_OUT = 'error';

// pino's own prefix, in the order pino writes it.
const LEVEL_OPEN = wordPattern('{"level":');
const TIME = wordPattern(',"time":');
const PID = wordPattern(',"pid":');
const HOSTNAME = wordPattern(',"hostname":"');
const NAME = wordPattern(',"name":"');
const ERROR_KEY_BYTES = bytesOf(`,"${ERROR_KEY_OUT}":`);

/** shapeBytes: the line takes the general path. */
export const NOT_PINO = -1;
/** shapeBytes: the output region is too full for the line; write it out and try again. */
export const NO_ROOM = -2;

// What a top-level key of a record is to the line (KeyRule.role), unless it is the first `level` or
// `time`, which are pino's and go into the header.
/** Copied as it is. */
const EXTRA = 0;
/** The logger's messageKey: the last one is the message, any other is renamed. */
const MESSAGE = 1;
/**
 * pino's `name`: the last one is the logger (a child's name binding comes after its parent's). A
 * logged object's `name` would come last too: keepLoggedName (logged-name.ts) writes it as `_name`.
 */
const LOGGER = 2;
/** The logger's errorKey: the last one is the record's error, written as `error`; any other is renamed. */
const ERROR = 3;
/** `error`: renamed when the record has an error, else copied. */
const ERROR_OUT = 4;
/** A key the line owns (CORE_KEYS): renamed. */
const OWNED = 5;
type Role = typeof EXTRA | typeof MESSAGE | typeof LOGGER | typeof ERROR | typeof ERROR_OUT | typeof OWNED;

/**
 * What one key means to the line: the one rule table both paths read (KeyRules). The fast path copies
 * every key the table does not name, rewrites the error key, and hands the line to the general path
 * for any other key the table names; the general path applies the rules.
 */
interface KeyRule {
  /** The key's UTF-8 bytes, compared with the bytes between its quotes in the line. */
  readonly bytes: Uint8Array;
  /** `level` or `time`: the first one is pino's, read into the header; the others follow `role`. */
  readonly header: 'level' | 'time' | undefined;
  /** The first that applies: messageKey, `name`, errorKey, `error`, an owned key; else an extra. */
  readonly role: Role;
  /** One of the fields pino writes first (`level`, `time`, `pid`, `hostname`). */
  readonly pinoPrefix: boolean;
  /** `pid` or `hostname` left out by the options: dropped while it stands in pino's prefix. */
  readonly hidden: boolean;
  /** `name`: one that is not the logger is dropped, never copied (a name binding shadowed by a child's). */
  readonly name: boolean;
}

/** The fields pino writes before the logged object, where it writes them (`name` is a base binding). */
const PINO_FIELDS: readonly string[] = ['level', 'time', 'pid', 'hostname', 'name'];

/** The key rules for one logger: the keys that need more than a copy, found by their UTF-8 bytes. */
class KeyRules {
  /**
   * Whether pino's fields mean what pino means by them: neither the messageKey nor the errorKey is
   * one of them. The fast path reads them by their place in the line, so it only runs then.
   */
  readonly pinoFields: boolean;
  /** The errorKey's rule: the one named key the fast path handles itself. */
  readonly error: KeyRule | undefined;
  /** Rules by key length in bytes, and for each length a bit per first byte (`byte & 31`). */
  private readonly byLength: KeyRule[][] = [];
  private readonly firstBytes: number[] = [];

  constructor(
    messageKey: string,
    errorKey: string,
    shown: { readonly pid: boolean; readonly hostname: boolean },
  ) {
    this.pinoFields = !PINO_FIELDS.includes(messageKey) && !PINO_FIELDS.includes(errorKey);
    for (const key of new Set([...CORE_KEYS, ...PINO_FIELDS, ERROR_KEY_OUT, messageKey, errorKey])) {
      const rule: KeyRule = {
        bytes: bytesOf(key),
        header: key === 'level' || key === 'time' ? key : undefined,
        role:
          key === messageKey
            ? MESSAGE
            : key === 'name'
              ? LOGGER
              : key === errorKey
                ? ERROR
                : key === ERROR_KEY_OUT
                  ? ERROR_OUT
                  : (CORE_KEYS as readonly string[]).includes(key)
                    ? OWNED
                    : EXTRA,
        pinoPrefix: key === 'level' || key === 'time' || key === 'pid' || key === 'hostname',
        hidden: (key === 'pid' && !shown.pid) || (key === 'hostname' && !shown.hostname),
        name: key === 'name',
      };
      const length = rule.bytes.length;
      (this.byLength[length] ??= []).push(rule);
      // An empty key's first byte is its closing quote.
      this.firstBytes[length] = (this.firstBytes[length] ?? 0) | (1 << ((rule.bytes[0] ?? Byte.QUOTE) & 31));
      if (rule.role === ERROR) this.error = rule;
    }
    // Lengths without rules read as 0 (no holes: the array stays fast to index).
    for (let n = 0; n < this.firstBytes.length; n++) this.firstBytes[n] ??= 0;
  }

  /** The rule of the key whose text is `bytes[from, to)`, or undefined: the pair is copied as it is. */
  find(bytes: Uint8Array, from: number, to: number): KeyRule | undefined {
    const length = to - from;
    if (length >= this.firstBytes.length || (this.firstBytes[length] & (1 << (bytes[from] & 31))) === 0) {
      return undefined;
    }
    for (const rule of this.byLength[length]) if (matchBytes(bytes, from, rule.bytes)) return rule;
    return undefined;
  }
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
  /** Called the first time a record's time was outside the accepted window (see time-range.ts). */
  readonly onInvalidTime?: (raw: string) => void;
  /**
   * Whether `bytes[from, to)` has no raw control character and only JSON's escapes (plain-scan.ts),
   * for `shapeBytes` calls that did not check first; default: the byte-by-byte `plainBytes`. The
   * transport checks each line with its ScanBuffer itself and calls `shapeBytes` with `checked`.
   */
  readonly plainLine?: (bytes: Buffer, from: number, to: number) => boolean;
}

/** The logger's own configuration, as pino reports it. */
export interface LoggerConfig {
  readonly levels?: Readonly<Record<string, number>>;
  readonly messageKey?: string;
  readonly errorKey?: string;
}

/**
 * Where a shaping call hands back the time of the record it shaped (epoch ms): the time that chooses
 * the record's file. The caller owns it and reads it right after the call.
 */
export interface ShapedRecord {
  time: number;
}

/** For callers that do not need the time. */
const TIME_NOT_NEEDED: ShapedRecord = { time: 0 };

/**
 * Turns pino's JSON lines into CloudWatch lines (CONTRACT §1):
 * `{"@timestamp","level","logger","app","process","message",...extras}`.
 * Values are copied as pino wrote them; only the core fields are built here.
 */
export class RecordShaper {
  private readonly plainLine: (bytes: Buffer, from: number, to: number) => boolean;
  /** The top-level pairs of the line on the general path, as readObject fills them. */
  private readonly pairs: number[] = [];
  /** Each pair's rule, on the general path. */
  private readonly pairRules: (KeyRule | undefined)[] = [];
  private readonly timestamp: (t: number) => string;
  private readonly appAndProcess: string;
  private readonly appJson: string;
  private readonly reported = new Set<string>();
  private labels!: LevelLabels;
  /** `,"<messageKey>":"` in UTF-8. */
  private messageNeedle = wordPattern(',"msg":"');
  /** A DataView of the buffer last shaped in, for the patterns' 4-byte compares (made again for a new buffer). */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private viewOf: Uint8Array | undefined;
  private rules!: KeyRules;
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
    this.plainLine = config.plainLine ?? plainBytes;
    this.timestamp = createTimestampFormatter(config.utc);
    this.appJson = JSON.stringify(config.app);
    this.appAndProcess = `,"app":${this.appJson},"process":${JSON.stringify(config.process)},"message":`;
    this.configure({});
  }

  /** Applies the logger's level map and keys (sent by pino once the logger exists). */
  configure(logger: LoggerConfig): void {
    this.labels = new LevelLabels(logger.levels, this.config.levelLabels);
    this.headerTime = NaN;
    const messageKey = logger.messageKey ?? 'msg';
    this.messageNeedle = wordPattern(`,${JSON.stringify(messageKey)}:"`);
    this.rules = new KeyRules(messageKey, logger.errorKey ?? 'err', this.config);
  }

  /**
   * The fast path for pino's own lines, on UTF-8 bytes. Shapes the line `work[start, end)` (no
   * newline) into `work` at `outPos`, newline included, and returns the end of what it wrote; the
   * output region `[outPos, outLimit)` must not overlap the line. Returns NOT_PINO when the line must
   * take the general path (not pino's shape, a key that needs renaming, too long), or NO_ROOM when
   * the shaped line might not fit before `outLimit`. `checked`: the caller has found the line's
   * bytes plain already (ShapeConfig.plainLine).
   *
   * It reads the fields pino always puts first (level, time, pid, hostname, name) and the message,
   * which pino always puts last, and copies everything between as one piece. Every byte it copies is
   * checked to be JSON as pino's serializer writes it (json-bytes.ts, checked scanning: no raw
   * control character, only JSON's escapes, no white space, keys without escapes); a line with
   * anything else — another producer's, one rewritten on its way — takes the general path, which
   * checks it with JSON.parse. So every line written is JSON, whatever the input.
   */
  shapeBytes(
    work: Buffer,
    start: number,
    end: number,
    outPos: number,
    outLimit: number,
    checked = false,
    shaped: ShapedRecord = TIME_NOT_NEEDED,
  ): number {
    if (end - start > (this.config.maxEventBytes - 512) / 3 || !this.rules.pinoFields) return NOT_PINO;
    if (!checked && !this.plainLine(work, start, end)) return NOT_PINO;
    if (work !== this.viewOf) {
      this.view = new DataView(work.buffer, work.byteOffset, work.byteLength);
      this.viewOf = work;
    }
    const i = this.readPrefix(work, start, end);
    if (i === -1) return NOT_PINO;
    const last = end - 1;
    if (work[last] !== Byte.CLOSE_BRACE) return NOT_PINO;
    let fieldsEnd = last;
    let messageStart = -1;
    if (work[last - 1] === Byte.QUOTE) {
      // The message string ends the line; its opening quote is the first unescaped quote before
      // its end (a string holds no unescaped quote), and the message key must stand right before.
      const open = bytesStringStart(work, last - 1, i);
      const at = open - this.messageNeedle.length + 1;
      if (open !== -1 && at >= i && matchWords(this.view, work, at, end, this.messageNeedle)) {
        if (isEscaped(work, last - 1)) return NOT_PINO; // `"\"}`: the line's last string is not closed
        messageStart = open;
        fieldsEnd = at;
      }
    }
    // The fields between are copied as one piece after one walk over their top-level keys: it
    // checks that they are JSON as pino writes it (checkedValueEnd: every string, literal and nested
    // value), finds the error key, and sends the line to the general path for a key spelled with
    // escapes and for any other key the rules name (one to rename, a second name, pino's fields out of
    // their place).
    const { rules } = this;
    let errorAt = -1;
    let errorValue = -1;
    let p = i;
    while (p < fieldsEnd) {
      if (work[p] !== Byte.COMMA || work[p + 1] !== Byte.QUOTE) return NOT_PINO;
      const keyEnd = plainKeyEnd(work, p + 1, fieldsEnd);
      if (keyEnd === -1 || work[keyEnd + 1] !== Byte.COLON) return NOT_PINO;
      const rule = rules.find(work, p + 2, keyEnd);
      if (rule !== undefined) {
        if (rule !== rules.error || errorAt !== -1) return NOT_PINO;
        errorAt = p;
        errorValue = keyEnd + 2;
      }
      p = checkedValueEnd(work, keyEnd + 2, fieldsEnd);
      if (p === -1) return NOT_PINO;
    }
    if (p !== fieldsEnd) return NOT_PINO;

    const header = this.headerBytes;
    // Header, the line's own bytes (at most), `,"error":` instead of the error key, `}` and newline.
    if (outPos + header.length + (end - start) + 16 > outLimit) return NO_ROOM;
    work.set(header, outPos);
    let o = outPos + header.length;
    if (messageStart === -1) {
      work[o++] = Byte.QUOTE;
      work[o++] = Byte.QUOTE;
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
    work[o++] = Byte.CLOSE_BRACE;
    work[o++] = Byte.NEWLINE;
    shaped.time = this.headerTime;
    return o;
  }

  /**
   * Reads pino's prefix (`{"level":N,"time":T` then its base bindings `pid`, `hostname` and `name`
   * when present) at `start`, and makes the record's header current (built again only when the
   * millisecond, the level or the logger changed). Returns the index after the prefix, or -1.
   */
  private readPrefix(work: Buffer, start: number, end: number): number {
    const { view } = this;
    if (!matchWords(view, work, start, end, LEVEL_OPEN)) return -1;
    let i = start + LEVEL_OPEN.length;
    let c = work[i];
    if (c < Byte.DIGIT_0 || c > Byte.DIGIT_9) return -1;
    let level = 0;
    do {
      level = level * 10 + c - Byte.DIGIT_0;
      c = work[++i];
    } while (c >= Byte.DIGIT_0 && c <= Byte.DIGIT_9);
    if (!matchWords(view, work, i, end, TIME)) return -1;
    i += TIME.length;
    c = work[i];
    if (c < Byte.DIGIT_0 || c > Byte.DIGIT_9) return -1;
    // Epoch milliseconds have 13 digits: the first nine add up in small integers, cheaper than doubles.
    let high = 0;
    const highEnd = i + 9;
    do {
      high = high * 10 + c - Byte.DIGIT_0;
      c = work[++i];
    } while (c >= Byte.DIGIT_0 && c <= Byte.DIGIT_9 && i < highEnd);
    let time = high;
    while (c >= Byte.DIGIT_0 && c <= Byte.DIGIT_9) {
      time = time * 10 + c - Byte.DIGIT_0;
      c = work[++i];
    }
    this.shownPid = -1;
    this.shownHostname = -1;
    if (matchWords(view, work, i, end, PID)) {
      const from = i;
      i = checkedValueEnd(work, i + PID.length, end);
      if (i === -1) return -1;
      if (this.config.pid) {
        this.shownPid = from;
        this.shownPidEnd = i;
      }
    }
    if (matchWords(view, work, i, end, HOSTNAME)) {
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
    if (matchWords(view, work, i, end, NAME)) {
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
      // A time the agent would drop (or that would name a wild file) takes the general path.
      if (time !== this.headerTime && !isAcceptedTime(time, this.config.now())) return -1;
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

  /**
   * The general path: shapes any line (without its newline) into one CloudWatch line (without
   * newline). A JSON object is read into byte ranges of its UTF-8 text (readObject) and shaped by
   * the key rules; anything else becomes the message of a valid record.
   */
  shape(line: string, shaped: ShapedRecord = TIME_NOT_NEEDED): string {
    const { pairs } = this;
    const bytes = readObject(line, Buffer.from(line, 'utf8'), pairs);
    let out = bytes === undefined ? this.unparsed(line, shaped) : this.assemble(bytes, pairs, shaped);
    // A UTF-16 length three times under the limit cannot exceed it in UTF-8 bytes.
    if (out.length * 3 > this.config.maxEventBytes && Buffer.byteLength(out) > this.config.maxEventBytes) {
      out = fitToLimit(out, this.config.maxEventBytes, this.reportRename);
    }
    return out;
  }

  /** The line for the object whose top-level pairs (four offsets each, see splitObject) are in `bytes`. */
  private assemble(bytes: Buffer, pairs: readonly number[], shaped: ShapedRecord): string {
    const { pairRules } = this;
    const count = pairs.length >> 2;
    pairRules.length = count;
    let levelAt = -1;
    let timeAt = -1;
    let messageAt = -1;
    let nameAt = -1;
    let errorAt = -1;
    let prefixEnd = count; // pino's prefix: the pairs before the first key that is not one of its fields
    let userError = false;
    let renames = false;
    for (let i = 0; i < count; i++) {
      const rule = this.ruleOf(bytes, pairs[4 * i], pairs[4 * i + 1], i);
      pairRules[i] = rule;
      if (prefixEnd === count && rule?.pinoPrefix !== true) prefixEnd = i;
      if (rule === undefined) continue;
      if (rule.header === 'level' && levelAt === -1) levelAt = i;
      else if (rule.header === 'time' && timeAt === -1) timeAt = i;
      else if (rule.role === MESSAGE) {
        if (messageAt !== -1) renames = true;
        messageAt = i;
      } else if (rule.role === LOGGER) nameAt = i;
      else if (rule.role === ERROR) {
        if (errorAt !== -1) renames = true;
        errorAt = i;
      } else if (rule.role === ERROR_OUT) userError = true;
      else if (rule.role === OWNED) renames = true;
    }
    if (userError && errorAt !== -1) renames = true;
    let taken: Set<string> | undefined;
    if (renames) {
      taken = new Set<string>(CORE_KEYS);
      for (let i = 0; i < count; i++) taken.add(this.keyOf(bytes, pairs, i));
      if (errorAt !== -1) taken.add(ERROR_KEY_OUT);
    }

    // Pairs copied as they are go out in runs: one piece from the first one's key to the last one's value.
    let extras = '';
    let runFrom = -1;
    let runTo = -1;
    for (let i = 0; i < count; i++) {
      const rule = pairRules[i];
      // The key the pair is written under instead; undefined: copied as it is; null: left out.
      let writeAs: string | null | undefined;
      if (rule === undefined) writeAs = undefined;
      else if (i === levelAt || i === timeAt || i === messageAt || i === nameAt)
        writeAs = null; // in the header
      else if (i === errorAt) writeAs = ERROR_KEY_OUT;
      else if (rule.name)
        writeAs = null; // a name binding shadowed by a child's
      else if (rule.hidden && i < prefixEnd)
        writeAs = null; // pino's pid or hostname, not shown
      else if (taken !== undefined && clashes(rule, errorAt)) {
        writeAs = this.rename(this.keyOf(bytes, pairs, i), taken);
      }
      if (writeAs === undefined) {
        if (runFrom === -1) runFrom = pairs[4 * i] - 1;
        runTo = pairs[4 * i + 3];
        continue;
      }
      if (runFrom !== -1) extras += `,${bytes.toString('utf8', runFrom, runTo)}`;
      runFrom = -1;
      if (writeAs !== null) {
        extras += `,${JSON.stringify(writeAs)}:${bytes.toString('utf8', pairs[4 * i + 2], pairs[4 * i + 3])}`;
      }
    }
    if (runFrom !== -1) extras += `,${bytes.toString('utf8', runFrom, runTo)}`;

    const value = (i: number): string => bytes.toString('utf8', pairs[4 * i + 2], pairs[4 * i + 3]);
    const time = timeAt === -1 ? undefined : parseTime(value(timeAt));
    const now = this.config.now();
    const accepted = time !== undefined && isAcceptedTime(time, now);
    const recordTime = accepted ? time : now;
    shaped.time = recordTime;
    if (!accepted && timeAt !== -1) {
      extras += `,"invalidTime":${value(timeAt)}`;
      this.reportInvalidTime(value(timeAt));
    }
    return (
      this.header(
        recordTime,
        levelAt === -1 ? '"INFO"' : this.levelLabel(value(levelAt)),
        nameAt === -1 ? this.appJson : asJsonString(value(nameAt), this.appJson),
      ) +
      (messageAt === -1 ? '""' : asJsonString(value(messageAt), '""')) +
      extras +
      '}'
    );
  }

  /** Pair `i`'s key as decoded where it is written with escapes (see ruleOf), else undefined. */
  private readonly decodedKeys: (string | undefined)[] = [];

  /**
   * The rule of the key `bytes[from, to)` of pair `i`. A key written with escapes is decoded first
   * (`"lev\u0065l"` is `level`, `"\u0040timestamp"` is `@timestamp`), so no spelling of a key gets
   * past the rules — JSON.parse, and every reader after it, would see the decoded key.
   */
  private ruleOf(bytes: Buffer, from: number, to: number, i: number): KeyRule | undefined {
    let k = from;
    while (k < to && bytes[k] !== Byte.BACKSLASH) k++;
    if (k === to) {
      this.decodedKeys[i] = undefined;
      return this.rules.find(bytes, from, to);
    }
    const key = JSON.parse(bytes.toString('utf8', from - 1, to + 1)) as string;
    this.decodedKeys[i] = key;
    const keyBytes = Buffer.from(key, 'utf8');
    return this.rules.find(keyBytes, 0, keyBytes.length);
  }

  /** Pair `i`'s key, decoded. */
  private keyOf(bytes: Buffer, pairs: readonly number[], i: number): string {
    return this.decodedKeys[i] ?? bytes.toString('utf8', pairs[4 * i], pairs[4 * i + 1]);
  }

  private rename(key: string, taken: Set<string>): string {
    const renamed = renamedKey(key, (name) => taken.has(name));
    taken.add(renamed);
    this.reportRename(key, renamed);
    return renamed;
  }

  private invalidTimeReported = false;

  /** Tells `onInvalidTime` the first time a record's time was not taken. */
  private reportInvalidTime(raw: string): void {
    if (this.invalidTimeReported) return;
    this.invalidTimeReported = true;
    this.config.onInvalidTime?.(raw);
  }

  /** Tells `onRename` the first time a field name had to be renamed (here or by fitToLimit). */
  private readonly reportRename = (key: string, renamed: string): void => {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.config.onRename?.(key, renamed);
  };

  private levelLabel(raw: string): string {
    const c = raw.charCodeAt(0);
    if (c === Byte.QUOTE) return LevelLabels.ofText(JSON.parse(raw) as string, this.config.levelLabels);
    const num = Number(raw);
    return Number.isFinite(num) ? this.labels.ofNumber(num) : JSON.stringify(raw);
  }

  /**
   * A line the shaper could not handle (it threw): its text becomes the message of a valid record,
   * cut to fit the size limit, with the reason.
   */
  unshapeable(line: string, error: Error, shaped: ShapedRecord = TIME_NOT_NEEDED): string {
    shaped.time = this.config.now();
    const head = this.header(shaped.time, '"INFO"', this.appJson);
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
  private unparsed(line: string, shaped: ShapedRecord): string {
    shaped.time = this.config.now();
    return this.header(shaped.time, '"INFO"', this.appJson) + JSON.stringify(line) + ',"unparsed":true}';
  }
}

/** Whether a key that stays in the line must be renamed, once the record has a field to rename. */
function clashes(rule: KeyRule, errorAt: number): boolean {
  return (
    rule.role === MESSAGE ||
    rule.role === ERROR ||
    rule.role === OWNED ||
    (rule.role === ERROR_OUT && errorAt !== -1)
  );
}

/** Epoch ms of pino's `time` (a number, or an ISO string from `stdTimeFunctions.isoTime`). */
function parseTime(raw: string): number | undefined {
  const c = raw.charCodeAt(0);
  const t = c === Byte.QUOTE ? Date.parse(JSON.parse(raw) as string) : Number(raw);
  return Number.isFinite(t) ? t : undefined;
}

/** A raw JSON value as a JSON string: strings stay as they are, anything else becomes its text. */
function asJsonString(raw: string, whenNull: string): string {
  if (raw.charCodeAt(0) === Byte.QUOTE) return raw;
  if (raw === 'null') return whenNull;
  return JSON.stringify(raw);
}
