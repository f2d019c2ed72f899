import { checkOptionsObject } from 'pino-cloudwatch-core';
import fs from 'node:fs';
import os from 'node:os';
import type { RequestContexts } from './request-contexts';

export interface LevelSignalOptions {
  /** The signal that moves to the next level. Default `'SIGUSR2'` (`SIGUSR1` starts Node's inspector). */
  signal?: NodeJS.Signals;
  /** The levels to cycle through, from the first. Default: the current level, then `'debug'` (`'trace'` when already at debug or below). */
  levels?: string[];
  /** Logs `log level changed` at the new level, with `log_level` and `previous_log_level` (any pino logger: its level methods are looked up by name). */
  logger?: object;
}

const OPTION_KEYS = ['signal', 'levels', 'logger'];
/** Signals a process cannot catch: a handler for them would never run. */
const UNCATCHABLE = ['SIGKILL', 'SIGSTOP'];

/**
 * Change the level of a running process with a signal, and back: each `kill -USR2 <pid>` moves
 * `contexts.level` to the next of `levels`, for every logger writing through it. Returns the
 * function that removes the handler. Throws at once for a bad option or level; the handler itself
 * never throws (a failure is said once on stderr).
 */
export function cycleLevelOnSignal(contexts: RequestContexts, options: LevelSignalOptions = {}): () => void {
  checkOptionsObject('pino-request-context', options, '{ logger }', 'cycleLevelOnSignal options');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new Error(
        `pino-request-context: cycleLevelOnSignal: ${key} is not an option; accepted: ${OPTION_KEYS.join(', ')}`,
      );
    }
  }
  const { signal = 'SIGUSR2', levels, logger } = options;
  if (typeof signal !== 'string' || !(signal in os.constants.signals) || UNCATCHABLE.includes(signal)) {
    throw new Error(
      `pino-request-context: signal must be a signal name this system has and a process can catch, like 'SIGUSR2', got ${String(signal)}`,
    );
  }
  const initial = contexts.level;
  const cycle = levels ?? [initial, ['debug', 'trace'].includes(initial) ? 'trace' : 'debug'];
  if (!Array.isArray(cycle) || cycle.length < 2) {
    throw new Error('pino-request-context: levels must list at least two levels to cycle through');
  }
  // Every level is checked now, so the handler cannot fail on a name; the cycle keeps the names
  // as the contexts spell them ('DEBUG' → 'debug'), which is what the handler finds in it.
  const names = cycle.map((name) => {
    contexts.level = name;
    return contexts.level;
  });
  contexts.level = initial;

  let reported = false;
  const onSignal = (): void => {
    try {
      const previous = contexts.level;
      const at = names.indexOf(previous);
      const next = names[(at + 1) % names.length] as string;
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
