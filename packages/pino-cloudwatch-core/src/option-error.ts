/**
 * Option errors: one type, one code, one way to show a value. Every package of the toolkit throws an
 * {@link OptionError} (or a subclass) for a bad option at setup, so a caller can tell them from
 * other errors by `err.code === 'ERR_PINO_CLOUDWATCH_OPTION'` whichever package threw.
 */

/** The `code` of every option error of the toolkit's packages. */
export const OPTION_ERROR_CODE = 'ERR_PINO_CLOUDWATCH_OPTION';

/** Thrown at setup for a bad option; the message names the option, the rule and the value given. */
export class OptionError extends TypeError {
  /** {@link OPTION_ERROR_CODE}, whichever package threw. */
  readonly code: typeof OPTION_ERROR_CODE = OPTION_ERROR_CODE;
  /** The option, e.g. `levelLabels.warn` (empty when the whole options value is wrong). */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.name = 'OptionError';
    this.option = option;
  }
}

/**
 * The toolkit's option message, `<source>: option "<option>" <rule>; got <value>` (no `; got …`
 * when `value` is left out), as an {@link OptionError}.
 */
export function optionError(
  source: string,
  option: string,
  rule: string,
  ...value: [] | [unknown]
): OptionError {
  const got = value.length === 0 ? '' : `; got ${describeValue(value[0])}`;
  return new OptionError(option, `${source}: option "${option}" ${rule}${got}`);
}

/** A value as an option error message shows it: strings and objects as JSON, anything else as text. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

/**
 * The toolkit's one check that an options value is an object (not `null`, not an array), at the
 * start of every package's option parsing: throws `<source>: option "<option>" must be an object
 * like <example>; got <value>` as an {@link OptionError}.
 */
export function checkOptionsObject(
  source: string,
  value: unknown,
  example: string,
  option = 'options',
): asserts value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw optionError(source, option, `must be an object like ${example}`, value);
}
