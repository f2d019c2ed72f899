/**
 * Bytes the disk refused, or that wait for a file to open, oldest first, in memory.
 * Invariants: chunks are written back in the order they came, and only whole chunks' worth of lines
 * are ever dropped; the bytes held never exceed the cap (past it new lines are dropped and counted,
 * never the held ones, which are older). No I/O here: the caller hands in how to write.
 */
export class DiskBacklog {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private droppedLines = 0;

  constructor(private readonly maxBytes: number) {}

  /** Whether anything waits. */
  get pending(): boolean {
    return this.chunks.length > 0;
  }

  /** Chunks waiting (diagnostics). */
  get heldChunks(): number {
    return this.chunks.length;
  }

  /** Lines dropped because the cap was reached. */
  get dropped(): number {
    return this.droppedLines;
  }

  /**
   * Keeps a copy of `data` (the caller may reuse its buffer). Returns false when that would pass the
   * cap: then its lines are dropped and counted instead.
   */
  keep(data: Buffer): boolean {
    if (this.bytes + data.length > this.maxBytes) {
      this.droppedLines += countLines(data);
      return false;
    }
    this.chunks.push(Buffer.from(data));
    this.bytes += data.length;
    return true;
  }

  /**
   * Writes the chunks in order with `write`, which returns the part of a chunk it could not write
   * (or undefined when it wrote all). Stops at the first refusal; returns whether all are written.
   */
  drain(write: (chunk: Buffer) => Buffer | undefined): boolean {
    while (this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const rest = write(chunk);
      this.bytes -= chunk.length - (rest?.length ?? 0);
      if (rest !== undefined) {
        this.chunks[0] = rest;
        return false;
      }
      this.chunks.shift();
    }
    return true;
  }

  /** Lines that never reached the disk: dropped ones and those still held. */
  lostLines(): number {
    return this.droppedLines + this.chunks.reduce((n, chunk) => n + countLines(chunk), 0);
  }
}

export function countLines(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) n++;
  return n;
}
