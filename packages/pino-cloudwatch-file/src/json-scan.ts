import { CLOSE_BRACE, COLON, COMMA, OPEN_BRACE, QUOTE, bytesStringEnd, bytesValueEnd } from './json-bytes';

/**
 * A scanner for the top level of one compact JSON object, the form pino writes
 * (`{"level":30,"time":1,...}` with no white space). It splits the object into raw key and value
 * texts without decoding them, so values are copied to the output byte for byte and never
 * re-serialized. Anything else (white space, arrays, broken text) is refused, and the caller
 * falls back to `JSON.parse`.
 */

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

/** The split itself, with json-bytes' scanner on the text's UTF-8 bytes (the fast path's scanner). */
function splitObject(text: string, keys: string[], values: string[]): boolean {
  keys.length = 0;
  values.length = 0;
  const bytes = Buffer.from(text, 'utf8');
  const last = bytes.length - 1;
  if (last < 1 || bytes[0] !== OPEN_BRACE || bytes[last] !== CLOSE_BRACE) return false;
  if (last === 1) return true;
  let i = 1;
  for (;;) {
    if (bytes[i] !== QUOTE) return false;
    const keyEnd = bytesStringEnd(bytes, i, bytes.length);
    if (keyEnd === -1 || bytes[keyEnd + 1] !== COLON) return false;
    const end = bytesValueEnd(bytes, keyEnd + 2, bytes.length);
    if (end === -1) return false;
    keys.push(bytes.toString('utf8', i + 1, keyEnd));
    values.push(bytes.toString('utf8', keyEnd + 2, end));
    if (end === last) return true;
    if (bytes[end] !== COMMA) return false;
    i = end + 1;
  }
}
