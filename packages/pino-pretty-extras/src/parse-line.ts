/** An input line that is not a pino record; printed exactly as it came. */
export class RawLine {
  constructor(readonly text: string) {}
}

/**
 * Parses one input line: a JSON object is a record; anything else (plain text, a JSON number,
 * array or `null`, a cut-off line) is a {@link RawLine}. Never throws, so raw lines stay in
 * order with the records around them.
 */
export function parseLine(line: string): Record<string, unknown> | RawLine {
  if (startsWithBrace(line)) {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // not JSON: printed as it came
    }
  }
  return new RawLine(line);
}

function startsWithBrace(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x7b /* { */) return true;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return false;
}
