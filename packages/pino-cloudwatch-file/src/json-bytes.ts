/**
 * The JSON scanner on UTF-8 bytes, in JavaScript: the general path and truncation split lines with it
 * (pino's own lines take the WebAssembly fast path, fast-path.wat, which reads them the same way).
 * Reading a byte from a Uint8Array is several times cheaper than `charCodeAt` on the large strings
 * thread-stream hands over. JSON's
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
