import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_MAX_LINE_BYTES } from './line-limit';
import { badOption } from './option-error';
import type { PrettyExtrasOptions } from './options';

/** One option of the CLI: how it is read, and its line in `--help`. */
interface CliOption {
  /** `boolean`: `--flag`, `--no-flag`, `--flag=true|false`; `string`: `--flag value`, `--flag=value`. */
  readonly type: 'boolean' | 'string';
  readonly short?: string;
  /** Digits become a number (a file descriptor for `destination`). */
  readonly number?: boolean;
  /** What stands for the value in `--help`. */
  readonly value?: string;
  readonly help: string;
}

/**
 * The CLI's options, named exactly as the transport options: the one table both the parsing (with
 * `node:util` `parseArgs`) and the `--help` text come from.
 */
const CLI_OPTIONS: Readonly<Record<string, CliOption>> = Object.freeze({
  colorize: {
    type: 'boolean',
    short: 'c',
    help: 'colour the level (default: on a TTY; NO_COLOR, FORCE_COLOR respected)',
  },
  utc: { type: 'boolean', help: 'print UTC instead of local time' },
  timeZone: {
    type: 'string',
    value: '<zone>',
    help: 'local (default), UTC or an IANA zone such as Europe/Paris',
  },
  timeFormat: {
    type: 'string',
    value: '<pattern>',
    help: 'default "YYYY-MM-DD HH:mm:ss" (tokens YYYY MM DD HH mm ss SSS Z)',
  },
  levelLabels: {
    type: 'string',
    value: '<preset|map>',
    help: 'default | python | "warn:WARNING,fatal:CRITICAL"',
  },
  customLevels: { type: 'string', value: '<map>', help: 'e.g. "notice:35,audit:45"' },
  customColors: { type: 'string', value: '<map>', help: 'e.g. "notice:cyan"' },
  messageKey: { type: 'string', value: '<key>', help: 'default msg' },
  errorKey: { type: 'string', value: '<key>', help: 'default err' },
  timestampKey: { type: 'string', value: '<key>', help: 'default time' },
  ignore: {
    type: 'string',
    short: 'i',
    value: '<keys>',
    help: 'keys not to print, e.g. "req.headers,trace_id"',
  },
  include: {
    type: 'string',
    short: 'I',
    value: '<keys>',
    help: 'hidden pino keys to print, e.g. "pid,hostname"',
  },
  name: { type: 'string', value: '<name>', help: 'logger name for records without one' },
  maxDepth: {
    type: 'string',
    number: true,
    value: '<n>',
    help: 'nesting flattened to dotted keys (default 5)',
  },
  maxValueLength: {
    type: 'string',
    number: true,
    value: '<n>',
    help: 'longest value before it is cut (default 1000)',
  },
  maxMessageLength: {
    type: 'string',
    number: true,
    value: '<n>',
    help: 'longest message before it is cut (default 10000)',
  },
  maxLineBytes: {
    type: 'string',
    number: true,
    value: '<n>',
    help:
      'CLI only: longest input line read whole (default 1048576 = 1 MiB);\n' +
      'longer ones print cut, ending with "…[line cut at <n> bytes]"',
  },
  crlf: { type: 'boolean', help: 'end lines with \\r\\n' },
  raw: {
    type: 'boolean',
    help:
      'print lines that are not JSON records as they came, escapes included\n' +
      '(trusted input only; by default they print escaped)',
  },
  destination: { type: 'string', short: 'd', number: true, value: '<fd|path>', help: 'default 1 (stdout)' },
  append: { type: 'boolean', help: 'for a file destination: append (default) or not' },
  mkdir: { type: 'boolean', help: 'for a file destination: create its folder' },
  sync: { type: 'boolean', help: 'for a file destination: write synchronously' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} satisfies Record<string, CliOption>);

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
  const { tokens } = parseArgs({
    // Kebab-case names are read as the camelCase option (`--max-depth` is `--maxDepth`).
    args: argv.map((arg) => (arg.startsWith('--') ? camelCaseFlag(arg) : arg)),
    options: PARSE_ARGS_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'option-terminator') throw new CliUsageError('unexpected argument "--"');
    if (token.kind === 'positional')
      throw new CliUsageError(`unexpected argument ${JSON.stringify(token.value)}`);
    const spec: CliOption | undefined = CLI_OPTIONS[token.name];
    const negated = lowerFirst(token.name.slice(2));
    if (spec === undefined && token.name.startsWith('no') && CLI_OPTIONS[negated]?.type === 'boolean') {
      if (token.value !== undefined) throw new CliUsageError(`${token.rawName} takes no value`);
      options[negated] = false;
    } else if (spec === undefined) {
      throw new CliUsageError(`unknown option ${JSON.stringify(argv[token.index])} (see --help)`);
    } else if (spec.type === 'boolean') {
      options[token.name] = token.value === undefined ? true : booleanText(token.value);
    } else if (token.value === undefined) {
      throw new CliUsageError(`--${token.name} needs a value`);
    } else {
      options[token.name] =
        spec.number === true && /^\d+$/.test(token.value) ? Number(token.value) : token.value;
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

/** The table in `parseArgs`' form: only the type and the short name matter to it. */
const PARSE_ARGS_OPTIONS: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
  Object.entries(CLI_OPTIONS).map(([name, spec]) => [
    name,
    spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short },
  ]),
);

/** `true` / `false` as booleans; anything else stays text for parseOptions to refuse by name. */
function booleanText(value: string): boolean | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** `--max-depth=3` → `--maxDepth=3`: only the name is changed, never the value. */
function camelCaseFlag(arg: string): string {
  const eq = arg.indexOf('=');
  const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
  const camel = name.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
  return `--${camel}${eq === -1 ? '' : arg.slice(eq)}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The left column of an option's `--help` line: `-c, --colorize / --no-colorize`, `--name <name>`. */
function helpLabel(name: string, spec: CliOption): string {
  const long = spec.type === 'boolean' ? `--${name}` : `--${name} ${spec.value ?? '<value>'}`;
  const negation = spec.type === 'boolean' && name !== 'help' ? ` / --no-${name}` : '';
  return `${spec.short === undefined ? '' : `-${spec.short}, `}${long}${negation}`;
}

const HELP_COLUMN = 35;

/** `--help` text, from the table of options. */
export const USAGE = `Usage: node app.js | pino-pretty-extras [options]

One readable line per pino record:
  2025-12-13 12:30:45 [INFO] app - GET / | user_id=123 response_time_ms=45

Options (same names as the transport options; --kebab-case works too):
${Object.entries(CLI_OPTIONS)
  .map(([name, spec]) => {
    const label = `  ${helpLabel(name, spec)}`;
    const [first, ...more] = spec.help.split('\n');
    const head =
      label.length < HELP_COLUMN ? label.padEnd(HELP_COLUMN) : `${label}\n${' '.repeat(HELP_COLUMN)}`;
    return [head + first, ...more.map((line) => ' '.repeat(HELP_COLUMN) + line)].join('\n');
  })
  .join('\n')}
`;
