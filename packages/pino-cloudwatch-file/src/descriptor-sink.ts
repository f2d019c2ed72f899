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
 * Lines of the process's other writers on the same descriptor are theirs to keep whole: a pipe keeps
 * a write whole only up to PIPE_BUF (4,096 bytes), and this writes whole batches. Metrics bound for the
 * same stream go through the application's logger instead (`pino-cloudwatch-metrics`' `destination`),
 * so that this is their one writer.
 *
 * A reader that went away (EPIPE, or any other write error) is reported once on standard error; from
 * then on lines are dropped and counted, the count reported at close — never a throw into the
 * application, never a retry loop: sonic-boom's `flushSync` would retry such an error forever, so it
 * is never called here (in synchronous mode nothing waits in its buffer anyway).
 */
export class DescriptorSink implements LineSink {
  private readonly stream: SonicBoom;
  private broken = false;
  private droppedLines = 0;
  private closed = false;

  constructor(
    private readonly fd: 1 | 2,
    private readonly reporter: Reporter,
  ) {
    this.stream = new SonicBoom({ fd, sync: true, contentMode: 'buffer', minLength: 0 });
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
    // Synchronous mode: written (or refused) before this returns, so the transport may reuse its buffer.
    this.stream.write(data as unknown as string);
    if (this.broken) this.droppedLines += countLines(data);
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

function countLines(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) n++;
  return n;
}
