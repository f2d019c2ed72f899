import { fstatSync } from 'node:fs';
import { CliUsageError, parseCliArgs, USAGE } from './cli-args';
import { LineLimit } from './line-limit';
import { OptionError } from './option-error';
import { prettyExtras } from './pretty-extras';

/** What the CLI reads and writes; the real process by default. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; fd?: number };
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * `node app.js | pino-pretty-extras [options]`: pipes stdin through the formatter, each line cut
 * at `--maxLineBytes` first (so memory and work per line are bounded whatever comes in). Returns
 * the exit code for a usage error (2), or `undefined` once piping has started.
 */
export function main(argv: readonly string[], io: CliIo = process): number | undefined {
  let args;
  try {
    args = parseCliArgs(argv);
    if (args.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const stream = prettyExtras(args.options);
    io.stdin.pipe(new LineLimit(args.maxLineBytes)).pipe(stream);
  } catch (err) {
    if (!(err instanceof CliUsageError) && !(err instanceof OptionError)) throw err;
    io.stderr.write(`pino-pretty-extras: ${err.message.replace(/^pino-pretty-extras: /, '')}\n`);
    return 2;
  }
  // Ctrl-C reaches the whole pipeline: let the application exit first and this process drain
  // what it wrote (pino-pretty does the same), unless stdin is a terminal or a file.
  if (io.stdin === process.stdin && !process.stdin.isTTY && !isFile(process.stdin.fd)) {
    process.once('SIGINT', () => {});
  }
  return undefined;
}

function isFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}
