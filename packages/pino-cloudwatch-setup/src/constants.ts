import pino from 'pino';

/** The two environments: `local` (console only) and `production` (console and CloudWatch files). */
export const ENVIRONMENTS = ['local', 'production'] as const;

/** pino's own level names and numbers, from pino itself. */
export const PINO_LEVELS: Readonly<Record<string, number>> = Object.freeze({ ...pino.levels.values });

/** Python logging's level names, accepted for the pino level of the same meaning. */
export const PYTHON_LEVEL_ALIASES = Object.freeze({
  warning: 'warn',
  critical: 'fatal',
} as const);

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
