import { EXTRAS_SEPARATOR } from './constants';
import { formatErrorBlock } from './format-error';
import { formatExtras } from './flatten-extras';
import { toEpochMs } from './format-time';
import { shortTraceId, traceHiddenContext } from './format-trace';
import { compactJson, truncateText } from './format-value';
import type { FormatContext } from './options';
import { sanitizeHeadText } from './sanitize-text';

/**
 * One pino record as one readable line (plus indented stack lines for errors), ending with the
 * context's EOL:
 *
 * `2025-12-13 12:30:45 [INFO] app - GET / | user_id=123 response_time_ms=45`
 *
 * A record with an OpenTelemetry `trace_id` shows it short, first of the extras: `| trace=0e0e4736 …`.
 *
 * Every character of it is safe for a terminal (`sanitize-text`), and the first ` | ` of the line
 * is the one before the extras: the head (label, name, message) prints `|` as `\|`.
 *
 * Pure: no I/O, no option parsing; plain string building so it keeps up with pino.
 */
export function formatRecord(record: Record<string, unknown>, context: FormatContext): string {
  const { settings, painter } = context;
  let line = '';

  const epochMs = toEpochMs(record[settings.timestampKey]);
  if (epochMs !== undefined) line = context.formatTime(epochMs);

  const level = record.level;
  if (level !== undefined) line = join(line, context.badges.of(level));

  const rawName = record.name;
  const name = typeof rawName === 'string' && rawName !== '' ? sanitizeHeadText(rawName) : settings.name;
  if (name !== undefined) line = join(line, name);

  const message = messageText(record[settings.messageKey], context);
  if (message !== '') line = line === '' ? message : `${line}${name !== undefined ? ' - ' : ' '}${message}`;

  const errors: Record<string, unknown>[] = [];
  // A traced record: `trace=<last 8 hex>` first, instead of the four OpenTelemetry fields.
  const traceId = shortTraceId(record);
  let extras =
    traceId === undefined
      ? formatExtras(record, context, errors)
      : formatExtras(record, traceHiddenContext(context), errors);
  if (traceId !== undefined) extras = extras === '' ? `trace=${traceId}` : `trace=${traceId} ${extras}`;
  if (extras !== '') line += line === '' ? painter.dim(extras) : painter.dim(EXTRAS_SEPARATOR + extras);

  line += settings.eol;
  for (const error of errors) line += formatErrorBlock(error, settings.eol);
  return line;
}

function join(line: string, part: string): string {
  return line === '' ? part : `${line} ${part}`;
}

function messageText(value: unknown, context: FormatContext): string {
  const { maxMessageLength, maxDepth } = context.settings;
  switch (typeof value) {
    case 'string':
      return sanitizeHeadText(truncateText(value, maxMessageLength));
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      // Compact JSON is already escaped, but for `|`.
      return value === null ? '' : compactJson(value, maxMessageLength, maxDepth).replace(/\|/g, '\\|');
    default:
      return '';
  }
}
