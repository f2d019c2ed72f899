import { FORMATS, type Format } from './format-output';
import { parseTimeArg } from './time-range';
import { CliUsageError, optionLines, readArgs, type CliOption } from './cli-options';

/** The query CLI's options: the one table the parsing and the usage come from. */
const CLI_OPTIONS: Readonly<Record<string, CliOption>> = Object.freeze({
  format: {
    type: 'string',
    value: 'table|json|csv',
    help: 'output (default: table on a terminal, json otherwise)',
  },
  since: {
    type: 'string',
    value: '<time>',
    help: 'only events at or after: ISO time, epoch ms, or relative (-1h, -30m, -5min, -2d)',
  },
  until: { type: 'string', value: '<time>', help: 'only events before that time' },
  chart: {
    type: 'boolean',
    help: 'stats ... by bin(...): a horizontal bar chart of the first aggregate\n(instead of the table)',
  },
  help: { type: 'boolean', short: 'h', help: 'this text' },
});

export const USAGE = `Usage: logs-insights '<query>' [file or glob ...] [options]
       logs-insights serve [--port N] [--host H] <file or glob ...>

Runs a CloudWatch Logs Insights query over JSON-lines files (each line is an event), or over
standard input when no file is given (or for -; a terminal only for -), and prints the result as
Logs Insights would.

  logs-insights 'filter level = "ERROR" | sort @timestamp desc | limit 20' './logs/app.log.*'
  node app.js | logs-insights 'stats count(*) by level'
  logs-insights serve './logs/app.log.*'     the console in a browser, on 127.0.0.1 (serve --help)

Options:
${optionLines(CLI_OPTIONS)}

Exit codes: 0 result printed, 1 the query cannot run (syntax error, refused command), 2 usage.
`;

export interface CliArgs {
  readonly help: boolean;
  readonly query: string;
  readonly inputs: readonly string[];
  readonly format: Format | undefined;
  readonly since: number | undefined;
  readonly until: number | undefined;
  readonly chart: boolean;
}

export { CliUsageError };

/** Reads the arguments: the query first (or after the options), then files; `--name value` or `--name=value`. */
export function parseCliArgs(argv: readonly string[], now: number): CliArgs {
  const { values, positionals: positional } = readArgs(
    argv,
    CLI_OPTIONS,
    (arg) => `unknown option ${JSON.stringify(arg)} (see --help)`,
  );
  let format: Format | undefined;
  let since: number | undefined;
  let until: number | undefined;
  const chart = values.has('chart');
  const help = values.has('help');
  const text = values.get('format');
  if (typeof text === 'string') {
    if (!(FORMATS as readonly string[]).includes(text)) {
      throw new CliUsageError(`--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(text)}`);
    }
    format = text as Format;
  }
  for (const name of ['since', 'until'] as const) {
    const value = values.get(name);
    if (typeof value !== 'string') continue;
    let ms: number;
    try {
      ms = parseTimeArg(`--${name}`, value, now);
    } catch (err) {
      throw new CliUsageError((err as Error).message);
    }
    if (name === 'since') since = ms;
    else until = ms;
  }
  if (!help && positional.length === 0) throw new CliUsageError('no query given (see --help)');
  if (chart && format !== undefined && format !== 'table')
    throw new CliUsageError(
      `--chart draws bars instead of the table: it does not go with --format ${format}`,
    );
  if (since !== undefined && until !== undefined && since >= until)
    throw new CliUsageError('--since must be before --until (the range would hold no event)');
  const [query = '', ...inputs] = positional;
  return { help, query, inputs, format, since, until, chart };
}
