import { CliUsageError, optionLines, readArgs, type CliOption } from './cli-options';

/** The default port, printed in the usage. */
export const DEFAULT_PORT = 7400;
/** Loopback only, unless `--host` says otherwise. */
export const DEFAULT_HOST = '127.0.0.1';

/** The options of `logs-insights serve`: the one table the parsing and the usage come from. */
const SERVE_OPTIONS: Readonly<Record<string, CliOption>> = Object.freeze({
  port: { type: 'string', value: '<n>', help: `the port (default ${DEFAULT_PORT}; 0 for any free port)` },
  host: {
    type: 'string',
    value: '<h>',
    help:
      'the address to listen on (default 127.0.0.1); any other address makes the log\n' +
      'lines readable from the network, and prints a warning',
  },
  help: { type: 'boolean', short: 'h', help: 'this text' },
});

export const SERVE_USAGE = `Usage: logs-insights serve [--port N] [--host H] <file or glob ...>

Serves a Logs Insights console for the files on this machine: a query editor with the query pack,
a time range, a histogram, the results with every field of a row, the discovered fields. The files
(and the globs' matches) are read again for each query, so lines written since are in the answer.

  logs-insights serve './logs/app.log.*'

Options:
${optionLines(SERVE_OPTIONS)}

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
  const { values, positionals } = readArgs(
    argv,
    SERVE_OPTIONS,
    (arg) => `unknown option ${JSON.stringify(arg)} (see logs-insights serve --help)`,
  );
  const terminator = argv.indexOf('--');
  const beforeTerminator = terminator === -1 ? argv : argv.slice(0, terminator);
  if (beforeTerminator.includes('-'))
    throw new CliUsageError('serve reads files again for each query: it does not read standard input (-)');
  const inputs = [...positionals];
  const help = values.has('help');
  let port = DEFAULT_PORT;
  let host = DEFAULT_HOST;
  const portText = values.get('port');
  if (typeof portText === 'string') {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535)
      throw new CliUsageError(
        `--port must be a whole number from 0 to 65535 (0: any free port), got ${JSON.stringify(portText)}`,
      );
    port = Number(portText);
  }
  const hostText = values.get('host');
  if (typeof hostText === 'string') {
    const text = hostText.trim();
    if (text === '' || /[\s/]/.test(text))
      throw new CliUsageError(`--host must be an address or a host name, got ${JSON.stringify(text)}`);
    host = text;
  }
  if (!help && inputs.length === 0)
    throw new CliUsageError('serve needs files or globs to read (see logs-insights serve --help)');
  return { help, port, host, inputs };
}
