/**
 * The JSON scanner on UTF-8 bytes: the worker's fast path reads pino's lines with it, and the general
 * path and truncation split theirs with it too. Reading a byte from a Uint8Array is several times
 * cheaper than `charCodeAt` on the large strings thread-stream hands over, and lines shaped as bytes
 * are copied into the output without being built as strings, flattened and encoded again. JSON's
 * structural characters are ASCII and never occur inside a multi-byte UTF-8 sequence, so byte
 * positions can be scanned exactly like characters.
 */

/**
 * The bytes the scanners of a line compare with, named once here. A const enum: the build writes
 * every use as its number, where reading a constant from this module cost the fast path ~3%.
 */
export const enum Byte {
  TAB = 9,
  NEWLINE = 10, // \n
  CARRIAGE_RETURN = 13, // \r
  SPACE = 32,
  QUOTE = 34, // "
  PLUS = 43, // +
  COMMA = 44, // ,
  MINUS = 45, // -
  POINT = 46, // .
  DIGIT_0 = 48,
  DIGIT_1 = 49,
  DIGIT_9 = 57,
  COLON = 58, // :
  UPPER_E = 69, // E
  OPEN_BRACKET = 91, // [
  BACKSLASH = 92, // \
  CLOSE_BRACKET = 93, // ]
  LOWER_E = 101, // e
  LOWER_F = 102, // f, as in false
  LOWER_N = 110, // n, as in null
  LOWER_T = 116, // t, as in true
  LOWER_U = 117, // u, as in \uXXXX
  OPEN_BRACE = 123, // {
  CLOSE_BRACE = 125, // }
}

/** Whether `c` is white space that JSON allows between tokens (space, tab, line feed, carriage return). */
export const isJsonSpace = (c: number): boolean =>
  c === Byte.SPACE || c === Byte.TAB || c === Byte.NEWLINE || c === Byte.CARRIAGE_RETURN;

/** The UTF-8 bytes of a pattern, for `matchBytes`. */
export const bytesOf = (pattern: string): Uint8Array => new Uint8Array(Buffer.from(pattern, 'utf8'));

/** Whether `pattern` stands in `bytes` at `at`. */
export function matchBytes(bytes: Uint8Array, at: number, pattern: Uint8Array): boolean {
  for (let k = 0; k < pattern.length; k++) if (bytes[at + k] !== pattern[k]) return false;
  return true;
}

/** Whether the quote at `q` is escaped (an odd run of backslashes before it). */
function escaped(bytes: Uint8Array, q: number): boolean {
  let backslashes = 0;
  for (let k = q - 1; bytes[k] === Byte.BACKSLASH; k--) backslashes++;
  return (backslashes & 1) === 1;
}

/** Strings longer than this are searched with the native `indexOf` rather than byte by byte. */
const SHORT_STRING = 24;

/** Index of the quote closing the string that opens at `open`, before `limit`, or -1. */
export function bytesStringEnd(bytes: Buffer, open: number, limit: number): number {
  const short = Math.min(limit, open + SHORT_STRING);
  let q = open + 1;
  for (; q < short; q++) if (bytes[q] === Byte.QUOTE && !escaped(bytes, q)) return q;
  for (q = bytes.indexOf(Byte.QUOTE, q); q !== -1 && q < limit; q = bytes.indexOf(Byte.QUOTE, q + 1)) {
    if (!escaped(bytes, q)) return q;
  }
  return -1;
}

/** Index of the quote opening the string whose closing quote is at `close`, not before `floor`, or -1. */
export function bytesStringStart(bytes: Uint8Array, close: number, floor: number): number {
  for (let k = close - 1; k >= floor; k--) if (bytes[k] === Byte.QUOTE && !escaped(bytes, k)) return k;
  return -1;
}

const TRUE = bytesOf('true');
const FALSE = bytesOf('false');
const NULL = bytesOf('null');

/** Index after the run of one or more digits starting at `k`, or -1 when there is none. */
function digitsEnd(bytes: Uint8Array, k: number): number {
  const from = k;
  let c = bytes[k];
  while (c >= Byte.DIGIT_0 && c <= Byte.DIGIT_9) c = bytes[++k];
  return k > from ? k : -1;
}

/** Index just past the JSON number, `true`, `false` or `null` that starts at `start`, or -1. */
function literalEnd(bytes: Uint8Array, start: number): number {
  const first = bytes[start];
  if (first === Byte.LOWER_T) return matchBytes(bytes, start, TRUE) ? start + 4 : -1;
  if (first === Byte.LOWER_F) return matchBytes(bytes, start, FALSE) ? start + 5 : -1;
  if (first === Byte.LOWER_N) return matchBytes(bytes, start, NULL) ? start + 4 : -1;
  let k = first === Byte.MINUS ? start + 1 : start;
  let c = bytes[k];
  if (c === Byte.DIGIT_0) {
    c = bytes[++k];
  } else if (c >= Byte.DIGIT_1 && c <= Byte.DIGIT_9) {
    do c = bytes[++k];
    while (c >= Byte.DIGIT_0 && c <= Byte.DIGIT_9);
  } else {
    return -1;
  }
  if (c === Byte.POINT) {
    k = digitsEnd(bytes, k + 1);
    if (k === -1) return -1;
    c = bytes[k];
  }
  if (c === Byte.LOWER_E || c === Byte.UPPER_E) {
    c = bytes[++k];
    if (c === Byte.PLUS || c === Byte.MINUS) k++;
    k = digitsEnd(bytes, k);
  }
  return k;
}

/**
 * Index just past the value that starts at `start` (and ends before `limit`), or -1 when it is not a
 * well-formed value: a string, a literal followed by `,` or `}`, or an object or array whose brackets
 * and strings balance (what is inside is not checked further, as in json-scan's `valueEnd`).
 */
export function bytesValueEnd(bytes: Buffer, start: number, limit: number): number {
  const c = bytes[start];
  if (c === Byte.QUOTE) {
    const end = bytesStringEnd(bytes, start, limit);
    return end === -1 ? -1 : end + 1;
  }
  if (c === Byte.OPEN_BRACE || c === Byte.OPEN_BRACKET) {
    let depth = 0;
    for (let k = start; k < limit; k++) {
      const ch = bytes[k];
      if (ch === Byte.QUOTE) {
        k = bytesStringEnd(bytes, k, limit);
        if (k === -1) return -1;
      } else if (ch === Byte.OPEN_BRACE || ch === Byte.OPEN_BRACKET) {
        depth++;
      } else if (ch === Byte.CLOSE_BRACE || ch === Byte.CLOSE_BRACKET) {
        if (--depth === 0) return k + 1;
      }
    }
    return -1;
  }
  const end = literalEnd(bytes, start);
  if (end === -1 || end > limit) return -1;
  const next = bytes[end];
  return next === Byte.COMMA || next === Byte.CLOSE_BRACE || end === limit ? end : -1;
}

/** Whether the quote (or any byte) at `q` is escaped: an odd run of backslashes stands before it. */
export const isEscaped = (bytes: Uint8Array, q: number): boolean => escaped(bytes, q);

/** Containers nested deeper than this are not checked here: such a line takes the general path. */
const MAX_DEPTH = 64;
/** The open containers of checkedValueEnd: the byte that opened each. */
const openers = new Uint8Array(MAX_DEPTH);

/**
 * Index of the quote closing the key that opens at `open`, before `limit`, when the key has no
 * escape — so its bytes are the key itself; else -1. A key spelled with escapes (`"lev\u0065l"`)
 * could be a key the line owns, so it is never compared undecoded.
 */
export function plainKeyEnd(bytes: Uint8Array, open: number, limit: number): number {
  for (let q = open + 1; q < limit; q++) {
    const c = bytes[q];
    if (c === Byte.QUOTE) return q;
    if (c === Byte.BACKSLASH) return -1;
  }
  return -1;
}

/** Index after `"key":` at `k`, or -1. */
function memberStart(bytes: Buffer, k: number, limit: number): number {
  if (bytes[k] !== Byte.QUOTE) return -1;
  const end = bytesStringEnd(bytes, k, limit);
  return end === -1 || bytes[end + 1] !== Byte.COLON ? -1 : end + 2;
}

/**
 * Index just past the JSON value that starts at `start` and ends by `limit`, or -1 when it is not
 * one: a string, a literal, or an object or array written compactly (no white space, as pino writes
 * them) whose every member is checked the same way, up to MAX_DEPTH deep. What is inside strings is
 * the caller's to check (ScanBuffer.plain checks the whole line), and so is what follows the value.
 */
export function checkedValueEnd(bytes: Buffer, start: number, limit: number): number {
  let k = start;
  let depth = 0;
  for (;;) {
    // A value starts at k.
    if (k >= limit) return -1;
    let c = bytes[k];
    if (c === Byte.QUOTE) {
      k = bytesStringEnd(bytes, k, limit);
      if (k === -1) return -1;
      k++;
    } else if (c === Byte.OPEN_BRACE || c === Byte.OPEN_BRACKET) {
      if (bytes[k + 1] === (c === Byte.OPEN_BRACE ? Byte.CLOSE_BRACE : Byte.CLOSE_BRACKET)) {
        k += 2;
      } else {
        if (depth === MAX_DEPTH) return -1;
        openers[depth++] = c;
        k = c === Byte.OPEN_BRACE ? memberStart(bytes, k + 1, limit) : k + 1;
        if (k === -1) return -1;
        continue;
      }
    } else {
      k = literalEnd(bytes, k);
      if (k === -1) return -1;
    }
    // After a value: the next member of its container, or the container's end.
    for (;;) {
      if (depth === 0) return k <= limit ? k : -1;
      if (k >= limit) return -1;
      c = bytes[k];
      const opener = openers[depth - 1];
      if (c === Byte.COMMA) {
        k = opener === Byte.OPEN_BRACE ? memberStart(bytes, k + 1, limit) : k + 1;
        if (k === -1) return -1;
        break;
      }
      if (c !== (opener === Byte.OPEN_BRACE ? Byte.CLOSE_BRACE : Byte.CLOSE_BRACKET)) return -1;
      depth--;
      k++;
    }
  }
}

/**
 * A pattern compared four bytes at a time through a DataView: on pino's prefix a byte-by-byte
 * comparison was a quarter of the fast path's time, and a 4-byte read costs about what a 1-byte one
 * does. `words` holds its bytes as little-endian 32-bit numbers, the last 0–3 bytes are compared
 * one by one.
 */
export interface WordPattern {
  readonly bytes: Uint8Array;
  readonly words: Uint32Array;
  readonly length: number;
}

export function wordPattern(text: string): WordPattern {
  const bytes = bytesOf(text);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = new Uint32Array(bytes.length >> 2);
  for (let w = 0; w < words.length; w++) words[w] = view.getUint32(4 * w, true);
  return { bytes, words, length: bytes.length };
}

/**
 * Whether `pattern` stands in `bytes` (whose DataView is `view`) at `at`, entirely before `limit`
 * (`limit` must not pass the end of `bytes`: no read goes beyond it).
 */
export function matchWords(
  view: DataView,
  bytes: Uint8Array,
  at: number,
  limit: number,
  pattern: WordPattern,
): boolean {
  if (at + pattern.length > limit) return false;
  const { words } = pattern;
  let k = 0;
  for (let w = 0; w < words.length; w++, k += 4) if (view.getUint32(at + k, true) !== words[w]) return false;
  const tail = pattern.bytes;
  for (; k < tail.length; k++) if (bytes[at + k] !== tail[k]) return false;
  return true;
}
