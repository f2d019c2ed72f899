import { renamedKey } from 'pino-cloudwatch-core';

/** An input line that is not a pino record; printed escaped (or, with `raw`, exactly as it came). */
export class RawLine {
  constructor(readonly text: string) {}
}

/** How pino starts every line: its own level is the first key. */
const PINO_LEVEL_PREFIX = '{"level":';

/**
 * Parses one input line: a JSON object is a record; anything else (plain text, a JSON number,
 * array or `null`, a cut-off line) is a {@link RawLine}. Never throws, so raw lines stay in
 * order with the records around them.
 *
 * The record's `level` is the one pino wrote first in its line (`{"level":30,…`): a `level` field
 * of a logged object (or a mixin, or a binding), which pino writes later in the same line and which
 * `JSON.parse` would let win, is kept as `_level` (another `_` while taken: the JSON file's
 * collision rule) when it differs. A line that does not start with `{"level":` exactly (a
 * `formatters.level` that renames the key, a line not written by pino) gives no way to tell pino's
 * level from a logged one: its last `level` key counts, as in JSON.
 */
export function parseLine(line: string): Record<string, unknown> | RawLine {
  if (startsWithBrace(line)) {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const record = value as Record<string, unknown>;
        if (line.startsWith(PINO_LEVEL_PREFIX)) keepPinoLevel(line, record);
        return record;
      }
    } catch {
      // not JSON: printed as a raw line
    }
  }
  return new RawLine(line);
}

/** Puts back the level pino wrote first when a later `level` key replaced it. */
function keepPinoLevel(line: string, record: Record<string, unknown>): void {
  const own = firstLevel(line);
  const last = record.level;
  if (own === undefined || last === own) return;
  // The toolkit's collision rule: the later value is kept as `_level` (`__level` if taken, …).
  const renamed = renamedKey('level', (name) => Object.hasOwn(record, name));
  record.level = own;
  record[renamed] = last;
}

/**
 * The value of the first key of a line that starts with `{"level":` — the number or the string
 * pino wrote there — or `undefined` when it is neither (a valid line, already parsed, so only the
 * end of that one value has to be found).
 */
function firstLevel(line: string): number | string | undefined {
  const start = PINO_LEVEL_PREFIX.length;
  let c = line.charCodeAt(start);
  if (c === 0x22 /* " */) {
    for (let i = start + 1; i < line.length; i++) {
      c = line.charCodeAt(i);
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22) return JSON.parse(line.slice(start, i + 1)) as string;
    }
    return undefined;
  }
  // pino's own: a few digits then `,` or `}`, read without making a string (this runs per line).
  let num = 0;
  let end = start;
  while (end - start < 15 && c >= 0x30 && c <= 0x39) {
    num = num * 10 + (c - 0x30);
    c = line.charCodeAt(++end);
  }
  if (end > start && (c === 0x2c /* , */ || c === 0x7d) /* } */) return num;
  // Anything else up to a comma or brace: a number (negative, fraction, exponent, long) or
  // true/false/null; an object or array value gives text Number cannot read. The line is valid JSON.
  while (end < line.length && c !== 0x2c && c !== 0x7d) c = line.charCodeAt(++end);
  const text = line.slice(start, end);
  const value = Number(text);
  return text === '' || Number.isNaN(value) ? undefined : value;
}

function startsWithBrace(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x7b /* { */) return true;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return false;
}
