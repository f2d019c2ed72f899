import { CliUsageError, parseCliArgs, USAGE } from './cli-args';
import { formatChart } from './chart';
import { formatResult } from './format-output';
import { expandInputs } from './inputs';
import { parseQuery } from './parser';
import { QueryError } from './query-error';
import { type QueryInput, runQuery } from './run-query';
import { serveMain } from './serve-cli';

/** What the CLI reads and writes; the real process by default. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly now?: () => number;
  /** `serve`: stops the server when aborted (default: SIGINT or SIGTERM). */
  readonly signal?: AbortSignal;
}

/**
 * `logs-insights '<query>' [files...]`: parses the query first (a syntax error or a refused
 * command is reported with a caret under its column, exit 1), then streams the inputs and prints
 * the result. Resolves to the exit code: 0, 1 (the query cannot run), 2 (usage: bad option, no
 * query, a file that cannot be read). `logs-insights serve ...` serves the page instead (serve-cli.ts).
 */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  if (argv[0] === 'serve') return serveMain(argv.slice(1), io);
  const now = io.now ?? Date.now;
  let args;
  try {
    args = parseCliArgs(argv, now());
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    io.stderr.write(`logs-insights: ${err.message}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  let query;
  try {
    query = parseQuery(args.query);
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    io.stderr.write(`logs-insights: ${err.describe(args.query)}\n`);
    return 1;
  }
  if (args.inputs.length === 0 && io.stdin.isTTY) {
    // Reading a terminal would wait for typed lines: most likely the files were forgotten.
    io.stderr.write(
      'logs-insights: no file given and standard input is a terminal: name files or globs, pipe lines in, or give - to type them\n',
    );
    return 2;
  }
  let inputs: QueryInput[];
  try {
    // No file, or `-` among them: standard input.
    const stdin: QueryInput = { stream: io.stdin as never, name: 'stdin' };
    inputs =
      args.inputs.length === 0
        ? [stdin]
        : args.inputs.flatMap((arg): QueryInput[] => (arg === '-' ? [stdin] : expandInputs([arg])));
  } catch (err) {
    io.stderr.write(`logs-insights: ${(err as Error).message}\n`);
    return 2;
  }
  let result;
  try {
    result = await runQuery(query, inputs, { since: args.since, until: args.until, now });
  } catch (err) {
    const error = err as NodeJS.ErrnoException;
    if (error instanceof QueryError) {
      io.stderr.write(`logs-insights: ${error.describe(args.query)}\n`);
      return 1;
    }
    if (typeof error.code === 'string' && typeof error.path === 'string') {
      io.stderr.write(`logs-insights: cannot read ${error.path} (${error.code})\n`);
      return 2;
    }
    throw err;
  }
  if (args.chart) {
    try {
      io.stdout.write(formatChart(result));
    } catch (err) {
      io.stderr.write(`logs-insights: ${(err as Error).message}\n`);
      return 2;
    }
    return 0;
  }
  io.stdout.write(formatResult(result, args.format ?? (io.stdout.isTTY ? 'table' : 'json')));
  return 0;
}
