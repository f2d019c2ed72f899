import { isUnsafeFrom7f, sanitizeJson } from './sanitize-text';

/**
 * True when a logfmt value must be quoted: empty, or holding a space, `=`, `"` or a character that
 * prints escaped (a control, bidi control or line separator: see `sanitize-text`). A plain
 * character loop: this runs for every value of every record.
 */
export function needsQuoting(text: string): boolean {
  if (text.length === 0) return true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x3d /* = */ || c === 0x22 /* " */ || (c >= 0x7f && isUnsafeFrom7f(c)))
      return true;
  }
  return false;
}

/**
 * A logfmt string value: bare when safe, else double-quoted with JSON escapes (`\"`, `\n`,
 * `\u001b`), DEL, C1 and bidi controls and line separators escaped too (`\u009b`, `\u202e`).
 */
export function logfmtString(text: string): string {
  return needsQuoting(text) ? sanitizeJson(JSON.stringify(text)) : text;
}

/** Cuts text longer than `max` characters and says how much was cut: `abc…[+1234 chars]`. */
export function truncateText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…[+${text.length - max} chars]` : text;
}

/** Marker that ends a compact array/object cut at the length cap. */
export const TRUNCATED_MARKER = '…[truncated]';

/**
 * The printed form of one extra's value, or `undefined` to leave the key out (`undefined` and
 * functions, which JSON drops too). Strings are capped then quoted when needed; numbers,
 * booleans and `null` are bare; arrays (and objects past the depth cap) are compact JSON,
 * capped and never re-quoted — their brackets delimit them.
 */
export function formatValue(
  value: unknown,
  maxLength: number,
  maxDepth: number,
  ancestors: readonly object[] = [],
): string | undefined {
  switch (typeof value) {
    case 'string':
      return logfmtString(truncateText(value, maxLength));
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      if (value === null) return 'null';
      if (value instanceof Date)
        return logfmtString(Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString());
      return compactJson(value, maxLength, maxDepth, ancestors);
    case 'symbol':
      return logfmtString(value.toString());
    default:
      return undefined;
  }
}

/**
 * Compact JSON of an array or object, safe for any input: cycles (also back to `ancestors`, the
 * objects it sits in) print `"[Circular]"`, nesting
 * deeper than `maxDepth` prints `"[Object]"` / `"[Array]"`, and output longer than `maxLength`
 * stops with a visible marker.
 */
export function compactJson(
  value: object,
  maxLength: number,
  maxDepth: number,
  ancestors: readonly object[] = [],
): string {
  const writer = new JsonWriter(maxLength, maxDepth, ancestors);
  writer.write(value, 0);
  return writer.result();
}

class JsonWriter {
  private out = '';
  private full = false;
  private readonly ancestors: object[];

  constructor(
    private readonly maxLength: number,
    private readonly maxDepth: number,
    outer: readonly object[],
  ) {
    this.ancestors = [...outer];
  }

  result(): string {
    const out = sanitizeJson(this.out);
    return this.full ? out.slice(0, this.maxLength) + TRUNCATED_MARKER : out;
  }

  write(value: unknown, depth: number): void {
    if (this.full) return;
    switch (typeof value) {
      case 'string':
        this.out += JSON.stringify(value.length > this.maxLength ? value.slice(0, this.maxLength) : value);
        break;
      case 'number':
        this.out += Number.isFinite(value) ? String(value) : 'null';
        break;
      case 'boolean':
        this.out += String(value);
        break;
      case 'bigint':
        this.out += `"${value}"`;
        break;
      case 'object':
        this.writeObject(value, depth);
        break;
      default:
        this.out += 'null';
    }
    if (this.out.length > this.maxLength) this.full = true;
  }

  private writeObject(value: object | null, depth: number): void {
    if (value === null) {
      this.out += 'null';
      return;
    }
    if (value instanceof Date) {
      this.out += Number.isNaN(value.getTime()) ? 'null' : `"${value.toISOString()}"`;
      return;
    }
    const isArray = Array.isArray(value);
    if (this.ancestors.includes(value)) {
      this.out += '"[Circular]"';
      return;
    }
    if (depth >= this.maxDepth) {
      this.out += isArray ? '"[Array]"' : '"[Object]"';
      return;
    }
    this.ancestors.push(value);
    if (isArray) {
      this.out += '[';
      for (let i = 0; i < value.length && !this.full; i++) {
        if (i > 0) this.out += ',';
        this.write(value[i] === undefined ? null : value[i], depth + 1);
      }
      this.out += ']';
    } else {
      this.out += '{';
      let first = true;
      for (const key in value) {
        if (this.full) break;
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined || typeof item === 'function') continue;
        this.out += `${first ? '' : ','}${JSON.stringify(key)}:`;
        first = false;
        this.write(item, depth + 1);
      }
      this.out += '}';
    }
    this.ancestors.pop();
  }
}
