import { OptionError, optionError } from 'pino-cloudwatch-core';

/**
 * pino-pretty-extras' option errors are pino-cloudwatch-core's {@link OptionError} (`code`
 * `ERR_PINO_CLOUDWATCH_OPTION`, `option`), with the toolkit's message:
 * `pino-pretty-extras: option "<option>" <rule>; got <value>`.
 */
export { OptionError };

/** The error for a bad option: names the option, the rule and the value given. */
export function badOption(option: string, rule: string, value: unknown): OptionError {
  return optionError('pino-pretty-extras', option, rule, value);
}
