import { MAX_EXTRAS_LENGTH } from './constants';
import { compactJson, formatValue, logfmtString } from './format-value';
import type { FormatContext } from './options';

/** Keys of a serialized error that print under the line rather than on it. */
const ERROR_BLOCK_KEYS = new Set(['stack', 'cause', 'aggregateErrors']);

/** Ends extras that stopped at {@link MAX_EXTRAS_LENGTH}. */
const EXTRAS_CUT_MARKER = ` …[extras cut at ${MAX_EXTRAS_LENGTH} chars]`;

/** True for a serialized error: pino's `{ type, message, stack }` (or anything with a `stack` string). */
export function isErrorLike(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.stack === 'string' ||
    (typeof candidate.type === 'string' && typeof candidate.message === 'string')
  );
}

/**
 * Appends ` key=value` for every extra of `record`, in record order, flattening objects to
 * dotted keys. Error-like values under an error key are collected into `errors` (their stack
 * prints under the line); on the line they show their other fields (`err.type`, `err.message`,
 * `err.code`, …).
 *
 * Once the extras pass {@link MAX_EXTRAS_LENGTH} characters, the rest is left out and a marker
 * says so: a dotted key repeats its parents' keys, so without a cap a line of a few hundred KB
 * (a long key over many children) would print hundreds of MB.
 */
export function formatExtras(
  record: Record<string, unknown>,
  context: FormatContext,
  errors: Record<string, unknown>[],
): string {
  const { hiddenKeys, errorKeys } = context;
  const extras = new Extras(context);
  for (const key in record) {
    if (hiddenKeys.has(key)) continue;
    if (extras.full()) break;
    const value = record[key];
    if (errorKeys.has(key) && isErrorLike(value)) {
      errors.push(value);
      extras.addObject(key, value, 1, [value], ERROR_BLOCK_KEYS);
      continue;
    }
    extras.addValue(key, value, 1, []);
  }
  return extras.cut ? extras.text + EXTRAS_CUT_MARKER : extras.text;
}

/** The extras of one record as they are written, and whether the cap cut them. */
class Extras {
  text = '';
  cut = false;

  constructor(private readonly context: FormatContext) {}

  /** True (and the extras marked cut) when no further extra fits: checked before each one. */
  full(): boolean {
    if (this.text.length <= MAX_EXTRAS_LENGTH) return false;
    this.cut = true;
    return true;
  }

  addValue(path: string, value: unknown, depth: number, ancestors: object[]): void {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)) {
      if (ancestors.includes(value)) return this.add(path, '[Circular]');
      ancestors.push(value);
      this.addObject(path, value as Record<string, unknown>, depth, ancestors, undefined);
      ancestors.pop();
      return;
    }
    const { maxValueLength, maxDepth } = this.context.settings;
    const text = formatValue(value, maxValueLength, maxDepth, ancestors);
    if (text !== undefined) this.add(path, text);
  }

  addObject(
    path: string,
    value: Record<string, unknown>,
    depth: number,
    ancestors: object[],
    skip: ReadonlySet<string> | undefined,
  ): void {
    const { maxDepth, maxValueLength, ignore } = this.context.settings;
    if (depth >= maxDepth) {
      // `ancestors` ends with `value` itself: only the objects around it count as cycles.
      const outer = ancestors.slice(0, -1);
      return this.add(path, compactJson(value, maxValueLength, maxDepth, outer));
    }
    let empty = true;
    for (const key in value) {
      if (skip !== undefined && skip.has(key) && (key !== 'cause' || isErrorLike(value[key]))) continue;
      empty = false;
      const childPath = `${path}.${key}`;
      if (ignore.size > 0 && ignore.has(childPath)) continue;
      if (this.full()) return;
      this.addValue(childPath, value[key], depth + 1, ancestors);
    }
    if (empty) this.add(path, '{}');
  }

  /** ` key=value`; a key prints bare unless it holds a space, `=`, `"` or a character printed escaped. */
  private add(path: string, valueText: string): void {
    this.text += `${this.text === '' ? '' : ' '}${logfmtString(path)}=${valueText}`;
  }
}
