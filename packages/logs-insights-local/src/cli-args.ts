import { FORMATS, type Format } from './format-output';
import { parseTimeArg } from './time-range';

export const USAGE = `Usage: logs-insights '<query>' [file or glob ...] [options]
       logs-insights serve [--port N] [--host H] <file or glob ...>

Runs a CloudWatch Logs Insights query over JSON-lines files (each line is an event), or over
standard input when no file is given (or for -; a terminal only for -), and prints the result as
Logs Insights would.

  logs-insights 'filter level = "ERROR" | sort @timestamp desc | limit 20' './logs/app.log.*'
  node app.js | logs-insights 'stats count(*) by level'
  logs-insights serve './logs/app.log.*'     the console in a browser, on 127.0.0.1 (serve --help)

Options:
  --format table|json|csv  output (default: table on a terminal, json otherwise)
  --since <time>           only events at or after: ISO time, epoch ms, or relative (-1h, -30m, -2d)
  --until <time>           only events before that time
  --chart                  stats ... by bin(...): a horizontal bar chart of the first aggregate
                           (instead of the table)
  -h, --help               this text

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

/** A flag the CLI does not know, a missing value, or no query. */
export class CliUsageError extends Error {}

/** Reads the arguments: the query first (or after the options), then files; `--name value` or `--name=value`. */
export function parseCliArgs(argv: readonly string[], now: number): CliArgs {
  const positional: string[] = [];
  let format: Format | undefined;
  let since: number | undefined;
  let until: number | undefined;
  let chart = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const value = (): string => {
      if (eq !== -1) return arg.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined) throw new CliUsageError(`${name} needs a value`);
      i++;
      return next;
    };
    switch (name) {
      case '-h':
      case '--help':
        help = true;
        break;
      case '--chart':
        chart = true;
        break;
      case '--format': {
        const text = value();
        if (!(FORMATS as readonly string[]).includes(text)) {
          throw new CliUsageError(
            `--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(text)}`,
          );
        }
        format = text as Format;
        break;
      }
      case '--since':
      case '--until': {
        let ms: number;
        try {
          ms = parseTimeArg(name, value(), now);
        } catch (err) {
          throw new CliUsageError((err as Error).message);
        }
        if (name === '--since') since = ms;
        else until = ms;
        break;
      }
      default:
        throw new CliUsageError(`unknown option ${JSON.stringify(arg)} (see --help)`);
    }
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
