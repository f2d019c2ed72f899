import { Byte, bytesStringEnd, bytesValueEnd } from './json-bytes';

/**
 * Reading one line as a JSON object for the shaper's general path: the object's top-level pairs as
 * byte ranges of its UTF-8 text, so keys are compared and values copied to the output byte for byte,
 * never decoded and re-serialized. The split is json-bytes' scanner; JSON.parse
 * runs once per line, to check what the split does not (inside strings and nested values) and to
 * read an object written with white space.
 */

/**
 * Splits the compact JSON object `bytes[start, end)` (`{"level":30,"time":1,...}`, no white space
 * between top-level tokens) into its top-level pairs, four offsets each in `pairs`: the key's text
 * (after its opening quote, at its closing quote) and the value (its first byte, after its last).
 * Returns false, with `pairs` in any state, when the text is not split like a compact object.
 * Nested values are only balanced, not checked (see readObject).
 */
export function splitObject(bytes: Buffer, start: number, end: number, pairs: number[]): boolean {
  pairs.length = 0;
  const last = end - 1;
  if (last < start + 1 || bytes[start] !== Byte.OPEN_BRACE || bytes[last] !== Byte.CLOSE_BRACE) return false;
  if (last === start + 1) return true;
  let i = start + 1;
  for (;;) {
    if (bytes[i] !== Byte.QUOTE) return false;
    const keyEnd = bytesStringEnd(bytes, i, end);
    if (keyEnd === -1 || bytes[keyEnd + 1] !== Byte.COLON) return false;
    const valueEnd = bytesValueEnd(bytes, keyEnd + 2, end);
    if (valueEnd === -1) return false;
    pairs.push(i + 1, keyEnd, keyEnd + 2, valueEnd);
    if (valueEnd === last) return true;
    if (bytes[valueEnd] !== Byte.COMMA) return false;
    i = valueEnd + 1;
  }
}

/**
 * Reads `text` as one JSON object into `pairs` (as splitObject fills them) and returns the bytes the
 * pairs point into: `bytes` (the UTF-8 of `text`) when the text is a compact object, checked with
 * JSON.parse; for an object written with white space (pretty-printed), its compact text, written by
 * JSON.stringify from that same parse. Returns undefined when the text is not a JSON object.
 * Throws only what JSON.stringify throws (a stack overflow on absurd nesting).
 */
export function readObject(text: string, bytes: Buffer, pairs: number[]): Buffer | undefined {
  if (splitObject(bytes, 0, bytes.length, pairs)) return isJson(text) ? bytes : undefined;
  // Not split: white space, or not JSON at all. A text that splits but does not parse is not tried
  // again here — it starts with `{` and ends with `}`, so nothing would trim it into JSON.
  const trimmed = text.trim();
  if (trimmed.charCodeAt(0) !== Byte.OPEN_BRACE) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  const compact = Buffer.from(JSON.stringify(parsed), 'utf8');
  return splitObject(compact, 0, compact.length, pairs) ? compact : undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
