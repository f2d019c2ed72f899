import { AsyncLocalStorage } from 'node:async_hooks';
import { ContextDestination, type DestinationStream, type Forward } from './context-destination';
import { levelName, levelValue } from './levels';
import { droppedRecord, markBuffered } from './line';
import { parseOptions, type RequestContextsOptions, type RequestContextsSettings } from './options';

/** pino's `hooks.logMethod`: the call's arguments, pino's own log method, the record's level number. */
export type LogMethodHook = (
  this: unknown,
  args: unknown[],
  method: (...args: unknown[]) => void,
  level: number,
) => void;

/** What {@link RequestContexts.stats} reports. */
export interface RequestContextsStats {
  /** Contexts started and not ended (nor garbage-collected). */
  readonly active: number;
  /** Bytes of lines held in buffers now, across contexts (at most `maxTotalBytes`). */
  readonly bufferedBytes: number;
  /** Lines dropped from buffers by either cap since start-up. */
  readonly dropped: number;
}

/**
 * One context's buffer. Kept apart from the context so that a context that is never ended is
 * still accounted for when it is garbage-collected (the finalizer gets this, not the context).
 * Lines are a queue: `head` is the oldest kept; evicting advances it, compaction is amortized.
 */
class Buffer_ {
  lines: string[] = [];
  levels: number[] = [];
  sizes: number[] = [];
  head = 0;
  bytes = 0;
  dropped = 0;
  lastDropLevel = 0;
  lastDropTime = 0;

  get count(): number {
    return this.lines.length - this.head;
  }

  clear(): void {
    this.lines = [];
    this.levels = [];
    this.sizes = [];
    this.head = 0;
    this.bytes = 0;
    this.dropped = 0;
  }
}

/**
 * One request (or any unit of work): its buffer and its sampling decision. Made by
 * {@link RequestContexts.start}; `run` makes it the current context of everything `fn` starts.
 */
export class RequestContext {
  /** Whether this context writes its records below the level directly (decided at its start). */
  readonly sampled: boolean;
  /** @internal */
  readonly buffer = new Buffer_();
  #ended = false;
  readonly #owner: RequestContexts;

  /** @internal use {@link RequestContexts.start} */
  constructor(owner: RequestContexts, sampled: boolean) {
    this.#owner = owner;
    this.sampled = sampled;
  }

  /** Whether {@link end} was called: records logged in it afterwards are treated as outside any context. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Run `fn` (and everything it starts, sync or async) in this context. */
  run<T>(fn: () => T): T {
    return this.#owner.storage.run(this, fn);
  }

  /** Write the buffered records now (in order, marked), as an error record would. */
  flush(): void {
    this.#owner.flushContext(this);
  }

  /**
   * End the context: with `flush: true` (a 5xx, an uncaught error) its buffered records are
   * written first; otherwise they are discarded. Nothing is kept afterwards. Idempotent.
   */
  end({ flush = false }: { flush?: boolean } = {}): void {
    if (this.#ended) return;
    if (flush) this.flush();
    this.#ended = true;
    this.#owner.release(this);
  }
}

/**
 * Per-context buffering for one pino destination. The buffer lives on the application's thread,
 * in a wrapper of the destination (`destination()`), because only there is the async context of
 * a log call known: pino writes each line to its destination synchronously inside the call, so the
 * wrapper sees the line and the caller's AsyncLocalStorage context together. A transport's worker
 * only receives finished lines.
 *
 * Routing a line of level L (pino tells the level through its `pino.metadata` protocol):
 * - L ≥ `level`: written; at `flushLevel` or above, the current context's buffer is written first.
 * - L < `level`, outside a context (or in an ended one): dropped, as the logger's level would.
 * - L < `level` in a sampled context: written. Otherwise buffered (L ≥ `bufferFrom`), bounded by
 *   `maxContextBytes` per context and `maxTotalBytes` in all, oldest first out, drops counted.
 */
export class RequestContexts {
  /** @internal */
  readonly storage = new AsyncLocalStorage<RequestContext>();
  readonly #settings: RequestContextsSettings;
  #level: number;
  #sink: Forward | undefined;
  #totalBytes = 0;
  #active = 0;
  #dropped = 0;
  readonly #finalizer = new FinalizationRegistry<Buffer_>((buffer) => {
    this.#totalBytes -= buffer.bytes;
    this.#active--;
    buffer.clear();
  });

  /**
   * A pino `hooks.logMethod`: leaves out, before pino serializes it, a record the destination would
   * drop — below `level` and outside a live context (or below `bufferFrom`). Optional: without it
   * such a record is serialized and then dropped (about 0.9 µs a call instead of tens of ns).
   * `pino({ level: contexts.loggerLevel, hooks: { logMethod: contexts.logMethod } }, contexts.destination(…))`.
   */
  readonly logMethod: LogMethodHook;

  constructor(options: RequestContextsOptions = {}) {
    this.#settings = parseOptions(options);
    this.#level = this.#settings.level;
    const drops = (level: number): boolean => this.#drops(level);
    // A function, not an arrow: pino calls it with the logger as `this`, which its method needs.
    this.logMethod = function logMethod(this: unknown, args, method, level) {
      if (drops(level)) return;
      method.apply(this, args);
    };
  }

  /** What {@link #route} drops for a line of `level` in the current context, decided before serializing. */
  #drops(level: number): boolean {
    return level < this.#level && this.#keeper(level) === undefined;
  }

  /**
   * The live context that keeps (or, sampled, writes) a line of `level` below the level; `undefined`
   * when such a line is dropped: outside a context, in an ended one, below `bufferFrom`, or silent.
   */
  #keeper(level: number): RequestContext | undefined {
    if (this.#level === Infinity || level < this.#settings.bufferFrom) return undefined;
    const context = this.storage.getStore();
    return context === undefined || context.ended ? undefined : context;
  }

  /** The level the pino logger must have so that the records to buffer are serialized at all. */
  get loggerLevel(): string {
    return levelName(this.#settings.levels, this.#settings.bufferFrom);
  }

  /** The level written outside contexts (and the buffering threshold inside them). */
  get level(): string {
    return levelName(this.#settings.levels, this.#level);
  }

  /**
   * Change the level at run time, for every logger and child writing through this destination.
   * Throws for a name that is not a level or one below `bufferFrom` (the logger does not
   * serialize those records).
   */
  set level(name: string) {
    const value = levelValue(this.#settings.levels, name, 'level');
    if (value < this.#settings.bufferFrom) {
      throw new Error(
        `pino-request-context: level: ${JSON.stringify(name)} is below bufferFrom ` +
          `(${this.loggerLevel}), the lowest level the logger serializes`,
      );
    }
    this.#level = value;
  }

  /**
   * Wrap a pino destination (a `pino.transport()` stream, `pino.destination()`, any stream):
   * give the result to `pino()`, with the logger at {@link loggerLevel}. One destination per
   * instance: the flushed lines of a context go to it.
   */
  destination(stream: DestinationStream): DestinationStream {
    if (this.#sink !== undefined) {
      throw new Error(
        'pino-request-context: destination() was already called; make one RequestContexts per destination',
      );
    }
    const wrapper = new ContextDestination(stream, (line, level, forward) =>
      this.#route(line, level, forward),
    );
    this.#sink = wrapper.forward;
    return wrapper;
  }

  /** A new context (not yet current: call its `run`). Sampling is decided here. */
  start(): RequestContext {
    const { sampleRate, random } = this.#settings;
    const context = new RequestContext(this, sampleRate > 0 && random() < sampleRate);
    this.#active++;
    this.#finalizer.register(context, context.buffer, context.buffer);
    return context;
  }

  /**
   * Run `fn` in a new context that ends when `fn` returns or its promise settles; a throw or a
   * rejection writes the buffered records first.
   */
  run<T>(fn: () => T): T {
    const context = this.start();
    let result: T;
    try {
      result = context.run(fn);
    } catch (err) {
      context.end({ flush: true });
      throw err;
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          context.end();
          return value;
        },
        (err: unknown) => {
          context.end({ flush: true });
          throw err;
        },
      ) as T;
    }
    context.end();
    return result;
  }

  /** The context of the caller, if any (ended ones included). */
  current(): RequestContext | undefined {
    return this.storage.getStore();
  }

  stats(): RequestContextsStats {
    return { active: this.#active, bufferedBytes: this.#totalBytes, dropped: this.#dropped };
  }

  /** @internal */
  flushContext(context: RequestContext): void {
    if (this.#sink !== undefined) this.#flush(context.buffer, this.#sink);
  }

  /** @internal */
  release(context: RequestContext): void {
    this.#finalizer.unregister(context.buffer);
    this.#totalBytes -= context.buffer.bytes;
    context.buffer.clear();
    this.#active--;
  }

  #route(line: string, level: number, forward: Forward): void {
    if (level >= this.#level) {
      if (level >= this.#settings.flushLevel) {
        const context = this.storage.getStore();
        if (context !== undefined && (context.buffer.count > 0 || context.buffer.dropped > 0)) {
          this.#flush(context.buffer, forward);
        }
      }
      forward(line, level);
      return;
    }
    const context = this.#keeper(level);
    if (context === undefined) return;
    if (context.sampled) forward(line, level);
    else this.#keep(context.buffer, line, level);
  }

  #keep(buffer: Buffer_, line: string, level: number): void {
    const bytes = Buffer.byteLength(line);
    const { maxContextBytes, maxTotalBytes } = this.#settings;
    while (
      buffer.count > 0 &&
      (buffer.bytes + bytes > maxContextBytes || this.#totalBytes + bytes > maxTotalBytes)
    ) {
      this.#evictOldest(buffer);
    }
    if (bytes > maxContextBytes || this.#totalBytes + bytes > maxTotalBytes) {
      this.#countDrop(buffer, level);
      return;
    }
    buffer.lines.push(line);
    buffer.levels.push(level);
    buffer.sizes.push(bytes);
    buffer.bytes += bytes;
    this.#totalBytes += bytes;
  }

  #evictOldest(buffer: Buffer_): void {
    const i = buffer.head;
    const size = buffer.sizes[i] as number;
    buffer.bytes -= size;
    this.#totalBytes -= size;
    this.#countDrop(buffer, buffer.levels[i] as number);
    buffer.lines[i] = '';
    buffer.head++;
    if (buffer.head >= 64 && buffer.head * 2 >= buffer.lines.length) {
      buffer.lines = buffer.lines.slice(buffer.head);
      buffer.levels = buffer.levels.slice(buffer.head);
      buffer.sizes = buffer.sizes.slice(buffer.head);
      buffer.head = 0;
    }
  }

  #countDrop(buffer: Buffer_, level: number): void {
    buffer.dropped++;
    buffer.lastDropLevel = level;
    buffer.lastDropTime = Date.now();
    this.#dropped++;
  }

  #flush(buffer: Buffer_, forward: Forward): void {
    const { lines, levels, head, dropped } = buffer;
    const bytes = buffer.bytes;
    if (lines.length === head && dropped > 0) {
      forward(droppedRecord(buffer.lastDropLevel, buffer.lastDropTime, dropped), buffer.lastDropLevel);
    }
    this.#totalBytes -= bytes;
    buffer.clear();
    for (let i = head; i < lines.length; i++) {
      forward(markBuffered(lines[i] as string, i === head ? dropped : 0), levels[i] as number);
    }
  }
}

/** A {@link RequestContexts} from checked options (throws at once, naming a bad option). */
export function createRequestContexts(options?: RequestContextsOptions): RequestContexts {
  return new RequestContexts(options);
}
