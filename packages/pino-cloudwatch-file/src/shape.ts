import { Byte, bytesOf, matchBytes } from './json-bytes';
import { FAST_PATH, plainBytes, ScanBuffer, scanBufferOf } from './plain-scan';
import {
  Control,
  FastPathConfig,
  forgetHeaderTime,
  HEADER_MAX,
  NEW_HEADER,
  parsedRecord,
  patchMilliseconds,
  writeHeader,
  type ParsedRecord,
} from './fast-path';
import { readObject } from './json-scan';
import { ERROR_KEY, LevelLabels, renamedKey } from 'pino-cloudwatch-core';
import { isAcceptedTime } from './time-range';
import { createTimestampFormatter } from './timestamp';
import { CORE_KEYS, fitToLimit, truncationMarker } from './truncate';

// Keys the CloudWatch line owns (truncate.ts, which keeps them when nothing else fits); a record field
// with one of these names is kept renamed. A shortened line owns `truncated` too.
export { CORE_KEYS };

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
  /** Every rule, in no order. */
  readonly all: KeyRule[] = [];
  /** Rules by key length in bytes. */
  private readonly byLength: KeyRule[][] = [];
  /** For each key length in bytes, a bit per first byte (`byte & 31`) of the rules' keys. */
  readonly firstBytes: number[] = [];

  constructor(
    messageKey: string,
    errorKey: string,
    shown: { readonly pid: boolean; readonly hostname: boolean },
  ) {
    this.pinoFields = !PINO_FIELDS.includes(messageKey) && !PINO_FIELDS.includes(errorKey);
    for (const key of new Set([...CORE_KEYS, ...PINO_FIELDS, ERROR_KEY, messageKey, errorKey])) {
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
                : key === ERROR_KEY
                  ? ERROR_OUT
                  : (CORE_KEYS as readonly string[]).includes(key)
                    ? OWNED
                    : EXTRA,
        pinoPrefix: key === 'level' || key === 'time' || key === 'pid' || key === 'hostname',
        hidden: (key === 'pid' && !shown.pid) || (key === 'hostname' && !shown.hostname),
        name: key === 'name',
      };
      const length = rule.bytes.length;
      this.all.push(rule);
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
  /** Each pair's rule, on the general path, and what becomes of it. */
  private readonly pairRules: (KeyRule | undefined)[] = [];
  private readonly actions: PairAction[] = [];
  private readonly timestamp: (t: number) => string;
  private readonly appAndProcess: string;
  private readonly appJson: string;
  private readonly reported = new Set<string>();
  private labels!: LevelLabels;
  private rules!: KeyRules;
  /**
   * What the fast path is told about this logger (fast-path.ts), or undefined when its lines all take
   * the general path (pino's fields renamed by the options, or keys too long for the fast path).
   */
  private fast: FastPathConfig | undefined;
  /** Bumped by `configure`: a buffer whose control block holds an older version is written again. */
  private version = 0;
  /** The work bytes last shaped in, and their ScanBuffer (found once per buffer, not per line). */
  private lastWork: Uint8Array | undefined;
  private lastBuffer: ScanBuffer | undefined;
  /** Where lines of buffers outside a ScanBuffer are shaped (copied in and out). */
  private scratch: ScanBuffer | undefined;
  /** The longest line the fast path takes, in bytes: a longer one may need truncating. */
  private readonly maxFastBytes: number;

  constructor(private readonly config: ShapeConfig) {
    this.plainLine = config.plainLine ?? plainBytes;
    this.timestamp = createTimestampFormatter(config.utc);
    this.appJson = JSON.stringify(config.app);
    this.appAndProcess = `,"app":${this.appJson},"process":${JSON.stringify(config.process)},"message":`;
    this.maxFastBytes = (config.maxEventBytes - 512) / 3;
    this.configure({});
  }

  /** Applies the logger's level map and keys (sent by pino once the logger exists). */
  configure(logger: LoggerConfig): void {
    this.labels = new LevelLabels(logger.levels, this.config.levelLabels);
    const messageKey = logger.messageKey ?? 'msg';
    this.rules = new KeyRules(messageKey, logger.errorKey ?? 'err', this.config);
    this.fast =
      FAST_PATH && this.rules.pinoFields
        ? FastPathConfig.of(
            this.rules.all.map((rule) => ({ bytes: rule.bytes, error: rule === this.rules.error })),
            this.rules.firstBytes,
            bytesOf(`,${JSON.stringify(messageKey)}:"`),
            this.config,
            this.maxFastBytes,
          )
        : undefined;
    this.version++;
  }

  /**
   * The fast path for pino's own lines, on UTF-8 bytes. Shapes the line `work[start, end)` (no
   * newline) into `work` at `outPos`, newline included, and returns the end of what it wrote (the
   * bytes after it, up to `outLimit`, may be overwritten); the output region `[outPos, outLimit)`
   * must not overlap the line. Returns NOT_PINO when the line must
   * take the general path (not pino's shape, a key that needs renaming, too long), or NO_ROOM when
   * the shaped line might not fit before `outLimit`. `checked`: the caller has found the line's
   * bytes plain already (ShapeConfig.plainLine).
   *
   * The work is fast-path.wat's, on the memory of the ScanBuffer `work` belongs to (a line of any
   * other buffer is copied into one of the shaper's own). It reads the fields pino always puts first
   * (level, time, pid, hostname, name) and the message, which pino always puts last, and copies
   * everything between as one piece. Every byte it copies is checked to be JSON as pino's serializer
   * writes it (no raw control character, only JSON's escapes, no white space, keys without escapes);
   * a line with anything else — another producer's, one rewritten on its way — takes the general
   * path, which checks it with JSON.parse. So every line written is JSON, whatever the input.
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
    if (this.fast === undefined || end - start > this.maxFastBytes) return NOT_PINO;
    if (!checked && !this.plainLine(work, start, end)) return NOT_PINO;
    const buffer = this.fastBuffer(work, this.fast);
    if (buffer === undefined) return this.shapeCopied(work, start, end, outPos, outLimit, shaped);
    const shapeLine = buffer.shapeLine!;
    const { base } = buffer;
    let out = shapeLine(base + start, base + end, base + outPos, base + outLimit);
    if (out === NEW_HEADER) {
      if (!this.newHeader(buffer)) return NOT_PINO;
      out = shapeLine(base + start, base + end, base + outPos, base + outLimit);
      if (out === NEW_HEADER) return NOT_PINO;
    }
    if (out < 0) return out;
    shaped.time = buffer.headerTime;
    return out - base;
  }

  /**
   * The fast path over many lines in one call: shapes the lines of `work[start, limit)` — plain
   * already, each ending with a newline before `limit` — into `work` from `outPos` on, until one
   * that shapeBytes must take itself (a new header, a line for the general path, no room). Returns
   * where the lines not taken start; `run.outEnd` is the end of the output. Every line shaped has
   * the time of the header the fast path held when it began (see `forgetHeader`).
   */
  shapeLines(
    work: Buffer,
    start: number,
    limit: number,
    outPos: number,
    outLimit: number,
    run: { outEnd: number },
  ): number {
    run.outEnd = outPos;
    const buffer = this.fast === undefined ? undefined : this.fastBuffer(work, this.fast);
    if (buffer === undefined) return start;
    const { base, control } = buffer;
    buffer.shapeLines!(base + start, base + limit, base + outPos, base + outLimit);
    run.outEnd = control.readInt32LE(Control.LINES_OUTPUT_END) - base;
    return control.readInt32LE(Control.LINES_STOPPED_AT) - base;
  }

  /**
   * The ScanBuffer `work` belongs to (found once per buffer, not per line), its control block holding
   * this shaper's configuration; undefined for bytes outside a ScanBuffer.
   */
  private fastBuffer(work: Buffer, fast: FastPathConfig): ScanBuffer | undefined {
    if (work !== this.lastWork) {
      this.lastWork = work;
      this.lastBuffer = scanBufferOf(work);
    }
    const buffer = this.lastBuffer;
    if (buffer !== undefined && (buffer.controlOwner !== this || buffer.controlVersion !== this.version)) {
      fast.writeInto(buffer);
      buffer.controlOwner = this;
      buffer.controlVersion = this.version;
    }
    return buffer;
  }

  /**
   * Makes the fast path stop at the next line (NEW_HEADER) so that its caller sees its time again: the
   * transport calls it whenever the file a time belongs to may have changed.
   */
  forgetHeader(): void {
    if (this.lastBuffer?.shapeLine !== undefined) forgetHeaderTime(this.lastBuffer);
  }

  /**
   * Gives the fast path the header of the record it stopped at: false when the record's time is one
   * the agent would drop (or that would name a wild file), or the header does not fit; the line then
   * takes the general path.
   */
  private newHeader(buffer: ScanBuffer): boolean {
    const record = parsedRecord(buffer, this.parsed);
    if (record.time !== buffer.headerTime && !isAcceptedTime(record.time, this.config.now())) return false;
    if (patchMilliseconds(buffer, record)) return true;
    if (!record.nameSame) {
      buffer.headerLogger =
        record.nameStart === -1
          ? this.appJson
          : buffer.bytes.toString('utf8', record.nameStart, record.nameEnd);
    }
    const header = this.header(record.time, this.labels.ofNumber(record.level), buffer.headerLogger);
    return writeHeader(buffer, header, record);
  }

  /** The record the fast path last stopped at for a new header. */
  private readonly parsed: ParsedRecord = {
    level: 0,
    time: 0,
    nameStart: -1,
    nameEnd: -1,
    nameSame: false,
  };

  /** shapeBytes for a buffer outside a ScanBuffer: the line is shaped in the shaper's own and copied back. */
  private shapeCopied(
    work: Buffer,
    start: number,
    end: number,
    outPos: number,
    outLimit: number,
    shaped: ShapedRecord,
  ): number {
    const length = end - start;
    const room = Math.min(outLimit - outPos, HEADER_MAX + length + 64);
    if (room < 0) return NO_ROOM;
    const scratch = (this.scratch ??= new ScanBuffer(length + room));
    if (scratch.bytes.length < length + room) scratch.resize(length + room, 0);
    const bytes = scratch.bytes;
    work.copy(bytes, 0, start, end);
    const out = this.shapeBytes(bytes, 0, length, length, length + room, true, shaped);
    if (out < 0) return out;
    bytes.copy(work, outPos, length, out);
    return outPos + out - length;
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

  /**
   * The line for the object whose top-level pairs (four offsets each, see splitObject) are in `bytes`:
   * one pass over the key rules decides what becomes of each pair (PairAction), then the line is
   * written from those decisions alone.
   */
  private assemble(bytes: Buffer, pairs: readonly number[], shaped: ShapedRecord): string {
    const { pairRules, actions } = this;
    const count = pairs.length >> 2;
    pairRules.length = count;
    actions.length = count;
    let levelAt = -1;
    let timeAt = -1;
    let messageAt = -1;
    let nameAt = -1;
    let errorAt = -1;
    let prefixEnd = count; // pino's prefix: the pairs before the first key that is not one of its fields
    // The last message, logger and error win: an earlier one is kept as any other pair with its rule.
    const displace = (at: number): void => {
      if (at !== -1) actions[at] = keptAs(pairRules[at]!, at < prefixEnd);
    };
    for (let i = 0; i < count; i++) {
      const rule = this.ruleOf(bytes, pairs[4 * i], pairs[4 * i + 1], i);
      pairRules[i] = rule;
      if (prefixEnd === count && rule?.pinoPrefix !== true) prefixEnd = i;
      if (rule === undefined) {
        actions[i] = COPY;
      } else if (rule.header === 'level' && levelAt === -1) {
        levelAt = i;
        actions[i] = IN_HEADER;
      } else if (rule.header === 'time' && timeAt === -1) {
        timeAt = i;
        actions[i] = IN_HEADER;
      } else if (rule.role === MESSAGE) {
        displace(messageAt);
        messageAt = i;
        actions[i] = IN_HEADER;
      } else if (rule.role === LOGGER) {
        displace(nameAt);
        nameAt = i;
        actions[i] = IN_HEADER;
      } else if (rule.role === ERROR) {
        displace(errorAt);
        errorAt = i;
        actions[i] = AS_ERROR;
      } else {
        actions[i] = keptAs(rule, i < prefixEnd);
      }
    }

    // Pairs copied as they are go out in runs: one piece from the first one's key to the last one's value.
    let extras = '';
    let runFrom = -1;
    let runTo = -1;
    /** The keys the line has (found when a first pair is renamed), so a new name is one it does not have. */
    let taken: Set<string> | undefined;
    for (let i = 0; i < count; i++) {
      let action = actions[i];
      if (action === RENAME_IF_ERROR) action = errorAt === -1 ? COPY : RENAME;
      if (action === COPY) {
        if (runFrom === -1) runFrom = pairs[4 * i] - 1;
        runTo = pairs[4 * i + 3];
        continue;
      }
      if (runFrom !== -1) extras += `,${bytes.toString('utf8', runFrom, runTo)}`;
      runFrom = -1;
      if (action === IN_HEADER || action === DROP) continue;
      let key = ERROR_KEY;
      if (action === RENAME) {
        if (taken === undefined) {
          taken = new Set<string>(CORE_KEYS);
          for (let k = 0; k < count; k++) taken.add(this.keyOf(bytes, pairs, k));
          if (errorAt !== -1) taken.add(ERROR_KEY);
        }
        key = this.rename(this.keyOf(bytes, pairs, i), taken);
      }
      extras += `,${JSON.stringify(key)}:${bytes.toString('utf8', pairs[4 * i + 2], pairs[4 * i + 3])}`;
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

/**
 * What becomes of a pair on the general path (RecordShaper.assemble): copied as it is, left out, read
 * into the header (the first level and time, the last message and logger), written as `error` (the
 * last error), or renamed (a key the line owns, an earlier message or error, and `error` itself when
 * the record has an error).
 */
const COPY = 0;
const DROP = 1;
const IN_HEADER = 2;
const AS_ERROR = 3;
const RENAME = 4;
const RENAME_IF_ERROR = 5;
type PairAction =
  typeof COPY | typeof DROP | typeof IN_HEADER | typeof AS_ERROR | typeof RENAME | typeof RENAME_IF_ERROR;

/** What becomes of a pair with a rule that is not read into the header: `inPrefix`, among pino's first fields. */
function keptAs(rule: KeyRule, inPrefix: boolean): PairAction {
  if (rule.name) return DROP; // a name binding shadowed by a child's
  if (rule.hidden && inPrefix) return DROP; // pino's pid or hostname, not shown
  if (rule.role === MESSAGE || rule.role === ERROR || rule.role === OWNED) return RENAME;
  return rule.role === ERROR_OUT ? RENAME_IF_ERROR : COPY;
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
