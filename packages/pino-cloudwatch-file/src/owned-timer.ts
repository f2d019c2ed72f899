/**
 * A timer its owner holds, so it can always be stopped (at close, or when what it waits for happened
 * another way). Never keeps the process alive. Invariant: at most one pending callback per timer;
 * starting it again replaces the pending one.
 */
export class OwnedTimer {
  private handle: NodeJS.Timeout | undefined;

  /** Runs `run` once after `ms` (capped at what setTimeout takes), replacing any pending run. */
  once(ms: number, run: () => void): void {
    this.stop();
    this.handle = setTimeout(
      () => {
        this.handle = undefined;
        run();
      },
      Math.min(Math.max(0, ms), 2 ** 31 - 1),
    );
    this.handle.unref();
  }

  /** Runs `run` every `ms` until stopped; does nothing if already repeating. */
  every(ms: number, run: () => void): void {
    if (this.handle !== undefined) return;
    this.handle = setInterval(run, ms);
    this.handle.unref();
  }

  get running(): boolean {
    return this.handle !== undefined;
  }

  stop(): void {
    if (this.handle === undefined) return;
    clearTimeout(this.handle);
    this.handle = undefined;
  }
}
