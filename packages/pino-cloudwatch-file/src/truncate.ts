import { CORE_KEYS, TRUNCATED_KEY, renamedKey } from 'pino-cloudwatch-core';
import { Byte, bytesOf, bytesStringEnd, isJsonSpace, matchBytes } from './json-bytes';

// The keys the CloudWatch line owns and the one that marks a shortened line (pino-cloudwatch-core),
// for shape.ts, which imports them from here.
export { CORE_KEYS, TRUNCATED_KEY };

/** Appended to every shortened string, so a reader sees that and how much was cut. */
export function truncationMarker(removedChars: number): string {
  return `…[truncated ${removedChars} chars]`;
}

/** The marker's bytes without the digits of its number. */
const MARKER_BYTES = Buffer.byteLength(truncationMarker(0)) - 1;
/**
 * A string is cut only when it is more than this many bytes longer than the cap: the marker takes
 * at most as many (under 1,000 removed characters; more removed is far more saved), so a string
 * never grows by being cut.
 */
const MARKER_ROOM = 24;
const TRUNCATED_KEY_BYTES = bytesOf(TRUNCATED_KEY);
const CORE_KEY_BYTES = CORE_KEYS.map(bytesOf);

/** Where truncation works in one JSON object line, as byte offsets into it. */
interface Outline {
  /** Per top-level pair, four offsets: the key's opening quote, its closing quote, the value's start and end. */
  readonly pairs: number[];
  /** Per string value at any depth (keys are not values), two offsets: after its opening quote, its closing quote. */
  readonly strings: number[];
  /** The object's closing brace; -1 when the text is not one JSON object. */
  close: number;
  /** White space stands between tokens. */
  spaced: boolean;
}

/**
 * Reads the outline of the JSON object in `bytes` without decoding anything: one pass, no
 * recursion (a line nested 100,000 deep is read like any other). The text is trusted to be JSON —
 * the shaper's own output; what is not is found out only as far as `close` stays -1.
 */
function outline(bytes: Buffer): Outline {
  const found: Outline = { pairs: [], strings: [], close: -1, spaced: false };
  const { pairs, strings } = found;
  /** Per open container, whether it is an object. */
  const inObject: boolean[] = [];
  let expectKey = false;
  let lastByte = -1; // the last byte of the last token, to end a top-level value before white space
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    const depth = inObject.length;
    if (c === Byte.QUOTE) {
      const end = bytesStringEnd(bytes, i, bytes.length);
      if (end === -1) return found;
      if (expectKey) {
        if (depth === 1) pairs.push(i, end, -1, -1);
      } else {
        strings.push(i + 1, end);
        if (depth === 1 && pairs.length > 0) pairs[pairs.length - 2] = i;
      }
      lastByte = end;
      i = end;
    } else if (c === Byte.OPEN_BRACE || c === Byte.OPEN_BRACKET) {
      if (depth === 0 && c !== Byte.OPEN_BRACE) return found;
      if (depth === 1 && pairs.length > 0) pairs[pairs.length - 2] = i;
      inObject.push(c === Byte.OPEN_BRACE);
      expectKey = c === Byte.OPEN_BRACE;
      lastByte = i;
    } else if (c === Byte.CLOSE_BRACE || c === Byte.CLOSE_BRACKET) {
      if (depth === 1 && pairs.length > 0) pairs[pairs.length - 1] = lastByte + 1;
      inObject.pop();
      expectKey = false;
      lastByte = i;
      if (depth === 1) {
        found.close = i;
        return found;
      }
    } else if (c === Byte.COMMA) {
      if (depth === 1 && pairs.length > 0) pairs[pairs.length - 1] = lastByte + 1;
      expectKey = inObject[depth - 1];
    } else if (c === Byte.COLON) {
      expectKey = false;
    } else if (isJsonSpace(c)) {
      found.spaced = true;
    } else {
      // a number, true, false or null
      if (depth === 1 && pairs.length > 0 && pairs[pairs.length - 2] === -1) pairs[pairs.length - 2] = i;
      lastByte = i;
    }
  }
  return found;
}

/** The line without white space between its tokens (strings are copied whole). */
function withoutSpace(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === Byte.QUOTE) {
      const end = bytesStringEnd(bytes, i, bytes.length);
      if (end === -1) break;
      o += bytes.copy(out, o, i, end + 1);
      i = end;
    } else if (!isJsonSpace(c)) {
      out[o++] = c;
    }
  }
  return out.subarray(0, o);
}

/** Whether the backslash at `k` (in a string whose text starts at `from`) starts an escape rather than ends one. */
function escapeStarts(bytes: Buffer, from: number, k: number): boolean {
  let j = k - 1;
  while (j >= from && bytes[j] === Byte.BACKSLASH) j--;
  return ((k - 1 - j) & 1) === 0;
}

/** Whether a `\uXXXX` escape at `k` is a high (`high`) or low surrogate. */
function surrogateEscape(bytes: Buffer, k: number, high: boolean): boolean {
  if (bytes[k] !== Byte.BACKSLASH || bytes[k + 1] !== Byte.LOWER_U || (bytes[k + 2] | 32) !== 100)
    return false;
  const c = bytes[k + 3] | 32; // 8, 9, a, b: high; c, d, e, f: low
  return high ? c === 56 || c === 57 || c === 97 || c === 98 : c >= 99 && c <= 102;
}

/**
 * The last offset at or before `at` where the string text starting at `from` can end without
 * splitting a UTF-8 character, an escape, or an escaped surrogate pair.
 */
function cutPoint(bytes: Buffer, from: number, at: number): number {
  let p = at;
  while (p > from && (bytes[p] & 0xc0) === 0x80) p--;
  // An escape takes at most 6 bytes (`\uXXXX`): only one starting in the 5 bytes before p can cross it.
  for (let k = p - 1; k >= from && k > p - 6; k--) {
    if (bytes[k] !== Byte.BACKSLASH) continue;
    if (escapeStarts(bytes, from, k) && k + (bytes[k + 1] === Byte.LOWER_U ? 6 : 2) > p) p = k;
    break;
  }
  if (
    p - 6 >= from &&
    surrogateEscape(bytes, p, false) &&
    surrogateEscape(bytes, p - 6, true) &&
    escapeStarts(bytes, from, p - 6)
  ) {
    p -= 6;
  }
  return p;
}

/** The UTF-16 length of the string text `bytes[from, to)` once decoded (from and to on escape boundaries). */
function decodedLength(bytes: Buffer, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) {
    const c = bytes[k];
    if (c === Byte.BACKSLASH) {
      n++;
      k += bytes[k + 1] === Byte.LOWER_U ? 5 : 1;
    } else if ((c & 0xc0) !== 0x80) {
      n += c >= 0xf0 ? 2 : 1; // four UTF-8 bytes make a surrogate pair
    }
  }
  return n;
}

const digitCount = (n: number): number => (n < 10 ? 1 : 1 + digitCount(Math.floor(n / 10)));

/**
 * The bytes the string text `bytes[from, to)` takes when cut at `cap` bytes, at most (the marker
 * counts removed characters, which are never more than the removed bytes).
 */
function cutLength(bytes: Buffer, from: number, to: number, cap: number): number {
  if (to - from <= cap + MARKER_ROOM) return to - from;
  const cut = cutPoint(bytes, from, from + cap);
  return cut - from + MARKER_BYTES + digitCount(to - cut);
}

/**
 * The largest cap in [0, high] at which the strings (pairs of offsets), cut, plus `fixed` other
 * bytes fit in `maxBytes`; -1 when even 0 does not.
 */
function largestFittingCap(
  bytes: Buffer,
  strings: number[],
  fixed: number,
  high: number,
  maxBytes: number,
): number {
  let low = 0;
  let best = -1;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    let total = fixed;
    for (let s = 0; s < strings.length && total <= maxBytes; s += 2) {
      total += cutLength(bytes, strings[s], strings[s + 1], mid);
    }
    if (total <= maxBytes) {
      best = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return best;
}

/** Replaces `bytes[from, to)` with `text`. */
interface Edit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** The cuts of the strings (pairs of offsets) longer than `cap` bytes, with their markers. */
function cutsAt(bytes: Buffer, strings: number[], cap: number, edits: Edit[]): void {
  for (let s = 0; s < strings.length; s += 2) {
    const from = strings[s];
    const to = strings[s + 1];
    if (to - from <= cap + MARKER_ROOM) continue;
    const cut = cutPoint(bytes, from, from + cap);
    edits.push({ from: cut, to, text: truncationMarker(decodedLength(bytes, cut, to)) });
  }
}

/** Appends `bytes[from, to)` with the edits that fall in it (sorted by position) to `out`. */
function render(bytes: Buffer, from: number, to: number, edits: readonly Edit[], out: Buffer[]): void {
  let at = from;
  for (const edit of edits) {
    if (edit.from < from || edit.from >= to) continue;
    out.push(bytes.subarray(at, edit.from), Buffer.from(edit.text, 'utf8'));
    at = edit.to;
  }
  out.push(bytes.subarray(at, to));
}

/** The sum of the lengths of the ranges in `ranges` (pairs of offsets). */
function rangeBytes(ranges: readonly number[]): number {
  let sum = 0;
  for (let r = 0; r < ranges.length; r += 2) sum += ranges[r + 1] - ranges[r];
  return sum;
}

/**
 * Shrinks a CloudWatch line that is over `maxBytes` (UTF-8, newline excluded) by cutting its longest
 * string values — the same cap in bytes for each, at a character boundary, each with a visible
 * marker — and adds `"truncated":true` at its end. Every other value keeps its text exactly as
 * written (a 20-digit integer stays a 20-digit integer); a record field already named `truncated`
 * is kept renamed `_truncated` (one more `_` while taken), and `onRename` told. The result is still
 * one valid JSON object, without white space between tokens. If cutting strings is not enough (a
 * record made of very many small fields), only the core fields are kept, with `droppedFields`
 * counting what went.
 */
export function fitToLimit(
  line: string,
  maxBytes: number,
  onRename?: (from: string, to: string) => void,
): string {
  let bytes: Buffer = Buffer.from(line, 'utf8');
  let parts = outline(bytes);
  if (parts.spaced) {
    bytes = withoutSpace(bytes);
    parts = outline(bytes);
  }
  const { pairs, strings, close } = parts;
  if (close === -1) throw new SyntaxError('fitToLimit: the line is not one JSON object');
  let longest = 0;
  for (let s = 0; s < strings.length; s += 2) longest = Math.max(longest, strings[s + 1] - strings[s]);

  // Every string cut to the same cap, the largest that fits.
  const renames: string[] = [];
  const edits = renameTruncated(bytes, pairs, renames);
  const mark = `${pairs.length > 0 ? ',' : ''}"${TRUNCATED_KEY}":true}`;
  let fixed = close + Buffer.byteLength(mark) - rangeBytes(strings);
  for (const edit of edits) fixed += edit.text.length;
  const cap = largestFittingCap(bytes, strings, fixed, longest, maxBytes);
  if (cap !== -1) {
    for (const renamed of renames) onRename?.(TRUNCATED_KEY, renamed);
    cutsAt(bytes, strings, cap, edits);
    edits.sort((a, b) => a.from - b.from);
    const out: Buffer[] = [];
    render(bytes, 0, close, edits, out);
    out.push(Buffer.from(mark, 'utf8'));
    return Buffer.concat(out).toString('utf8');
  }

  // Only the core fields, their strings cut to fit.
  const kept: number[] = []; // key quote and value end of each core pair kept
  const keptStrings: number[] = [];
  for (const key of CORE_KEY_BYTES) {
    for (let p = 0; p < pairs.length; p += 4) {
      if (pairs[p + 1] - pairs[p] - 1 !== key.length || !matchBytes(bytes, pairs[p] + 1, key)) continue;
      kept.push(pairs[p], pairs[p + 3]);
      for (let s = 0; s < strings.length; s += 2) {
        if (strings[s] > pairs[p + 2] && strings[s + 1] < pairs[p + 3])
          keptStrings.push(strings[s], strings[s + 1]);
      }
      break;
    }
  }
  const tail = `${kept.length > 0 ? ',' : ''}"${TRUNCATED_KEY}":true,"droppedFields":${(pairs.length - 2 * kept.length) / 4}}`;
  const coreFixed =
    1 + rangeBytes(kept) + Math.max(0, kept.length / 2 - 1) + tail.length - rangeBytes(keptStrings);
  const coreEdits: Edit[] = [];
  cutsAt(
    bytes,
    keptStrings,
    Math.max(largestFittingCap(bytes, keptStrings, coreFixed, longest, maxBytes), 0),
    coreEdits,
  );
  const out: Buffer[] = [Buffer.from('{')];
  for (let k = 0; k < kept.length; k += 2) {
    if (k > 0) out.push(Buffer.from(','));
    render(bytes, kept[k], kept[k + 1], coreEdits, out);
  }
  out.push(Buffer.from(tail, 'utf8'));
  return Buffer.concat(out).toString('utf8');
}

/**
 * Renames each top-level field named `truncated` in place (`_truncated`, one more `_` while the
 * name is taken), as edits that insert the underscores; the new names go into `renames`.
 */
function renameTruncated(bytes: Buffer, pairs: readonly number[], renames: string[]): Edit[] {
  const edits: Edit[] = [];
  let taken: Set<string> | undefined;
  for (let p = 0; p < pairs.length; p += 4) {
    const keyText = pairs[p] + 1;
    if (
      pairs[p + 1] - keyText !== TRUNCATED_KEY_BYTES.length ||
      !matchBytes(bytes, keyText, TRUNCATED_KEY_BYTES)
    ) {
      continue;
    }
    if (taken === undefined) {
      taken = new Set<string>();
      for (let q = 0; q < pairs.length; q += 4) taken.add(bytes.toString('utf8', pairs[q] + 1, pairs[q + 1]));
    }
    const renamed = renamedKey(TRUNCATED_KEY, (name) => taken!.has(name));
    taken.add(renamed);
    renames.push(renamed);
    edits.push({ from: keyText, to: keyText, text: renamed.slice(0, -TRUNCATED_KEY.length) });
  }
  return edits;
}
