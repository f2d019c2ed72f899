import * as fs from 'node:fs';

/**
 * Reports a transport problem on stderr once per cause while it lasts, and once when it clears,
 * so a full disk does not print a line per record. Never throws.
 */
export class Reporter {
  private readonly active = new Map<string, number>();

  constructor(private readonly write: (text: string) => void = defaultWrite) {}

  /** Reports `message` unless `cause` is already being reported. Returns true when it printed. */
  problem(cause: string, message: string): boolean {
    const seen = this.active.get(cause);
    if (seen !== undefined) {
      this.active.set(cause, seen + 1);
      return false;
    }
    this.active.set(cause, 1);
    this.print(message);
    return true;
  }

  /** Ends a cause; prints `message` if it had been reported. */
  resolved(cause: string, message: string): void {
    if (this.active.delete(cause)) this.print(message);
  }

  /** Ends every cause that starts with `prefix` (e.g. all write errors of a file). */
  resolvedAll(prefix: string, message: (cause: string) => string): void {
    for (const cause of [...this.active.keys()]) {
      if (cause.startsWith(prefix)) this.resolved(cause, message(cause));
    }
  }

  /** Whether a cause starting with `prefix` is still unresolved. */
  has(prefix: string): boolean {
    for (const cause of this.active.keys()) if (cause.startsWith(prefix)) return true;
    return false;
  }

  /** A one-off message. */
  note(message: string): void {
    this.print(message);
  }

  private print(message: string): void {
    try {
      this.write(`pino-cloudwatch-file: ${message}\n`);
    } catch {
      // Nowhere left to report to.
    }
  }
}

/** Straight to file descriptor 2: a worker thread's process.stderr is relayed asynchronously and lost at exit. */
function defaultWrite(text: string): void {
  fs.writeSync(2, text);
}
