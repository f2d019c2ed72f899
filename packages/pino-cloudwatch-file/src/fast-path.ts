import type { ScanBuffer } from './plain-scan';

/**
 * The control block of the WebAssembly fast path (fast-path.wat, which lists the same offsets): what
 * RecordShaper tells it about the logger, and the header of the record it last read.
 */
export const enum Control {
  SHOW_PID = 0,
  SHOW_HOSTNAME = 4,
  HEADER_LENGTH = 8,
  LEVEL = 12,
  NAME_LENGTH = 16,
  NEEDLE_LENGTH = 20,
  RULE_COUNT = 24,
  LINES_STOPPED_AT = 28,
  TIME = 32,
  PARSED_LEVEL = 40,
  PARSED_NAME_START = 44,
  PARSED_NAME_END = 48,
  LINES_OUTPUT_END = 52,
  PARSED_TIME = 56,
  FIRST_BYTES = 128,
  TIME_TEXT = 384,
  TIME_DIGITS = 400,
  PARSED_TIME_TEXT = 416,
  PARSED_NAME_SAME = 436,
  MAX_LINE = 476,
  NEEDLE = 480,
  RULES = 576,
  NAME = 2048,
  HEADER = 6144,
}

const NEEDLE_MAX = Control.RULES - Control.NEEDLE;
const RULES_MAX = Control.NAME - Control.RULES;
const NAME_MAX = Control.HEADER - Control.NAME;
/** The longest header the control block holds: a logger name or app longer than this takes the general path. */
export const HEADER_MAX = 16_384 - Control.HEADER;
/** Keys longer than this have no first-byte mask: a rule's key must be shorter. */
const KEY_MAX = 63;

/** `shape` found pino's prefix, but not for the header in the control block. */
export const NEW_HEADER = -3;

/** A key the fast path must know: the error key, or any other key with a rule (the line then takes the general path). */
export interface FastRule {
  readonly bytes: Uint8Array;
  readonly error: boolean;
}

/**
 * What the fast path is told about one logger, written into a buffer's control block before it
 * shapes there: whether pid and hostname are shown, the message key's needle, and the keys with a
 * rule, each with a bit for its first byte under its length (as KeyRules finds them), and the
 * longest line it takes (a longer one may need truncating).
 */
export class FastPathConfig {
  private constructor(
    private readonly show: { readonly pid: boolean; readonly hostname: boolean },
    private readonly needle: Uint8Array,
    private readonly firstBytes: Int32Array,
    private readonly rules: Buffer,
    private readonly ruleCount: number,
    private readonly maxLineBytes: number,
  ) {}

  /**
   * The configuration, or undefined when a key or the needle is too long for the control block.
   * `firstBytes`: for each key length, a bit per first byte (`byte & 31`) of the rules' keys, as
   * KeyRules holds them.
   */
  static of(
    rules: readonly FastRule[],
    firstBytes: readonly number[],
    needle: Uint8Array,
    show: { readonly pid: boolean; readonly hostname: boolean },
    maxLineBytes: number,
  ): FastPathConfig | undefined {
    if (needle.length > NEEDLE_MAX) return undefined;
    if (firstBytes.length > KEY_MAX + 1) return undefined;
    const masks = new Int32Array(KEY_MAX + 1);
    masks.set(firstBytes);
    const entries: Buffer[] = [];
    for (const rule of rules) {
      entries.push(Buffer.from([rule.bytes.length, rule.error ? 1 : 2]), Buffer.from(rule.bytes));
    }
    const table = Buffer.concat(entries);
    if (table.length > RULES_MAX) return undefined;
    return new FastPathConfig(show, needle, masks, table, rules.length, Math.floor(maxLineBytes));
  }

  /** Writes the configuration into `buffer`'s control block; the header there is then none. */
  writeInto(buffer: ScanBuffer): void {
    const { control } = buffer;
    control.writeInt32LE(this.show.pid ? 1 : 0, Control.SHOW_PID);
    control.writeInt32LE(this.show.hostname ? 1 : 0, Control.SHOW_HOSTNAME);
    control.writeInt32LE(-1, Control.HEADER_LENGTH);
    control.writeInt32LE(-2, Control.NAME_LENGTH); // no name matches: the logger is decoded again
    control.writeInt32LE(0, Control.TIME_DIGITS);
    control.writeInt32LE(this.needle.length, Control.NEEDLE_LENGTH);
    control.set(this.needle, Control.NEEDLE);
    control.writeInt32LE(this.ruleCount, Control.RULE_COUNT);
    control.writeInt32LE(this.maxLineBytes, Control.MAX_LINE);
    for (let n = 0; n < this.firstBytes.length; n++) {
      control.writeInt32LE(this.firstBytes[n], Control.FIRST_BYTES + 4 * n);
    }
    control.set(this.rules, Control.RULES);
    buffer.headerTime = NaN;
  }
}

/** The record `shape` stopped at with NEW_HEADER (addresses of the memory, for `headerFor`). */
export interface ParsedRecord {
  level: number;
  time: number;
  /** Its logger name's bytes, with their quotes, as indexes of the work bytes; start -1: none. */
  nameStart: number;
  nameEnd: number;
  /** Whether that name is the header's (then the header's logger text is the record's). */
  nameSame: boolean;
}

export function parsedRecord(buffer: ScanBuffer, into: ParsedRecord): ParsedRecord {
  const { control, base } = buffer;
  const nameStart = control.readInt32LE(Control.PARSED_NAME_START);
  into.level = control.readInt32LE(Control.PARSED_LEVEL);
  into.time = control.readDoubleLE(Control.PARSED_TIME);
  into.nameStart = nameStart === -1 ? -1 : nameStart - base;
  into.nameEnd = control.readInt32LE(Control.PARSED_NAME_END) - base;
  into.nameSame = control.readInt32LE(Control.PARSED_NAME_SAME) === 1;
  return into;
}

/** Where the header's milliseconds stand: `{"@timestamp":"2025-12-13T12:30:45.` is 35 bytes. */
const MILLISECONDS_AT = Control.HEADER + 35;

/**
 * Makes the control block's header the one for `record` when it differs from the header there only
 * in its millisecond: the three digits are written in place (the common case between records of one
 * logger). False when more differs.
 */
export function patchMilliseconds(buffer: ScanBuffer, record: ParsedRecord): boolean {
  const { control } = buffer;
  const { time } = record;
  if (
    !record.nameSame ||
    control.readInt32LE(Control.HEADER_LENGTH) < 0 ||
    record.level !== control.readInt32LE(Control.LEVEL) ||
    Math.floor(time / 1000) !== Math.floor(buffer.headerTime / 1000)
  ) {
    return false;
  }
  const ms = time - Math.floor(time / 1000) * 1000;
  control[MILLISECONDS_AT] = 48 + Math.floor(ms / 100);
  control[MILLISECONDS_AT + 1] = 48 + (Math.floor(ms / 10) % 10);
  control[MILLISECONDS_AT + 2] = 48 + (ms % 10);
  settleHeader(buffer, record.time);
  return true;
}

/**
 * Makes `header` (a JSON text) the control block's header, for records of this level, time and logger
 * name; false when it does not fit (such records take the general path).
 */
export function writeHeader(buffer: ScanBuffer, header: string, record: ParsedRecord): boolean {
  const { control, bytes } = buffer;
  const nameLength = record.nameStart === -1 ? -1 : record.nameEnd - record.nameStart;
  if (header.length * 3 > HEADER_MAX && Buffer.byteLength(header) > HEADER_MAX) return false;
  if (nameLength > NAME_MAX) return false;
  control.writeInt32LE(control.write(header, Control.HEADER, 'utf8'), Control.HEADER_LENGTH);
  control.writeInt32LE(record.level, Control.LEVEL);
  control.writeInt32LE(nameLength, Control.NAME_LENGTH);
  if (nameLength > 0) bytes.copy(control, Control.NAME, record.nameStart, record.nameEnd);
  settleHeader(buffer, record.time);
  return true;
}

/** The header in the control block is now for `time`: the fast path compares with it from the next line on. */
function settleHeader(buffer: ScanBuffer, time: number): void {
  const { control } = buffer;
  control.writeDoubleLE(time, Control.TIME);
  // The bytes the record's time was read from (and their digit count): same bytes, same time.
  control.copy(control, Control.TIME_TEXT, Control.PARSED_TIME_TEXT, Control.PARSED_TIME_TEXT + 20);
  buffer.headerTime = time;
}

/**
 * Makes the fast path stop at its next line (NEW_HEADER) without losing the header: no time matches
 * the one in the control block.
 */
export function forgetHeaderTime(buffer: ScanBuffer): void {
  buffer.control.writeDoubleLE(NaN, Control.TIME);
  buffer.control.writeInt32LE(0, Control.TIME_DIGITS);
}
