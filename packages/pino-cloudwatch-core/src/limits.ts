/**
 * The CloudWatch line: the keys it owns and the byte limits, as the file transport writes it and
 * the metrics package sizes its lines for it.
 */

/**
 * Keys the CloudWatch line owns, in the order it starts with them; a record field with one of these
 * names is kept renamed (collision.ts). When nothing else fits, a shortened line keeps only these.
 */
export const CORE_KEYS = Object.freeze([
  '@timestamp',
  'level',
  'logger',
  'app',
  'process',
  'message',
] as const);

/** Where a record's error goes in the line. */
export const ERROR_KEY = 'error';

/** The key that marks a shortened line; a record field of that name is kept renamed. */
export const TRUNCATED_KEY = 'truncated';

/** CloudWatch Logs' largest event, in bytes (PutLogEvents: 256 KiB). */
export const CLOUDWATCH_MAX_EVENT_BYTES = 262_144;

/** What CloudWatch Logs counts per event besides its message (PutLogEvents: 26 bytes). */
export const CLOUDWATCH_EVENT_OVERHEAD_BYTES = 26;

/** The default largest line, newline excluded: 262118, CloudWatch's event size less its overhead. */
export const MAX_EVENT_BYTES = CLOUDWATCH_MAX_EVENT_BYTES - CLOUDWATCH_EVENT_OVERHEAD_BYTES;

/**
 * The default largest line on standard output or error, newline excluded: 16 KiB with the newline.
 * Docker's log copier reads 16 KiB at a time for every driver that sets no size of its own (fluentd,
 * hence FireLens; json-file) and containerd splits lines over 16 KiB (`max_container_log_line_size`),
 * both into partial messages that the default FireLens and node-collector setups do not join again.
 */
export const STREAM_MAX_EVENT_BYTES = 16 * 1024 - 1;
