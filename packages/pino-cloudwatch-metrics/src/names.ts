import { OptionError, describeValue } from 'pino-cloudwatch-core';
import { LIMITS, RESERVED_NAMES } from './constants';

/**
 * A programming mistake in the metrics setup: thrown where the metric or option is declared. An
 * option error of the toolkit (pino-cloudwatch-core's `OptionError`, `code`
 * `ERR_PINO_CLOUDWATCH_OPTION`); its `option` is empty, the message names what is wrong.
 */
export class MetricsError extends OptionError {
  constructor(message: string) {
    super('', message);
    this.name = 'MetricsError';
  }
}

const RESERVED = new Set<string>(RESERVED_NAMES);
/** Printable ASCII with at least one non-space: CloudWatch's rule for dimension names and values. */
const DIMENSION_TEXT = /^[\x20-\x7e]*[\x21-\x7e][\x20-\x7e]*$/;
/** CloudWatch namespaces: letters, digits and . - _ / # : and spaces; not starting with `AWS/`. */
const NAMESPACE = /^[A-Za-z0-9.\-_/#: ]+$/;

/** Checks a metric name or dimension key (`what` names it in the message). */
export function checkMemberName(name: unknown, what: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > LIMITS.nameLength) {
    throw new MetricsError(
      `${what} must be a string of 1 to ${LIMITS.nameLength} characters, got ${describeValue(name)}`,
    );
  }
  if (!DIMENSION_TEXT.test(name) || name.startsWith(':')) {
    throw new MetricsError(
      `${what} ${describeValue(name)} must be printable ASCII, not only spaces, and must not start with ':'`,
    );
  }
  if (RESERVED.has(name)) {
    throw new MetricsError(
      `${what} ${describeValue(name)} is a key every log line already has or pino's own; choose another name (reserved: ${RESERVED_NAMES.join(', ')})`,
    );
  }
  return name;
}

export function checkNamespace(namespace: unknown): string {
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > LIMITS.nameLength) {
    throw new MetricsError(
      `namespace must be a string of 1 to ${LIMITS.nameLength} characters, got ${describeValue(namespace)}`,
    );
  }
  if (!NAMESPACE.test(namespace) || namespace.trim() === '' || /^aws\//i.test(namespace)) {
    throw new MetricsError(
      `namespace ${describeValue(namespace)} may hold only letters, digits, spaces and . - _ / # : and must not start with 'AWS/' (e.g. 'checkout')`,
    );
  }
  return namespace;
}

/** Why a dimension value cannot be published, or undefined when it can. */
export function dimensionValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `a dimension value must be a string, got ${typeof value}`;
  if (value.length > LIMITS.dimensionValueLength) {
    return `a dimension value is longer than ${LIMITS.dimensionValueLength} characters`;
  }
  if (!DIMENSION_TEXT.test(value)) {
    return 'a dimension value must be printable ASCII and not only spaces (empty, spaces only, control or non-ASCII characters)';
  }
  return undefined;
}

/** Why a value cannot be published, or undefined when it can. */
export function valueProblem(value: unknown): string | undefined {
  if (typeof value !== 'number') return `a value must be a number, got ${typeof value}`;
  if (!Number.isFinite(value)) return 'a value must be finite (CloudWatch refuses NaN and ±Infinity)';
  if (Math.abs(value) > LIMITS.maxMagnitude)
    return 'a value must lie within ±2^360 (CloudWatch refuses larger ones)';
  return undefined;
}
