import type { CliIo } from './cli';
import { CliUsageError } from './cli-options';
import { expandInputs } from './inputs';
import { parseServeArgs, SERVE_USAGE } from './serve-args';
import { isLoopback } from './serve-host';
import { startServer } from './serve';
import fs from 'node:fs';

/**
 * `logs-insights serve [--port N] [--host H] <files>`: checks the arguments and the files once
 * (exit 2 for usage, as the query CLI), prints the page's address, and serves until `io.signal`
 * aborts (default: SIGINT or SIGTERM). Resolves to the exit code.
 */
export async function serveMain(argv: readonly string[], io: CliIo): Promise<number> {
  const usage = (message: string) => {
    io.stderr.write(`logs-insights serve: ${message}\n`);
    return 2;
  };
  let args;
  try {
    args = parseServeArgs(argv);
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    return usage(err.message);
  }
  if (args.help) {
    io.stdout.write(SERVE_USAGE);
    return 0;
  }
  try {
    for (const file of expandInputs(args.inputs)) {
      const stat = fs.statSync(file);
      if (stat.isDirectory()) return usage(`cannot read ${file} (EISDIR)`);
    }
  } catch (err) {
    const error = err as NodeJS.ErrnoException;
    return usage(
      typeof error.path === 'string' ? `cannot read ${error.path} (${error.code})` : error.message,
    );
  }
  let server;
  try {
    server = await startServer({ host: args.host, port: args.port, inputs: args.inputs, now: io.now });
  } catch (err) {
    const error = err as NodeJS.ErrnoException;
    if (error.code === 'EADDRINUSE')
      return usage(`port ${args.port} is taken: choose another with --port (0: any free port)`);
    if (error.code === 'EACCES')
      return usage(`cannot listen on port ${args.port} (EACCES): choose one above 1023 with --port`);
    if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
      return usage(`cannot listen on ${args.host} (${error.code}): not an address of this machine`);
    throw err;
  }
  if (!isLoopback(args.host)) {
    io.stderr.write(
      `logs-insights serve: warning: listening on ${args.host}, not on loopback: anyone who can reach this machine on port ${server.port} can read the log lines of these files (there is no login). Leave out --host to listen on 127.0.0.1 only.\n`,
    );
  }
  io.stdout.write(`logs-insights serve: ${server.url} (Ctrl-C stops)\n`);
  await new Promise<void>((resolve) => {
    if (io.signal !== undefined) {
      if (io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
