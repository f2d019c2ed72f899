import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { buildLoggingOptions } from './logging-options';
import type { LoggingConfig } from './types';

/**
 * One-call setup: validate the config (throwing a clear Error at start-up, before any worker
 * thread starts), then return the pino logger.
 *
 * `destination` replaces the transports with your own stream of raw pino JSON lines (tests that
 * capture records in memory, or a pipeline of your own); level, name and serializers stay the same.
 * With `requestContexts` in the config, the destination (given or built) is wrapped by them.
 *
 * The transport is created here (with `pino.transport`, given the logger's custom levels the way
 * pino gives them) and kept for {@link closeLogging}, for the logger and every child of it.
 */
export function setupLogging<CustomLevels extends string = never>(
  config: LoggingConfig,
  extra: LoggerOptions<CustomLevels> = {},
  destination?: DestinationStream,
): Logger<CustomLevels> {
  const { transport, ...options } = buildLoggingOptions(config, extra as LoggerOptions);
  const target = destination ?? createTransport(transport!, options);
  // Request contexts sit in front of the destination: the buffer lives on this thread.
  const stream = config.requestContexts?.destination(target) ?? target;
  const userOnChild = options.onChild;
  const logger = pino<CustomLevels>(
    {
      ...(options as LoggerOptions<CustomLevels>),
      // Children share their parent's destination; remember it for them too.
      onChild: (child) => {
        destinations.set(child, stream);
        userOnChild?.(child as unknown as Logger);
      },
    },
    stream,
  );
  destinations.set(logger, stream);
  return logger;
}

/** The destination of each logger made by {@link setupLogging}, and of its children. */
const destinations = new WeakMap<object, DestinationStream>();

/**
 * The transport pino would build from `options.transport`, built here so that it is ours to end:
 * with the logger's custom levels in the worker's data, as pino passes them.
 */
function createTransport(
  transport: NonNullable<LoggerOptions['transport']>,
  options: LoggerOptions,
): DestinationStream {
  const customLevels = options.customLevels as Record<string, number> | undefined;
  return pino.transport({
    ...transport,
    ...(customLevels === undefined ? {} : { levels: { ...customLevels } }),
  });
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
 *
 * The destination is the one {@link setupLogging} created (or was given) for this logger or its
 * parent. For a logger made another way (`pino(loggingOptions(config))`), pass the destination you
 * gave pino as `destination`; without it the logger is only flushed, and a warning says so.
 *
 * `closeFirst` are closed before the logs, in order, each within the same `timeoutMs` (a metrics
 * writer such as `pino-cloudwatch-metrics`, whose last interval is written at close): their
 * failures and timeouts are process warnings too, and the logs are closed anyway.
 */
export async function closeLogging(
  logger: Pick<Logger, 'flush'>,
  {
    timeoutMs = 10_000,
    destination,
    closeFirst = [],
  }: {
    timeoutMs?: number;
    destination?: DestinationStream;
    closeFirst?: readonly { close(): unknown }[];
  } = {},
): Promise<void> {
  // A shutdown carries on whatever it is given: a bad option is a warning, never a rejection.
  let timeout = timeoutMs;
  if (typeof timeout !== 'number' || !(timeout >= 0) || timeout === Infinity) {
    warnClose(`timeoutMs must be a number of milliseconds, 0 or more, got ${String(timeout)}; using 10000`);
    timeout = 10_000;
  }
  let items: readonly { close(): unknown }[] = closeFirst;
  if (!Array.isArray(closeFirst)) {
    const one = closeFirst as unknown;
    const closable = typeof (one as { close?: unknown } | null)?.close === 'function';
    warnClose(
      `closeFirst must be an array of objects with close(), like [metrics], got ${closable ? 'one object' : String(one)}` +
        (closable ? '; closing it first' : ''),
    );
    items = closable ? [one as { close(): unknown }] : [];
  }
  for (const closable of items) await closeWithin(closable, timeout);
  return closeDestination(logger, timeout, destination);
}

function warnClose(problem: string): void {
  process.emitWarning(`pino-cloudwatch-setup: closeLogging: ${problem}`, 'LoggingCloseWarning');
}

/** Closes `closable` and waits at most `timeoutMs` for it; never rejects. */
async function closeWithin(closable: { close(): unknown }, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const warn = warnClose;
  try {
    await Promise.race([
      Promise.resolve().then(() => closable.close()),
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          warn(`closeFirst: an item did not close within ${timeoutMs} ms`);
          resolve();
        }, timeoutMs);
      }),
    ]);
  } catch (err) {
    warn(`closeFirst: closing an item failed: ${String(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

function closeDestination(
  logger: Pick<Logger, 'flush'>,
  timeoutMs: number,
  destination: DestinationStream | undefined,
): Promise<void> {
  const stream = (destination ?? destinations.get(logger)) as ClosableStream | undefined;
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
    if (stream === undefined) {
      logger.flush((err) =>
        done(
          err ??
            'the logger was not made by setupLogging and no destination was given, so it was flushed but its ' +
              'destination was not closed; pass { destination } to close it',
        ),
      );
      return;
    }
    const endable = typeof stream.end === 'function' && typeof stream.once === 'function';
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
