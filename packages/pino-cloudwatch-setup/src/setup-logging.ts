import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { loggingOptions } from './logging-options';
import type { LoggingConfig } from './types';

/**
 * One-call setup, the seed's `setup_logging(env, app, log_path, process, log_level)`: validate the
 * config (throwing a clear Error at start-up), then return the pino logger.
 *
 * `destination` replaces the transports with your own stream of raw pino JSON lines (tests that
 * capture records in memory, or a pipeline of your own); level, name and serializers stay the same.
 */
export function setupLogging<CustomLevels extends string = never>(
  config: LoggingConfig,
  extra: LoggerOptions<CustomLevels> = {},
  destination?: DestinationStream,
): Logger<CustomLevels> {
  const options = loggingOptions(config, extra as LoggerOptions) as LoggerOptions<CustomLevels>;
  if (destination === undefined) return pino<CustomLevels>(options);
  const { transport: _transport, ...withoutTransport } = options;
  return pino<CustomLevels>(withoutTransport, destination);
}

interface ClosableStream extends DestinationStream {
  fd?: number;
  end?: () => void;
  once?: (event: string, listener: (...args: unknown[]) => void) => unknown;
}

/**
 * Write out everything logged so far and close the logger's destination, for a graceful exit:
 * with transports, the worker ends and every target (the files included) has flushed and closed
 * its files when the promise resolves. stdout/stderr are flushed, not closed. Never rejects:
 * a failure or a timeout is reported as a process warning, so shutdown carries on.
 * The logger must not be used afterwards.
 */
export function closeLogging(logger: Pick<Logger, 'flush'>, { timeoutMs = 10_000 } = {}): Promise<void> {
  const stream = (logger as unknown as Record<symbol, ClosableStream>)[pino.symbols.streamSym];
  return new Promise((resolve) => {
    let settled = false;
    const done = (problem?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (problem !== undefined && problem !== null) {
        process.emitWarning(`pino-cloudwatch-setup: closeLogging: ${String(problem)}`, 'LoggingCloseWarning');
      }
      resolve();
    };
    const timer = setTimeout(
      () => done(`the log destination did not close within ${timeoutMs} ms`),
      timeoutMs,
    );
    const endable = typeof stream?.end === 'function' && typeof stream.once === 'function';
    if (
      !endable ||
      stream.fd === 1 ||
      stream.fd === 2 ||
      stream === process.stdout ||
      stream === process.stderr
    ) {
      logger.flush((err) => done(err));
      return;
    }
    stream.once!('error', (err) => done(err));
    stream.once!('finish', () => done());
    stream.once!('close', () => done());
    stream.end!();
  });
}
