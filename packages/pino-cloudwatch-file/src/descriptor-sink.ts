import * as fs from 'node:fs';
import SonicBoom from 'sonic-boom';
import type { LineSink } from './line-sink';
import type { Reporter } from './reporter';

/**
 * Lines to standard output or standard error (`destination: 1 | 2`), through sonic-boom — pino's own
 * writer — in synchronous mode: each batch of lines is written before the transport goes on, so
 * pino's exit flush finds nothing pending, and a slow reader slows the worker, never the
 * application (thread-stream keeps the lines meanwhile). sonic-boom retries a pipe that is full
 * (EAGAIN). No rotation: there is one stream.
 *
 * On a pipe or socket (a container runtime's stdout) lines go out in writes of at most PIPE_BUF
 * (4,096 bytes), cut at line ends: a pipe never splits such a write nor lets another writer's bytes
 * into it, so lines that another writer of the process puts on the same descriptor — the metrics'
 * EMF lines, which stay under that size — never land inside them. (A single line longer than that
 * goes in one write of its own, which the kernel may interleave only while the pipe is full.)
 *
 * A reader that went away (EPIPE, or any other write error) is reported once on standard error; from
 * then on lines are dropped and counted, the count reported at close — never a throw into the
 * application, never a retry loop: sonic-boom's `flushSync` would retry such an error forever, so it
 * is never called here (in synchronous mode nothing waits in its buffer anyway).
 */
/** The most bytes a pipe takes in one write without splitting it (POSIX PIPE_BUF on Linux). */
export const PIPE_BUF = 4096;

export class DescriptorSink implements LineSink {
  private readonly stream: SonicBoom;
  /** A pipe or socket: writes are cut to PIPE_BUF at line ends. */
  private readonly pipe: boolean;
  private broken = false;
  private droppedLines = 0;
  private closed = false;

  constructor(
    private readonly fd: 1 | 2,
    private readonly reporter: Reporter,
  ) {
    this.stream = new SonicBoom({ fd, sync: true, contentMode: 'buffer', minLength: 0 });
    this.pipe = isPipe(fd);
    this.stream.on('error', (err: NodeJS.ErrnoException) => this.fail(err));
  }

  startsNewFile(): boolean {
    return false;
  }

  rotateFor(): void {
    // One stream, no periods.
  }

  write(data: Buffer): void {
    if (this.broken || this.closed) {
      this.droppedLines += countLines(data);
      return;
    }
    if (!this.pipe || data.length <= PIPE_BUF) {
      this.writePiece(data);
      return;
    }
    let start = 0;
    while (start < data.length && !this.broken) {
      let end =
        start + PIPE_BUF <= data.length ? data.lastIndexOf(10, start + PIPE_BUF - 1) + 1 : data.length;
      // A line longer than PIPE_BUF: on its own.
      if (end <= start) end = data.indexOf(10, start) + 1 || data.length;
      this.writePiece(data.subarray(start, end));
      start = end;
    }
    if (this.broken && start < data.length) this.droppedLines += countLines(data.subarray(start));
  }

  private writePiece(piece: Buffer): void {
    // sonic-boom keeps the bytes until its write: a copy, since the transport reuses its buffer.
    this.stream.write(Buffer.from(piece) as unknown as string);
    if (this.broken) this.droppedLines += countLines(piece);
  }

  flush(): void {
    // Synchronous writes: nothing is pending.
  }

  /** Lines dropped because the stream refused them. */
  get dropped(): number {
    return this.droppedLines;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.droppedLines > 0)
      this.reporter.note(
        `${this.droppedLines} line(s) were dropped because ${this.name} refused them (its reader had gone)`,
      );
    // sonic-boom never closes descriptors 1 and 2; ending it only stops it.
    if (!this.broken) this.stream.end();
    else this.stream.destroy();
  }

  private get name(): string {
    return this.fd === 1 ? 'standard output' : 'standard error';
  }

  private fail(err: NodeJS.ErrnoException): void {
    if (this.broken) return;
    this.broken = true;
    const why = err.code === 'EPIPE' ? 'its reader went away (EPIPE)' : `${err.code ?? err.message}`;
    this.reporter.problem(
      `destination-${this.fd}`,
      `cannot write to ${this.name}: ${why}; further lines are dropped and counted`,
    );
  }
}

function isPipe(fd: number): boolean {
  try {
    const stat = fs.fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

function countLines(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) n++;
  return n;
}
