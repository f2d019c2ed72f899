import { DEFAULT_MAX_LINE_BYTES } from './line-limit';
import { badOption } from './option-error';
import type { PrettyExtrasOptions } from './options';

/** Flags that take no value (`--colorize`, `--no-colorize`, `--colorize=false`). */
const BOOLEAN_FLAGS = new Set(['colorize', 'utc', 'crlf', 'append', 'mkdir', 'sync', 'raw', 'help']);

/** Value flags whose option is a number; digits become that number. */
const NUMBER_FLAGS = new Set(['maxDepth', 'maxValueLength', 'maxMessageLength', 'maxLineBytes']);

/** Flags that take a value, named exactly as the options. */
const VALUE_FLAGS = new Set([
  'customColors',
  'timeFormat',
  'timeZone',
  'levelLabels',
  'customLevels',
  'messageKey',
  'errorKey',
  'timestampKey',
  'ignore',
  'include',
  'name',
  'maxDepth',
  'maxValueLength',
  'maxMessageLength',
  'destination',
  'maxLineBytes',
]);

const SHORT_FLAGS: Readonly<Record<string, string>> = Object.freeze({
  c: 'colorize',
  h: 'help',
  i: 'ignore',
  I: 'include',
  d: 'destination',
});

/** The CLI's options, or a request for help. */
export interface CliArgs {
  readonly options: PrettyExtrasOptions;
  readonly help: boolean;
  /** Longest input line read whole (CLI only: `--maxLineBytes`); longer ones are cut. */
  readonly maxLineBytes: number;
}

/** Thrown for a flag the CLI does not know or a value that is missing. */
export class CliUsageError extends Error {}

/**
 * Reads `--name value`, `--name=value`, `--kebab-name value`, boolean `--flag` / `--no-flag`
 * and the short flags `-c -h -i -I -d`. Text is turned into the options' own types here —
 * `--sync=false` → `false`, `--maxDepth 3` → `3`, `--destination 2` → file descriptor 2 — and
 * `parseOptions` then checks them like any caller's options (text it cannot read, such as
 * `--maxDepth deep`, stays text, so the error shows what was typed).
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const options: Record<string, string | boolean | number> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let name: string;
    let value: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = camelCase(eq === -1 ? arg.slice(2) : arg.slice(2, eq));
      value = eq === -1 ? undefined : arg.slice(eq + 1);
      if (value === undefined && name.startsWith('no') && BOOLEAN_FLAGS.has(lowerFirst(name.slice(2)))) {
        options[lowerFirst(name.slice(2))] = false;
        continue;
      }
    } else if (arg.startsWith('-') && arg.length === 2 && SHORT_FLAGS[arg[1]] !== undefined) {
      name = SHORT_FLAGS[arg[1]];
    } else {
      throw new CliUsageError(`unexpected argument ${JSON.stringify(arg)}`);
    }
    if (BOOLEAN_FLAGS.has(name)) {
      options[name] = value === undefined ? true : booleanText(value);
    } else if (VALUE_FLAGS.has(name)) {
      if (value === undefined) {
        value = argv[i + 1];
        if (value === undefined) throw new CliUsageError(`--${name} needs a value`);
        i += 1;
      }
      const isNumber = (NUMBER_FLAGS.has(name) || name === 'destination') && /^\d+$/.test(value);
      options[name] = isNumber ? Number(value) : value;
    } else {
      throw new CliUsageError(`unknown option ${JSON.stringify(arg)} (see --help)`);
    }
  }
  const help = options.help === true || options.help === 'true';
  delete options.help;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  delete options.maxLineBytes;
  if (typeof maxLineBytes !== 'number' || !Number.isSafeInteger(maxLineBytes) || maxLineBytes <= 0)
    throw badOption('maxLineBytes', 'must be a positive integer (bytes)', maxLineBytes);
  return { options: options as PrettyExtrasOptions, help, maxLineBytes };
}

/** `true` / `false` as booleans; anything else stays text for parseOptions to refuse by name. */
function booleanText(value: string): boolean | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** `--help` text. */
export const USAGE = `Usage: node app.js | pino-pretty-extras [options]

One readable line per pino record:
  2025-12-13 12:30:45 [INFO] app - GET / | user_id=123 response_time_ms=45

Options (same names as the transport options; --kebab-case works too):
  -c, --colorize / --no-colorize   colour the level (default: on a TTY; NO_COLOR, FORCE_COLOR respected)
  --utc                            print UTC instead of local time
  --timeZone <zone>                local (default), UTC or an IANA zone such as Europe/Paris
  --timeFormat <pattern>           default "YYYY-MM-DD HH:mm:ss" (tokens YYYY MM DD HH mm ss SSS Z)
  --levelLabels <preset|map>       default | python | "warn:WARNING,fatal:CRITICAL"
  --customLevels <map>             e.g. "notice:35,audit:45"
  --customColors <map>             e.g. "notice:cyan"
  --messageKey <key>               default msg
  --errorKey <key>                 default err
  --timestampKey <key>             default time
  -i, --ignore <keys>              keys not to print, e.g. "req.headers,trace_id"
  -I, --include <keys>             hidden pino keys to print, e.g. "pid,hostname"
  --name <name>                    logger name for records without one
  --maxDepth <n>                   nesting flattened to dotted keys (default 5)
  --maxValueLength <n>             longest value before it is cut (default 1000)
  --maxMessageLength <n>           longest message before it is cut (default 10000)
  --maxLineBytes <n>               CLI only: longest input line read whole (default 1048576 = 1 MiB);
                                   longer ones print cut, ending with "…[line cut at <n> bytes]"
  --crlf                           end lines with \\r\\n
  --raw                            print lines that are not JSON records as they came, escapes included
                                   (trusted input only; by default they print escaped)
  -d, --destination <fd|path>      default 1 (stdout)
  --append / --no-append, --mkdir, --sync   for a file destination
  -h, --help                       this text
`;
