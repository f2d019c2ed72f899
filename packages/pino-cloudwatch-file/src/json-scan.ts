/**
 * A scanner for the top level of one compact JSON object, the form pino writes
 * (`{"level":30,"time":1,...}` with no white space). It splits the object into raw key and value
 * texts without decoding them, so values are copied to the output byte for byte and never
 * re-serialized. Anything else (white space, arrays, broken text) is refused, and the caller
 * falls back to `JSON.parse`.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/**
 * Whether `pattern` stands in `text` at `at`. For the short patterns here a loop beats
 * `startsWith`, which is slow on the large chunk strings the worker receives.
 */
export function matchAt(text: string, at: number, pattern: string): boolean {
  for (let k = 0; k < pattern.length; k++)
    if (text.charCodeAt(at + k) !== pattern.charCodeAt(k)) return false;
  return true;
}

/**
 * Index of the quote opening the string whose closing quote is at `close`, looking no further back
 * than `floor`, or -1. (`lastIndexOf` is slow on large strings, hence the loop.)
 */
export function stringStart(text: string, close: number, floor: number): number {
  for (let k = close - 1; k >= floor; k--) {
    if (text.charCodeAt(k) !== QUOTE) continue;
    let backslashes = 0;
    for (let b = k - 1; text.charCodeAt(b) === BACKSLASH; b--) backslashes++;
    if ((backslashes & 1) === 0) return k;
  }
  return -1;
}

/** Index of the quote closing the string that opens at `open`, or -1. */
export function stringEnd(text: string, open: number): number {
  let q = text.indexOf('"', open + 1);
  while (q !== -1) {
    let backslashes = 0;
    for (let k = q - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if ((backslashes & 1) === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return -1;
}

const LITERAL = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

/** Whether `text[start, end)` is a JSON number, `true`, `false` or `null`; plain digits skip the regex. */
function isLiteral(text: string, start: number, end: number): boolean {
  let k = start;
  if (text.charCodeAt(k) === 45) k++;
  const first = text.charCodeAt(k);
  if (first >= 49 && first <= 57) {
    while (++k < end) {
      const ch = text.charCodeAt(k);
      if (ch < 48 || ch > 57) return LITERAL.test(text.slice(start, end));
    }
    return true;
  }
  return LITERAL.test(text.slice(start, end));
}

/**
 * Index just past the value that starts at `start`, or -1 when it is not a well-formed value.
 * Nested objects and arrays are only matched for their brackets and strings; callers that need
 * them checked check the whole text (see scanObject).
 */
export function valueEnd(text: string, start: number): number {
  const c = text.charCodeAt(start);
  if (c === QUOTE) {
    const end = stringEnd(text, start);
    return end === -1 ? -1 : end + 1;
  }
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    for (let k = start; k < text.length; k++) {
      const ch = text.charCodeAt(k);
      if (ch === QUOTE) {
        k = stringEnd(text, k);
        if (k === -1) return -1;
      } else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) {
        depth++;
      } else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
        if (--depth === 0) return k + 1;
      }
    }
    return -1;
  }
  let k = start;
  for (; k < text.length; k++) {
    const ch = text.charCodeAt(k);
    if (ch === COMMA || ch === CLOSE_BRACE) break;
  }
  return k > start && isLiteral(text, start, k) ? k : -1;
}

/**
 * Splits a compact JSON object into its top-level pairs: `keys[i]` is the raw key text between its
 * quotes, `values[i]` the raw value text. Returns false, with the arrays in any state, when the
 * text is not a compact JSON object.
 */
export function scanObject(text: string, keys: string[], values: string[]): boolean {
  return splitObject(text, keys, values) && isJson(text);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function splitObject(text: string, keys: string[], values: string[]): boolean {
  keys.length = 0;
  values.length = 0;
  const last = text.length - 1;
  if (last < 1 || text.charCodeAt(0) !== OPEN_BRACE || text.charCodeAt(last) !== CLOSE_BRACE) return false;
  if (last === 1) return true;
  let i = 1;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return false;
    const keyEnd = stringEnd(text, i);
    if (keyEnd === -1 || text.charCodeAt(keyEnd + 1) !== COLON) return false;
    const end = valueEnd(text, keyEnd + 2);
    if (end === -1) return false;
    keys.push(text.slice(i + 1, keyEnd));
    values.push(text.slice(keyEnd + 2, end));
    if (end === last) return true;
    if (text.charCodeAt(end) !== COMMA) return false;
    i = end + 1;
  }
}
