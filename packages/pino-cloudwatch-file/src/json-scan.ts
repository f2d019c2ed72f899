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

/** The UTF-16 codes of a pattern, for `matchCodes`. */
function codesOf(pattern: string): number[] {
  return Array.from({ length: pattern.length }, (_, k) => pattern.charCodeAt(k));
}

/** Whether the pattern whose codes are `codes` stands in `text` at `at`. */
function matchCodes(text: string, at: number, codes: readonly number[]): boolean {
  for (let k = 0; k < codes.length; k++) if (text.charCodeAt(at + k) !== codes[k]) return false;
  return true;
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

const TRUE = codesOf('true');
const FALSE = codesOf('false');
const NULL = codesOf('null');

/** Index just past the JSON number, `true`, `false` or `null` that starts at `start`, or -1. */
function literalEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === 116) return matchCodes(text, start, TRUE) ? start + 4 : -1;
  if (first === 102) return matchCodes(text, start, FALSE) ? start + 5 : -1;
  if (first === 110) return matchCodes(text, start, NULL) ? start + 4 : -1;
  let k = first === 45 ? start + 1 : start;
  // Integer part: 0, or 1-9 followed by digits.
  let c = text.charCodeAt(k);
  if (c === 48) {
    c = text.charCodeAt(++k);
  } else if (c >= 49 && c <= 57) {
    do c = text.charCodeAt(++k);
    while (c >= 48 && c <= 57);
  } else {
    return -1;
  }
  if (c === 46) {
    k = digitsEnd(text, k + 1);
    if (k === -1) return -1;
    c = text.charCodeAt(k);
  }
  if (c === 101 || c === 69) {
    c = text.charCodeAt(++k);
    if (c === 43 || c === 45) k++;
    k = digitsEnd(text, k);
  }
  return k;
}

/** Index after the run of one or more digits starting at `k`, or -1 when there is none. */
function digitsEnd(text: string, k: number): number {
  const from = k;
  let c = text.charCodeAt(k);
  while (c >= 48 && c <= 57) c = text.charCodeAt(++k);
  return k > from ? k : -1;
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
  // A literal must be followed by what ends a member: a comma, the closing brace, or the end.
  const end = literalEnd(text, start);
  if (end === -1) return -1;
  const next = text.charCodeAt(end);
  return next === COMMA || next === CLOSE_BRACE || end === text.length ? end : -1;
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
