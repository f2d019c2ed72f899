import type { Logger } from 'pino';
import { closeLogging } from 'pino-cloudwatch-setup';

export interface GracefulShutdownOptions {
  logger: Logger;
  /** Longest wait for `close` before exiting with 1 anyway. Default 10 s (Docker's stop timeout is 10 s too). */
  delayMs?: number;
  signals?: NodeJS.Signals[];
  /** Closed after `close` and before the logs (the metrics, whose last minute is written then). */
  closeFirst?: readonly { close(): unknown }[];
}

/**
 * close-with-grace style: on SIGTERM / SIGINT (or an uncaught error) run `close` once, then write
 * out every log record and exit (0 for a signal, 1 for an error or a failed close).
 *
 * A repeated signal while closing is ignored rather than fatal: Ctrl-C under the root `npm start`
 * reaches node three times (from the terminal and forwarded by each npm), and exiting on the second
 * one would lose the records still on their way to the files. The `delayMs` timer is the hard stop.
 * Returns the function that starts the shutdown, for the caller's own fatal paths.
 */
export function gracefulShutdown(
  { logger, delayMs = 10_000, signals = ['SIGTERM', 'SIGINT'], closeFirst = [] }: GracefulShutdownOptions,
  close: () => Promise<void>,
): (exitCode: number) => Promise<void> {
  let closing: Promise<void> | undefined;

  const shutdown = (exitCode: number): Promise<void> => {
    closing ??= (async () => {
      const timer = setTimeout(() => {
        process.stderr.write(`shutdown did not finish within ${delayMs} ms; exiting with 1\n`);
        process.exit(1);
      }, delayMs);
      timer.unref();
      try {
        await close();
      } catch (err) {
        logger.error({ err }, 'error while closing');
        exitCode = 1;
      }
      logger.info({ exit_code: exitCode }, 'closed; exiting');
      await closeLogging(logger, { timeoutMs: delayMs, closeFirst });
      process.exit(exitCode);
    })();
    return closing;
  };

  for (const signal of signals) {
    process.on(signal, () => {
      if (closing) return;
      logger.info({ signal }, `${signal} received: finishing in-flight requests`);
      void shutdown(0);
    });
  }
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    void shutdown(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled rejection');
    void shutdown(1);
  });
  return shutdown;
}
