import fs from 'node:fs';
import type { RequestContexts } from './request-contexts';

export interface LevelSignalOptions {
  /** The signal that moves to the next level. Default `'SIGUSR2'` (`SIGUSR1` starts Node's inspector). */
  signal?: NodeJS.Signals;
  /** The levels to cycle through, from the first. Default: the current level, then `'debug'` (`'trace'` when already at debug or below). */
  levels?: string[];
  /** Logs `log level changed` at the new level, with `log_level` and `previous_log_level` (any pino logger: its level methods are looked up by name). */
  logger?: object;
}

/**
 * Change the level of a running process with a signal, and back: each `kill -USR2 <pid>` moves
 * `contexts.level` to the next of `levels`, for every logger writing through it. Returns the
 * function that removes the handler. Throws at once for a bad option or level; the handler itself
 * never throws (a failure is said once on stderr).
 */
export function cycleLevelOnSignal(
  contexts: RequestContexts,
  { signal = 'SIGUSR2', levels, logger }: LevelSignalOptions = {},
): () => void {
  if (typeof signal !== 'string' || !signal.startsWith('SIG')) {
    throw new Error(
      `pino-request-context: signal must be a signal name like 'SIGUSR2', got ${String(signal)}`,
    );
  }
  const initial = contexts.level;
  const cycle = levels ?? [
    initial,
    ['debug', 'trace'].includes(initial) || initial === 'silent' ? 'trace' : 'debug',
  ];
  if (!Array.isArray(cycle) || cycle.length < 2) {
    throw new Error('pino-request-context: levels must list at least two levels to cycle through');
  }
  // Every level is checked now, so the handler cannot fail on a name.
  for (const name of cycle) {
    contexts.level = name;
  }
  contexts.level = initial;

  let reported = false;
  const onSignal = (): void => {
    try {
      const previous = contexts.level;
      const at = cycle.indexOf(previous);
      const next = cycle[(at + 1) % cycle.length] as string;
      contexts.level = next;
      const log = (logger as Record<string, unknown> | undefined)?.[next];
      if (typeof log === 'function') {
        log.call(logger, { log_level: next, previous_log_level: previous, signal }, 'log level changed');
      }
    } catch (err) {
      if (!reported) {
        reported = true;
        fs.writeSync(
          2,
          `pino-request-context: handling ${signal} failed (the level is now ${contexts.level}): ${String(err)}\n`,
        );
      }
    }
  };
  process.on(signal, onSignal);
  return () => void process.off(signal, onSignal);
}
