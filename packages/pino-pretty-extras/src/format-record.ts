import { EXTRAS_SEPARATOR } from './constants';
import { formatErrorBlock } from './format-error';
import { formatExtras } from './flatten-extras';
import { toEpochMs } from './format-time';
import { compactJson, truncateText } from './format-value';
import type { FormatContext } from './options';
import { sanitizeHeadText } from './sanitize-text';

/**
 * One pino record as one readable line (plus indented stack lines for errors), ending with the
 * context's EOL:
 *
 * `2025-12-13 12:30:45 [INFO] app - GET / | user_id=123 response_time_ms=45`
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
  const extras = formatExtras(record, context, errors);
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
