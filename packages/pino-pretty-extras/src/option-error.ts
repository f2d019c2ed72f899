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

function describeValue(value: unknown): string {
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
