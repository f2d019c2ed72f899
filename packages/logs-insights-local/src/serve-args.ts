import { CliUsageError } from './cli-args';

/** The default port, printed in the usage. */
export const DEFAULT_PORT = 7400;
/** Loopback only, unless `--host` says otherwise. */
export const DEFAULT_HOST = '127.0.0.1';

export const SERVE_USAGE = `Usage: logs-insights serve [--port N] [--host H] <file or glob ...>

Serves a Logs Insights console for the files on this machine: a query editor with the query pack,
a time range, a histogram, the results with every field of a row, the discovered fields. The files
(and the globs' matches) are read again for each query, so lines written since are in the answer.

  logs-insights serve './logs/app.log.*'

Options:
  --port <n>   the port (default ${DEFAULT_PORT}; 0 for any free port)
  --host <h>   the address to listen on (default 127.0.0.1); any other address makes the log
               lines readable from the network, and prints a warning
  -h, --help   this text

Exit codes: 0 stopped (Ctrl-C), 2 usage (bad option, no file, a file that cannot be read, the port taken).
`;

export interface ServeArgs {
  readonly help: boolean;
  readonly port: number;
  readonly host: string;
  /** Files and globs, expanded again for each query. */
  readonly inputs: readonly string[];
}

/** Reads the arguments after `serve`: `--name value` or `--name=value`, files and globs anywhere. */
export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const inputs: string[] = [];
  let port = DEFAULT_PORT;
  let host = DEFAULT_HOST;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      inputs.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-')) {
      inputs.push(arg);
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
      case '--port': {
        const text = value();
        if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
          throw new CliUsageError(
            `--port must be a whole number from 0 to 65535 (0: any free port), got ${JSON.stringify(text)}`,
          );
        port = Number(text);
        break;
      }
      case '--host': {
        const text = value().trim();
        if (text === '' || /[\s/]/.test(text))
          throw new CliUsageError(`--host must be an address or a host name, got ${JSON.stringify(text)}`);
        host = text;
        break;
      }
      default:
        throw new CliUsageError(
          arg === '-'
            ? 'serve reads files again for each query: it does not read standard input (-)'
            : `unknown option ${JSON.stringify(arg)} (see logs-insights serve --help)`,
        );
    }
  }
  if (!help && inputs.length === 0)
    throw new CliUsageError('serve needs files or globs to read (see logs-insights serve --help)');
  return { help, port, host, inputs };
}
