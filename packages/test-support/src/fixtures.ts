/**
 * The first keys of every CloudWatch line, in order, written out by hand: what the tests of the
 * packages that write such lines (the JSON file, stdout, metrics, setup) expect, kept apart from the
 * core's `CORE_KEYS` so a change there is caught rather than followed.
 */
export const EXPECTED_CORE_KEYS = Object.freeze([
  '@timestamp',
  'level',
  'logger',
  'app',
  'process',
  'message',
] as const);

/** pino's default levels and the labels the toolkit writes for them, written out by hand. */
export const EXPECTED_DEFAULT_LABELS: readonly (readonly [number, string])[] = Object.freeze([
  [10, 'TRACE'],
  [20, 'DEBUG'],
  [30, 'INFO'],
  [40, 'WARN'],
  [50, 'ERROR'],
  [60, 'FATAL'],
] as const);
