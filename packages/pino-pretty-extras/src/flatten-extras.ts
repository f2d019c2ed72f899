import { compactJson, formatValue, logfmtString } from './format-value';
import type { FormatContext } from './options';

/** Keys of a serialized error that print under the line rather than on it. */
const ERROR_BLOCK_KEYS = new Set(['stack', 'cause', 'aggregateErrors']);

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
 */
export function formatExtras(
  record: Record<string, unknown>,
  context: FormatContext,
  errors: Record<string, unknown>[],
): string {
  const { hiddenKeys, errorKeys } = context;
  let out = '';
  for (const key in record) {
    if (hiddenKeys.has(key)) continue;
    const value = record[key];
    if (errorKeys.has(key) && isErrorLike(value)) {
      errors.push(value);
      out = appendObject(out, key, value, 1, context, [value], ERROR_BLOCK_KEYS);
      continue;
    }
    out = appendValue(out, key, value, 1, context, []);
  }
  return out;
}

function appendValue(
  out: string,
  path: string,
  value: unknown,
  depth: number,
  context: FormatContext,
  ancestors: object[],
): string {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)) {
    if (ancestors.includes(value)) return `${out}${separator(out)}${logfmtKey(path)}=[Circular]`;
    ancestors.push(value);
    out = appendObject(out, path, value as Record<string, unknown>, depth, context, ancestors, undefined);
    ancestors.pop();
    return out;
  }
  const text = formatValue(value, context.settings.maxValueLength, context.settings.maxDepth, ancestors);
  return text === undefined ? out : `${out}${separator(out)}${logfmtKey(path)}=${text}`;
}

function appendObject(
  out: string,
  path: string,
  value: Record<string, unknown>,
  depth: number,
  context: FormatContext,
  ancestors: object[],
  skip: ReadonlySet<string> | undefined,
): string {
  const { maxDepth, maxValueLength, ignore } = context.settings;
  if (depth >= maxDepth) {
    // `ancestors` ends with `value` itself: only the objects around it count as cycles.
    const outer = ancestors.slice(0, -1);
    return `${out}${separator(out)}${logfmtKey(path)}=${compactJson(value, maxValueLength, maxDepth, outer)}`;
  }
  let empty = true;
  for (const key in value) {
    if (skip !== undefined && skip.has(key) && (key !== 'cause' || isErrorLike(value[key]))) continue;
    empty = false;
    const childPath = `${path}.${key}`;
    if (ignore.size > 0 && ignore.has(childPath)) continue;
    out = appendValue(out, childPath, value[key], depth + 1, context, ancestors);
  }
  return empty ? `${out}${separator(out)}${logfmtKey(path)}={}` : out;
}

function separator(out: string): string {
  return out === '' ? '' : ' ';
}

/** A key prints bare unless it holds a space, `=`, `"` or a control character. */
function logfmtKey(key: string): string {
  return logfmtString(key);
}
