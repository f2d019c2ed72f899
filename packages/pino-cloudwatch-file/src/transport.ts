import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import type { Settings } from './options';
import { Reporter } from './reporter';
import { RotatingFile } from './rotating-file';
import { RecordShaper, type LoggerConfig } from './shape';

/** Shaped text is written out in pieces of at most this many UTF-16 units (or one longer line). */
export const PENDING_CHARS = 64 * 1024;
/**
 * Text taken but not yet shaped, in UTF-16 units, beyond which a write is shaped before it returns
 * (thread-stream then keeps further lines on the application's side until it does).
 */
export const QUEUED_CHARS = 16 * 1024 * 1024;

/**
 * The stream pino's worker writes to. It takes text in whatever chunks thread-stream hands over
 * (many lines at once under load), cuts it into lines, shapes each line and appends the whole
 * batch to the period's file with one write. No per-line streams, promises or JSON.parse.
 */
export class CloudWatchFileStream extends Writable {
  readonly file: RotatingFile;
  private readonly shaper: RecordShaper;
  private readonly decoder = new StringDecoder('utf8');
  /** The end of the last chunk when it stopped inside a line. */
  private partial = '';
  /** Shaped lines waiting to be written together: one write per chunk of input, not per line. */
  private pending = '';
  private readonly out = Buffer.allocUnsafe(PENDING_CHARS * 3 + 3);
  /** Chunks that came before pino's logger config, while it is still expected. */
  private held: string[] | undefined;
  /** Chunks taken from pino, shaped on the next turn of the worker's event loop. */
  private queue: string[] = [];
  private queuedChars = 0;
  private shapeScheduled = false;
  private readonly waitForConfigMs: number;
  private readonly shapeLater: boolean;

  private heldTimer: NodeJS.Timeout | undefined;

  /**
   * `shapeLater` (set by `build` in a transport's worker): a chunk is taken at once and shaped on the
   * next turn of the event loop. In-process, lines are shaped and written inside `write`, so nothing
   * is pending when the application exits without ending the stream.
   */
  constructor(
    settings: Settings,
    options: { waitForConfigMs?: number; reporter?: Reporter; shapeLater?: boolean } = {},
  ) {
    // One synchronous write per chunk: buffering in the Writable would only add copies.
    super({ decodeStrings: false, highWaterMark: 64 * 1024 * 1024 });
    const reporter = options.reporter ?? new Reporter();
    this.shaper = new RecordShaper({
      ...settings,
      onRename: (from, to) =>
        reporter.note(
          `field "${from}" collides with a field the CloudWatch line owns; it is written as "${to}"`,
        ),
    });
    this.shaper.configure(settings);
    this.file = new RotatingFile(settings, reporter);
    this.waitForConfigMs = options.waitForConfigMs ?? 0;
    this.shapeLater = options.shapeLater ?? false;
    if (this.waitForConfigMs > 0) this.held = [];
  }

  /** Applies the logger's levels and keys (pino's PINO_CONFIG message) and writes what waited for them. */
  configure(config: LoggerConfig): void {
    this.shaper.configure(config);
    this.release();
  }

  override _write(
    chunk: string | Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (this.held !== undefined) {
      this.held.push(text);
      this.heldTimer ??= setTimeout(() => this.release(), this.waitForConfigMs);
    } else if (!this.shapeLater) {
      this.take(text);
    } else {
      // Returning at once lets thread-stream hand the shared buffer back to the application right
      // away: while this chunk is shaped, pino's next lines go into the buffer instead of piling up
      // on the application's thread. Past QUEUED_CHARS the chunk is shaped now, before returning.
      this.queue.push(text);
      this.queuedChars += text.length;
      if (this.queuedChars > QUEUED_CHARS) {
        this.shapeQueued();
      } else if (!this.shapeScheduled) {
        this.shapeScheduled = true;
        setImmediate(this.shapeQueuedLater);
      }
    }
    callback();
  }

  private readonly shapeQueuedLater = (): void => {
    this.shapeScheduled = false;
    this.shapeQueued();
  };

  /** Shapes and writes every chunk taken so far, in order. */
  private shapeQueued(): void {
    const { queue } = this;
    if (queue.length === 0) return;
    this.queue = [];
    this.queuedChars = 0;
    for (const text of queue) this.take(text);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.release();
    this.shapeQueued();
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest.length > 0) this.take(`${rest}\n`);
    this.file.close();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.shapeQueued();
    this.file.close();
    callback(error);
  }

  /** Writes everything taken so far (pino's `logger.flush()` in a worker comes here). */
  flush(callback?: (error?: Error | null) => void): void {
    this.flushSync();
    callback?.();
  }

  /** Used by pino.multistream: writes out anything still held. */
  flushSync(): void {
    this.release();
    this.shapeQueued();
    this.file.retry();
  }

  private release(): void {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    clearTimeout(this.heldTimer);
    for (const text of held) this.take(text);
  }

  /** Shapes the complete lines of `text` into the output buffer and writes them, period by period. */
  private take(text: string): void {
    let start = 0;
    if (this.partial.length > 0) {
      // Finish the line the last chunk stopped in on its own, so the chunk itself is scanned as
      // the flat string it is (a concatenation would be a rope, slow to read character by character).
      const end = text.indexOf('\n');
      if (end === -1) {
        this.partial += text;
        return;
      }
      const line = this.partial + text.slice(0, end + 1);
      this.partial = '';
      this.takeLines(line, 0);
      start = end + 1;
    }
    this.takeLines(text, start);
    this.writeOut();
  }

  /** Shapes the complete lines of `data` from `start`; keeps what follows the last newline. */
  private takeLines(data: string, from: number): void {
    const { shaper, file } = this;
    let start = from;
    let end = data.indexOf('\n', start);
    while (end !== -1) {
      const lineEnd = end > start && data.charCodeAt(end - 1) === 13 ? end - 1 : end;
      if (lineEnd > start) {
        const line = this.shapeSafely(data, start, lineEnd);
        if (shaper.lastTime >= file.currentEnd) {
          this.writeOut();
          file.rotateFor(shaper.lastTime);
        }
        this.append(line);
      }
      start = end + 1;
      end = data.indexOf('\n', start);
    }
    if (start < data.length) this.partial = data.slice(start);
  }

  /** Shapes a line (newline included); should shaping itself fail (a stack overflow on absurd nesting), the raw text is kept. */
  private shapeSafely(data: string, start: number, end: number): string {
    try {
      return this.shaper.shapeLine(data, start, end);
    } catch (err) {
      return this.shaper.unshapeable(data.slice(start, end), err as Error) + '\n';
    }
  }

  /**
   * Adds one line (with its newline) to the pending text. What is pending is written out first when
   * the line would take it past PENDING_CHARS, so a batch always fits the reusable output buffer
   * (only a single line longer than that is encoded into a buffer of its own).
   */
  private append(line: string): void {
    if (this.pending.length + line.length > PENDING_CHARS) this.writeOut();
    this.pending += line;
  }

  private writeOut(): void {
    const { pending } = this;
    if (pending.length === 0) return;
    this.pending = '';
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (pending.length * 3 <= this.out.length) {
      const n = this.out.write(pending, 0, 'utf8');
      this.file.write(this.out.subarray(0, n));
    } else {
      this.file.write(Buffer.from(pending, 'utf8'));
    }
  }
}
