/** The two environments: `local` (console only) and `production` (console and CloudWatch files). */
export const ENVIRONMENTS = ['local', 'production'] as const;

export const DEFAULTS = Object.freeze({
  process: 'main',
  logLevel: 'info',
  fileLevel: 'info',
} as const);

/** Transport targets, resolved from this package so the caller needs neither of them installed directly. */
export const TARGETS = Object.freeze({
  file: 'pino-cloudwatch-file',
  console: 'pino-pretty-extras',
} as const);
