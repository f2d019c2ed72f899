/**
 * Keys pino adds to every record, printed in the line's head or not at all. The message and time
 * keys (`msg`, `time` by default) are hidden too, under whatever name the options give them.
 */
export const PINO_INTERNAL_KEYS = Object.freeze(['pid', 'hostname', 'level', 'name'] as const);

/** Keys that hold an error when pino's `errorKey` is not known (pino-pretty's list). */
export const ERROR_LIKE_KEYS = Object.freeze(['err', 'error'] as const);

/** Every option's default, in one place. */
export const DEFAULTS = Object.freeze({
  messageKey: 'msg',
  errorKey: 'err',
  timestampKey: 'time',
  timeFormat: 'YYYY-MM-DD HH:mm:ss',
  timeZone: 'local',
  levelLabels: 'default',
  maxDepth: 5,
  maxValueLength: 1000,
  maxMessageLength: 10_000,
  crlf: false,
  destination: 1,
  append: true,
  mkdir: false,
  sync: false,
  raw: false,
} as const);

/**
 * Characters of extras printed for one record, past which the rest is left out with a marker
 * (checked between two extras, so one value is never cut by it; each is capped by maxValueLength).
 */
export const MAX_EXTRAS_LENGTH = 100_000;

/** Separator between the message and the extras. */
export const EXTRAS_SEPARATOR = ' | ';

/** Indentation of stack and cause lines under a record. */
export const STACK_INDENT = '    ';
