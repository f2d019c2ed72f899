import { Transform, type TransformCallback } from 'node:stream';

/** The CLI's default longest input line: 1 MiB, far above any record the console prints whole. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;

/** What ends a line cut at `maxLineBytes` (the rest of it is dropped). */
export function cutMarker(maxLineBytes: number): string {
  return `…[line cut at ${maxLineBytes} bytes]`;
}

/**
 * Bytes in, bytes out: lines longer than `maxLineBytes` (not counting the `\n`) are cut there —
 * between two UTF-8 characters — and end with {@link cutMarker}; the rest of such a line is read
 * and dropped. Whatever the input, this holds at most `maxLineBytes` of a line (plus the chunk it
 * came in) and does work linear in the input.
 *
 * It also hands the line splitter after it (split2, in pino-abstract-transport) only whole lines
 * (or, at the end, the last unterminated one): split2 re-splits everything it holds on each chunk,
 * which is quadratic on a line that comes in many chunks (a 40 MB line took 25 s).
 */
export class LineLimit extends Transform {
  /** Pieces of the line being read, when it started in an earlier chunk. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Inside a line that was cut: dropping bytes up to its `\n`. */
  private dropping = false;
  private readonly marker: Buffer;

  constructor(private readonly maxLineBytes: number) {
    super();
    this.marker = Buffer.from(`${cutMarker(maxLineBytes)}\n`);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let start = 0;
    if (this.dropping) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline === -1) return callback();
      this.dropping = false;
      start = newline + 1;
    }
    if (this.held.length > 0) {
      const newline = chunk.indexOf(NEWLINE, start);
      const lineEnd = newline === -1 ? chunk.length : newline;
      if (this.heldBytes + lineEnd - start > this.maxLineBytes) {
        this.cut(chunk.subarray(start, lineEnd));
        if (newline === -1) return callback();
        this.dropping = false;
      } else if (newline === -1) {
        this.hold(chunk.subarray(start));
        return callback();
      } else {
        this.held.push(chunk.subarray(start, newline + 1));
        this.push(Buffer.concat(this.held));
        this.held = [];
        this.heldBytes = 0;
      }
      start = newline + 1;
    }
    this.passLines(chunk, start);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    // The last line had no `\n`: it goes on as it is, within the limit.
    if (this.held.length > 0) this.push(Buffer.concat(this.held));
    this.held = [];
    this.heldBytes = 0;
    callback();
  }

  /** Passes the whole lines of `chunk` from `start` on, cutting long ones, and holds its last partial line. */
  private passLines(chunk: Buffer, start: number): void {
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    // Common case: the chunk's complete lines together fit the limit, so each one does.
    if (lastNewline < start || lastNewline - start <= this.maxLineBytes) {
      if (lastNewline >= start) this.push(chunk.subarray(start, lastNewline + 1));
      const tail = Math.max(start, lastNewline + 1);
      if (chunk.length - tail > this.maxLineBytes) this.cut(chunk.subarray(tail));
      else if (tail < chunk.length) this.hold(chunk.subarray(tail));
      return;
    }
    let passFrom = start;
    let lineStart = start;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, lineStart);
      const lineEnd = newline === -1 ? chunk.length : newline;
      if (lineEnd - lineStart > this.maxLineBytes) {
        if (lineStart > passFrom) this.push(chunk.subarray(passFrom, lineStart));
        this.cut(chunk.subarray(lineStart, lineEnd));
        if (newline === -1) return;
        this.dropping = false;
        passFrom = newline + 1;
      } else if (newline === -1) {
        if (lineStart > passFrom) this.push(chunk.subarray(passFrom, lineStart));
        if (lineStart < chunk.length) this.hold(chunk.subarray(lineStart));
        return;
      }
      lineStart = newline + 1;
    }
  }

  private hold(piece: Buffer): void {
    this.held.push(piece);
    this.heldBytes += piece.length;
  }

  /**
   * Emits the first `maxLineBytes` of the held pieces and `rest` (less a character that would be
   * split) with the marker, and drops the rest of the line up to its `\n`.
   */
  private cut(rest: Buffer): void {
    const head = Buffer.concat(
      [...this.held, rest],
      Math.min(this.heldBytes + rest.length, this.maxLineBytes + 1),
    );
    let end = Math.min(head.length, this.maxLineBytes);
    // A byte 0b10xxxxxx continues a UTF-8 character: cut before the character it belongs to.
    while (end > 0 && end < head.length && (head[end] & 0xc0) === 0x80) end--;
    this.push(Buffer.concat([head.subarray(0, end), this.marker]));
    this.held = [];
    this.heldBytes = 0;
    this.dropping = true;
  }
}
