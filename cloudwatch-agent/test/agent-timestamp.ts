/**
 * How the CloudWatch agent turns `timestamp_format` into an event time, mirrored from its
 * source (aws/amazon-cloudwatch-agent: internal/util/timestamp/timestamp.go builds the regex,
 * translator .../collect_list/ruleTimestampFormat.go wraps it and builds the Go layouts,
 * plugins/inputs/logfile/fileconfig.go `timestampFromLogLine` applies them to a line).
 *
 * - strftime tokens become regex pieces; regex-special characters of the format are escaped
 *   first; a leading `\s{0,1}` is dropped; the whole is wrapped in one group.
 * - The regex is unanchored: the first match in the line wins.
 * - `%f` is its own group: its digits are padded/cut to 3 and put back behind a `.`.
 * - The content is parsed with the Go layout (`%f` -> `.000`), in UTC when `timezone` is
 *   "UTC", else in the agent's local time zone.
 */

/** strftime token -> regex, as in the agent's FormatRegexMap. */
export const FORMAT_REGEX: Readonly<Record<string, string>> = {
  '%B': '\\w{7}',
  '%b': '\\w{3}',
  '%-m': '\\s{0,1}\\d{1,2}',
  '%m': '\\s{0,1}\\d{1,2}',
  '%A': '\\w{6,9}',
  '%a': '\\w{3}',
  '%-d': '\\s{0,1}\\d{1,2}',
  '%d': '\\s{0,1}\\d{1,2}',
  '%H': '\\d{2}',
  '%-I': '\\d{1,2}',
  '%I': '\\d{2}',
  '%-M': '\\d{1,2}',
  '%M': '\\d{2}',
  '%-S': '\\d{1,2}',
  '%S': '\\d{2}',
  '%Y': '\\d{4}',
  '%y': '\\d{2}',
  '%p': '\\w{2}',
  '%Z': '\\w{3}',
  '%z': '[+-]\\d{4}',
  '%f': '(\\d{1,9})',
} as const;

/** strftime token -> Go reference layout, as in the agent's FormatLayoutMap. */
export const FORMAT_LAYOUT: Readonly<Record<string, string>> = {
  '%B': 'January',
  '%b': 'Jan',
  '%-m': '1',
  '%m': '01',
  '%A': 'Monday',
  '%a': 'Mon',
  '%-d': '_2',
  '%d': '_2',
  '%H': '15',
  '%-I': '3',
  '%I': '03',
  '%-M': '4',
  '%M': '04',
  '%-S': '5',
  '%S': '05',
  '%Y': '2006',
  '%y': '06',
  '%p': 'PM',
  '%Z': 'MST',
  '%z': '-0700',
  '%f': '.000',
} as const;

/** Characters the agent escapes in the format before replacing tokens (RegexEscapeMap). */
const REGEX_ESCAPES = ['^', '.', '*', '?', '+', '|', '[', ']', '(', ')', '{', '}', '$'] as const;

/** Replace every key of the map in turn, like the agent's ReplaceAll (keys never overlap here). */
function replaceAll(input: string, replacements: Readonly<Record<string, string>>): string {
  let out = input;
  for (const [from, to] of Object.entries(replacements)) out = out.split(from).join(to);
  return out;
}

/** The regex the agent compiles for a timestamp_format (`timestamp_regex` in its TOML). */
export function timestampRegex(format: string): string {
  let body = replaceAll(format, Object.fromEntries(REGEX_ESCAPES.map((c) => [c, `\\${c}`])));
  body = replaceAll(body, FORMAT_REGEX);
  if (body.startsWith('\\s{0,1}')) body = body.slice('\\s{0,1}'.length);
  return `(${body})`;
}

/** The Go layout the agent parses the matched text with (first of `timestamp_layout`). */
export function timestampLayout(format: string): string {
  return replaceAll(format, FORMAT_LAYOUT);
}

/** Go layout chunks this helper can parse, longest first, with the regex for their value. */
const LAYOUT_CHUNKS: ReadonlyArray<[string, string, keyof ParsedParts]> = [
  ['2006', '(\\d{4})', 'year'],
  ['.000', '\\.(\\d{3})', 'millis'],
  ['01', '(\\d{2})', 'month'],
  ['_2', ' ?(\\d{1,2})', 'day'],
  ['15', '(\\d{2})', 'hour'],
  ['04', '(\\d{2})', 'minute'],
  ['05', '(\\d{2})', 'second'],
  ['1', '(\\d{1,2})', 'month'],
];

interface ParsedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
}

/** Parse `text` with a Go layout made of numeric date/time chunks (what our format needs). */
function parseGoLayout(layout: string, text: string, timezone: string): Date | undefined {
  let pattern = '';
  const fields: Array<keyof ParsedParts> = [];
  for (let i = 0; i < layout.length;) {
    const chunk = LAYOUT_CHUNKS.find(([token]) => layout.startsWith(token, i));
    if (chunk) {
      pattern += chunk[1];
      fields.push(chunk[2]);
      i += chunk[0].length;
    } else {
      pattern += layout[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i += 1;
    }
  }
  const match = new RegExp(`^${pattern}$`).exec(text);
  if (!match) return undefined;
  const parts: ParsedParts = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, millis: 0 };
  fields.forEach((field, index) => (parts[field] = Number(match[index + 1])));
  const { year, month, day, hour, minute, second, millis } = parts;
  return timezone === 'UTC'
    ? new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis))
    : new Date(year, month - 1, day, hour, minute, second, millis);
}

/**
 * The event time the agent gives `line` for this collect_list entry, or undefined when the
 * format does not match (the agent then uses the time it read the line).
 */
export function agentEventTime(line: string, format: string, timezone: string): Date | undefined {
  const match = new RegExp(timestampRegex(format), 'd').exec(line);
  const whole = match?.indices?.[1];
  if (!match || !whole) return undefined;
  let content = match[1];
  const fraction = match.indices?.[2];
  if (fraction) {
    // Like the agent: the %f digits, padded/cut to 3, go back in behind a '.'.
    const [start, end] = fraction.map((at) => at - whole[0]);
    const millis = `${content.slice(start, end)}000`.slice(0, 3);
    content = `${content.slice(0, start)}.${millis}${content.slice(end)}`;
  }
  return parseGoLayout(timestampLayout(format), content, timezone);
}
