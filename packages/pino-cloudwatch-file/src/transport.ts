import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import type { Settings } from './options';
import { Reporter } from './reporter';
import { ScanBuffer } from './plain-scan';
import { DescriptorSink } from './descriptor-sink';
import type { LineSink } from './line-sink';
import { RotatingFile } from './rotating-file';
import { NO_ROOM, NOT_PINO, RecordShaper, type LoggerConfig, type ShapedRecord } from './shape';

/** Shaped lines are written out in batches of at most this many bytes (or one longer line). */
export const OUTPUT_BYTES = 128 * 1024;
/** Input is encoded to UTF-8 and shaped in pieces of about this many UTF-16 units (cut after a newline). */
export const PIECE_CHARS = 64 * 1024;
/**
 * Text taken but not yet shaped, in UTF-16 units, beyond which a write is shaped before it returns
 * (thread-stream then keeps further lines on the application's side until it does).
 */
export const QUEUED_CHARS = 16 * 1024 * 1024;
/** Input lines up to this many UTF-16 units are always shaped whole (see `maxLineChars`). */
export const MIN_LINE_CHARS = 16 * 1024 * 1024;
/** The work buffer's usual size: the output region and one piece's UTF-8. */
const WORK_BYTES = OUTPUT_BYTES + 3 * PIECE_CHARS;
/** A work buffer larger than this was grown by an unusually long line, and is given back after it. */
const SHRINK_ABOVE_BYTES = 4 * 1024 * 1024;

/**
 * The stream pino's worker writes to. It takes text in whatever chunks thread-stream hands over
 * (many lines at once under load), cuts it into lines, shapes each line and appends the whole
 * batch to the period's file with one write. No per-line streams, promises or JSON.parse.
 */
export class CloudWatchFileStream extends Writable {
  /** The period files, or undefined with `destination` (then `output` is that stream). */
  readonly file: RotatingFile | undefined;
  /** Where the shaped lines go: `file`, or standard output or error. */
  readonly output: LineSink;
  private readonly shaper: RecordShaper;
  private readonly decoder = new StringDecoder('utf8');
  /** The end of the last chunk when it stopped inside a line. */
  private partial = '';
  /** The rest of a line cut at maxLineChars is being skipped up to its newline. */
  private skipping = false;
  /**
   * The longest input line shaped as it is, in UTF-16 units: four times the largest output line, at
   * least 16 Mi (a record up to that keeps the structured truncation). Longer lines are cut before
   * shaping, so memory and time per line stay bounded.
   */
  private readonly maxLineChars: number;
  private readonly reporter: Reporter;
  /**
   * The output region `[0, OUTPUT_BYTES)` holds shaped lines waiting to be written together (one
   * write per piece of input, not per line); the input region after it holds the piece being shaped,
   * as UTF-8. One buffer, so shaping copies byte ranges from the input to the output with copyWithin.
   * It lives in the ScanBuffer, whose search checks the input region (a new Buffer after a resize).
   */
  private readonly scanBuffer = new ScanBuffer(WORK_BYTES);
  private get work(): Buffer {
    return this.scanBuffer.bytes;
  }
  /** End of what waits in the output region. */
  private outPos = 0;
  /** Where `shapeLines` hands back the end of its output. */
  private readonly run = { outEnd: 0 };
  /** The time of the line just shaped, handed back by the shaper: it chooses the line's file. */
  private readonly shaped: ShapedRecord = { time: 0 };
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
    this.reporter = reporter;
    this.maxLineChars = Math.max(4 * settings.maxEventBytes, MIN_LINE_CHARS);
    this.shaper = new RecordShaper({
      ...settings,
      onRename: (from, to) =>
        reporter.note(
          `field "${from}" collides with a field the CloudWatch line owns; it is written as "${to}"`,
        ),
      onInvalidTime: (raw) =>
        reporter.note(
          `a record's time ${raw.slice(0, 40)} is not an epoch-millisecond time within 14 days before and 2 hours after the clock (the agent would drop it): such records get the clock's time, their own is kept as "invalidTime"`,
        ),
    });
    this.shaper.configure(settings);
    this.file = settings.destination === undefined ? new RotatingFile(settings, reporter) : undefined;
    this.output = this.file ?? new DescriptorSink(settings.destination!, reporter);
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
      if (this.heldTimer === undefined) {
        this.heldTimer = setTimeout(() => this.release(), this.waitForConfigMs);
        this.heldTimer.unref();
      }
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
    this.drain(true);
    this.output.close();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.drain(true);
    this.output.close();
    callback(error);
  }

  /** Writes everything taken so far (pino's `logger.flush()` in a worker comes here). */
  flush(callback?: (error?: Error | null) => void): void {
    this.flushSync();
    callback?.();
  }

  /** Used by pino.multistream: writes out anything still held. */
  flushSync(): void {
    this.drain(false);
    this.output.flush();
  }

  /**
   * The one drain behind end, destroy and flush: lines held for pino's config, then chunks taken but
   * not yet shaped, then — when the stream ends — a last line without a newline.
   */
  private drain(ending: boolean): void {
    this.release();
    this.shapeQueued();
    if (!ending) return;
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest.length > 0) this.take(`${rest}\n`);
  }

  private release(): void {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    clearTimeout(this.heldTimer);
    for (const text of held) this.take(text);
  }

  /** Shapes the complete lines of `text` and writes them, period by period. */
  private take(text: string): void {
    let start = 0;
    if (this.skipping) {
      // The rest of a line already cut at maxLineChars: dropped up to its newline.
      const end = text.indexOf('\n');
      if (end === -1) return;
      this.skipping = false;
      start = end + 1;
    }
    if (this.partial.length > 0) {
      // Finish the line the last chunk stopped in on its own, so the chunk itself is encoded from
      // the flat string it is.
      const end = text.indexOf('\n', start);
      if (end === -1) {
        this.keepPartial(start === 0 ? text : text.slice(start));
        return;
      }
      const line = this.partial + text.slice(start, end + 1);
      this.partial = '';
      if (line.length - 1 > this.maxLineChars) this.takePiece(this.cutLine(line, 0, line.length - 1));
      else this.takePiece(line);
      start = end + 1;
    }
    // Pieces of about PIECE_CHARS, cut after a newline, bound the input region of `work`; a piece
    // much longer than that holds an over-long line, which is cut before it is encoded.
    while (start < text.length) {
      const nl = start + PIECE_CHARS < text.length ? text.indexOf('\n', start + PIECE_CHARS) : -1;
      const cut = nl === -1 ? text.length : nl + 1;
      if (cut - start > PIECE_CHARS + this.maxLineChars) this.takeLongPiece(text, start, cut);
      else this.takePiece(text.slice(start, cut));
      start = cut;
    }
    this.writeOut();
    // After a spike of long lines the work buffer goes back to its usual size (ordinary pieces, a
    // little over PIECE_CHARS, grow it once to under 1 MB: that size stays, or every chunk would
    // allocate it again).
    if (this.work.length > SHRINK_ABOVE_BYTES) this.scanBuffer.resize(WORK_BYTES, 0);
  }

  /** Capacity of the work buffer in bytes (diagnostics: it returns to its usual size after a spike). */
  get workBytes(): number {
    return this.work.length;
  }

  /** Takes `text[from, to)`, which holds at least one line longer than maxLineChars, line by line. */
  private takeLongPiece(text: string, from: number, to: number): void {
    let start = from;
    while (start < to) {
      const end = text.indexOf('\n', start);
      if (end === -1 || end >= to) {
        this.keepPartial(text.slice(start, to));
        return;
      }
      if (end - start > this.maxLineChars) {
        this.takePiece(this.cutLine(text, start, end));
        start = end + 1;
        continue;
      }
      // A run of ordinary lines, up to about PIECE_CHARS.
      let runEnd = end + 1;
      while (runEnd < to && runEnd - start < PIECE_CHARS) {
        const next = text.indexOf('\n', runEnd);
        if (next === -1 || next >= to || next - runEnd > this.maxLineChars) break;
        runEnd = next + 1;
      }
      this.takePiece(text.slice(start, runEnd));
      start = runEnd;
    }
  }

  /** Adds to an unterminated line; past maxLineChars its head is taken as a line and the rest skipped. */
  private keepPartial(more: string): void {
    this.partial += more;
    if (this.partial.length <= this.maxLineChars) return;
    const line = this.cutLine(this.partial, 0, this.partial.length);
    this.partial = '';
    this.skipping = true;
    this.takePiece(line);
  }

  /** The head of the over-long line `text[start, end)`, as a line of its own, reported once. */
  private cutLine(text: string, start: number, end: number): string {
    this.reporter.problem(
      'long-line',
      `a line of ${end - start} characters or more was cut to its first ${this.maxLineChars} before shaping (lines are capped at maxEventBytes anyway): it is kept as the text of an unparsed record`,
    );
    return `${text.slice(start, start + this.maxLineChars)}\n`;
  }

  /**
   * Encodes `piece` into the input region of `work` and shapes its complete lines into the output
   * region; what follows the last newline is kept for the next chunk.
   */
  private takePiece(piece: string): void {
    const room = piece.length * 3;
    if (this.work.length - OUTPUT_BYTES < room) this.grow(room);
    const { work, shaper, scanBuffer: scan } = this;
    const inStart = OUTPUT_BYTES;
    const inEnd = inStart + work.write(piece, inStart, 'utf8');
    this.scanBuffer.begin(inStart, inEnd);
    // Timers may have changed the files since the last piece: its first line's time is placed again.
    shaper.forgetHeader();
    let start = inStart;
    while (start < inEnd) {
      // Plain lines are shaped in runs, one call each, up to a line that needs more: a new header
      // (its time is placed below, and only a new header's time can open a new file), the general
      // path, a full output region, or the part of the piece the search has not found plain.
      start = shaper.shapeLines(work, start, scan.clearEnd(start), this.outPos, OUTPUT_BYTES, this.run);
      this.outPos = this.run.outEnd;
      if (start >= inEnd) break;
      const end = work.indexOf(10, start);
      if (end === -1 || end >= inEnd) break;
      const lineEnd = end > start && work[end - 1] === 13 ? end - 1 : end;
      if (lineEnd > start) {
        let lineStart = this.outPos;
        // Raw control characters and escapes JSON does not have send a line to the general path;
        // most lines are inside the part of the piece the search found clear (one comparison).
        const plain =
          (start >= scan.pieceStart && lineEnd <= scan.clearUntil) || scan.plain(work, start, lineEnd);
        let outEnd = plain
          ? shaper.shapeBytes(work, start, lineEnd, lineStart, OUTPUT_BYTES, true, this.shaped)
          : NOT_PINO;
        if (outEnd === NO_ROOM && lineStart > 0) {
          this.writeOut();
          lineStart = 0;
          outEnd = shaper.shapeBytes(work, start, lineEnd, 0, OUTPUT_BYTES, true, this.shaped);
        }
        if (outEnd >= 0) {
          this.outPos = outEnd;
          this.placeLine(lineStart);
        } else {
          this.appendText(this.shapeSafely(work.toString('utf8', start, lineEnd)));
        }
      }
      start = end + 1;
    }
    if (start < inEnd) this.partial = work.toString('utf8', start, inEnd);
  }

  /**
   * The one way a shaped line, now at `lineStart` of the output region, finds its file (both paths):
   * if it opens a new period, what came before it goes to the old file first.
   */
  private placeLine(lineStart: number): void {
    if (this.output.startsNewFile(this.shaped.time)) this.rotateBefore(lineStart);
  }

  /** The line just shaped (from `lineStart` on) opens a new period: what came before goes to the old file. */
  private rotateBefore(lineStart: number): void {
    const { work, output } = this;
    if (lineStart > 0) {
      this.send(work.subarray(0, lineStart));
      work.copyWithin(0, lineStart, this.outPos);
      this.outPos -= lineStart;
    }
    output.rotateFor(this.shaped.time);
    this.shaper.forgetHeader();
  }

  /** Shapes a line on the general path; should shaping itself fail (a stack overflow on absurd nesting), the raw text is kept. */
  private shapeSafely(line: string): string {
    try {
      return this.shaper.shape(line, this.shaped) + '\n';
    } catch (err) {
      return this.shaper.unshapeable(line, err as Error, this.shaped) + '\n';
    }
  }

  /**
   * Adds a line shaped as text (the general path) to the output region and places it like a fast-path
   * line. A line longer than the region is written on its own, after the rotation it may open.
   */
  private appendText(line: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (this.outPos + line.length * 3 > OUTPUT_BYTES) this.writeOut();
    if (line.length * 3 > OUTPUT_BYTES) {
      this.placeLine(this.outPos);
      this.send(Buffer.from(line, 'utf8'));
      return;
    }
    const lineStart = this.outPos;
    this.outPos += this.work.write(line, lineStart, 'utf8');
    this.placeLine(lineStart);
  }

  /** Makes the input region hold at least `bytes`, keeping what is pending in the output region. */
  private grow(bytes: number): void {
    this.scanBuffer.resize(
      OUTPUT_BYTES + Math.max(bytes, 2 * (this.work.length - OUTPUT_BYTES)),
      this.outPos,
    );
  }

  private writeOut(): void {
    if (this.outPos === 0) return;
    const n = this.outPos;
    this.outPos = 0;
    this.send(this.work.subarray(0, n));
  }

  /**
   * Hands lines to the output. Writing may change the file's state (a full disk, a folder gone): the
   * next line's time is placed again, not taken as placed by the fast path.
   */
  private send(lines: Buffer): void {
    this.output.write(lines);
    this.shaper.forgetHeader();
  }
}
