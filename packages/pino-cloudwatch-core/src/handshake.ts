import type { EventEmitter } from 'node:events';
import { PINO_LEVELS } from './levels';
import {
  CONFIG_ARRIVED_LATE,
  ConfigWait,
  configFallbackMessage,
  expectsPinoConfig,
  hostLevels,
  hostLevelsMismatch,
  listenForPinoConfig,
  type PinoConfig,
} from './pino-config';

/** What a transport writes with when pino's config does not come: said in the one fallback message. */
export interface KnownConfig {
  /** The custom levels in use (from the options or the worker data); undefined for pino's defaults. */
  levels: Readonly<Record<string, number>> | undefined;
  levelsFrom: 'options' | 'worker data' | 'defaults';
  messageKey: string;
  errorKey: string;
}

/** What {@link pinoConfigHandshake} takes: the transport's side of the exchange. */
export interface HandshakeOptions {
  /**
   * Read the custom levels pino puts in a `targets` worker's data (false when the options name the
   * levels themselves). Default true.
   */
  useHostLevels?: boolean;
  /** Hold lines until the config comes, when this worker expects it (false: write at once). Default true. */
  hold?: boolean;
  /** Where the notes go (a line on stderr, once per cause). */
  report(message: string): void;
  /** pino's config came: apply it. Called at most once. */
  onConfig(config: PinoConfig): void;
  /**
   * The wait ended without the config (its time ran out, or the stream ended during it): apply what
   * is known — `hostLevels` when pino put levels in the worker data — and say what that is.
   */
  onFallback(hostLevels: Readonly<Record<string, number>> | undefined): KnownConfig;
  /** After {@link HandshakeOptions.onFallback} when the time ran out: write what was held. */
  onTimeout?(): void;
}

/** One transport's exchange with pino: {@link pinoConfigHandshake}. */
export interface PinoConfigHandshake {
  /** Whether lines are held until the config comes (a worker whose logger will post it, and `hold`). */
  readonly holding: boolean;
  /** The custom levels pino put in this worker's data, or undefined. */
  readonly hostLevels: Readonly<Record<string, number>> | undefined;
  /** Listens on `stream` (in-process, pino emits the config on it) and on the worker's port. */
  listen(stream: EventEmitter | undefined): void;
  /** A line was held: starts the wait's clock (once). */
  lineHeld(): void;
  /** The stream ends: stops listening; a wait still running ends with the fallback. */
  end(): void;
}

/**
 * The pino config handshake of a transport, in one call (what pino-abstract-transport does with
 * `expectPinoConfig`, plus what this toolkit adds): listen for pino's `PINO_CONFIG` message on the
 * stream and the worker's port; inside a worker that expects it, hold lines at most
 * PINO_CONFIG_WAIT_MS after the first, then write with what is known and say so once; say again
 * when the config comes late; check the worker data's custom levels against the logger's. Never
 * waits before the transport is ready, so awaiting `ready` before calling `pino()` cannot hang.
 */
export function pinoConfigHandshake(options: HandshakeOptions): PinoConfigHandshake {
  const { report } = options;
  const expected = expectsPinoConfig();
  const fromHost = options.useHostLevels === false ? undefined : hostLevels(report);
  let fellBack = false;
  const fallBack = (): void => {
    fellBack = true;
    report(configFallbackMessage(options.onFallback(fromHost)));
  };
  const wait = new ConfigWait(() => {
    fallBack();
    options.onTimeout?.();
  });
  let stop = (): void => {};

  return {
    holding: expected && options.hold !== false,
    hostLevels: fromHost,
    listen(stream) {
      stop = listenForPinoConfig(stream, (config) => {
        wait.settle();
        if (fellBack) report(CONFIG_ARRIVED_LATE);
        const mismatch = fromHost && hostLevelsMismatch(fromHost, config, PINO_LEVELS);
        if (mismatch) report(mismatch);
        options.onConfig(config);
      });
    },
    lineHeld() {
      wait.firstLine();
    },
    end() {
      stop();
      // Ended inside the wait: the held lines are written with what is known.
      if (wait.pending) fallBack();
      wait.settle();
    },
  };
}
