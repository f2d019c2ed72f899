import { describeValue } from 'pino-cloudwatch-file/option-keys';

/** Thrown at setup for a bad option; the message names the option, the rule and the value given. */
export class OptionError extends TypeError {
  constructor(
    readonly option: string,
    rule: string,
    value: unknown,
  ) {
    super(`pino-pretty-extras: option "${option}" ${rule}; got ${describeValue(value)}`);
    this.name = 'OptionError';
  }
}
