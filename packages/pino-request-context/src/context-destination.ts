import fs from 'node:fs';
import { levelOfLine } from './line';

/** A pino destination: anything with `write(line)`; the rest is passed through when there. */
export interface DestinationStream {
  write(line: string): unknown;
}

/** Writes one line with its level to the wrapped destination. */
export type Forward = (line: string, level: number) => void;
/** Decides what becomes of one line: written (through `forward`), buffered, or dropped. */
export type Route = (line: string, level: number, forward: Forward) => void;

/** pino's documented metadata protocol: it sets `lastLevel` (and more) on the stream before each write. */
const METADATA = Symbol.for('pino.metadata');

interface Inner extends DestinationStream {
  [METADATA]?: boolean;
  lastLevel?: number;
  lastObj?: unknown;
  lastMsg?: unknown;
  lastTime?: unknown;
  lastLogger?: unknown;
  fd?: number;
  flush?: (cb?: (err?: Error | null) => void) => void;
  flushSync?: () => void;
  end?: () => void;
  destroy?: () => void;
  on?: (event: string, listener: (...args: unknown[]) => void) => unknown;
  once?: (event: string, listener: (...args: unknown[]) => void) => unknown;
  off?: (event: string, listener: (...args: unknown[]) => void) => unknown;
  removeListener?: (event: string, listener: (...args: unknown[]) => void) => unknown;
  emit?: (event: string, ...args: unknown[]) => unknown;
}

let reported = false;

/**
 * The wrapper pino writes to. Everything but `write` goes to the wrapped stream as it is: pino's
 * `PINO_CONFIG` message (`emit`), `flush`, `flushSync`, `end` and the stream's events, so
 * `logger.flush()`, a transport's end and a graceful close work as without the wrapper. A line of
 * unknown level (not from pino) is written as it is.
 */
export class ContextDestination implements DestinationStream {
  [METADATA] = true;
  lastLevel: number | undefined = undefined;
  lastObj: unknown;
  lastMsg: unknown;
  lastTime: unknown;
  lastLogger: unknown;
  readonly #inner: Inner;
  readonly #route: Route;

  constructor(inner: DestinationStream, route: Route) {
    if (inner === null || typeof inner !== 'object' || typeof inner.write !== 'function') {
      throw new Error('pino-request-context: destination(stream): stream must have a write(line) method');
    }
    this.#inner = inner as Inner;
    this.#route = route;
  }

  /** Writes to the wrapped stream, telling it the level when it reads pino's metadata (a multistream). */
  readonly forward: Forward = (line, level) => {
    const inner = this.#inner;
    if (inner[METADATA] === true) {
      inner.lastLevel = level;
      inner.lastObj = this.lastObj;
      inner.lastMsg = this.lastMsg;
      inner.lastTime = this.lastTime;
      inner.lastLogger = this.lastLogger;
    }
    inner.write(line);
  };

  write(line: string): boolean {
    const level = this.lastLevel ?? levelOfLine(line);
    this.lastLevel = undefined;
    if (level === undefined) {
      this.#inner.write(line);
      return true;
    }
    try {
      this.#route(line, level, this.forward);
    } catch (err) {
      // Never into the application: said once, and the line goes out as it is.
      if (!reported) {
        reported = true;
        fs.writeSync(
          2,
          `pino-request-context: a line could not be routed, written as it is: ${String(err)}\n`,
        );
      }
      this.#inner.write(line);
    }
    return true;
  }

  get fd(): number | undefined {
    return this.#inner.fd;
  }

  flush(cb?: (err?: Error | null) => void): void {
    if (typeof this.#inner.flush === 'function') this.#inner.flush(cb);
    else cb?.();
  }

  flushSync(): void {
    this.#inner.flushSync?.();
  }

  end(): void {
    this.#inner.end?.();
  }

  destroy(): void {
    this.#inner.destroy?.();
  }

  on(event: string, listener: (...args: unknown[]) => void): this {
    this.#inner.on?.(event, listener);
    return this;
  }

  once(event: string, listener: (...args: unknown[]) => void): this {
    this.#inner.once?.(event, listener);
    return this;
  }

  off(event: string, listener: (...args: unknown[]) => void): this {
    (this.#inner.off ?? this.#inner.removeListener)?.call(this.#inner, event, listener);
    return this;
  }

  removeListener(event: string, listener: (...args: unknown[]) => void): this {
    return this.off(event, listener);
  }

  emit(event: string, ...args: unknown[]): boolean {
    return Boolean(this.#inner.emit?.(event, ...args));
  }
}
