import { performance } from 'node:perf_hooks';

/**
 * The one clock the write path reads, injected as one object (tests move it by hand).
 * - `wall`: the settings clock (`now` option): which period a time falls in, period ends;
 * - `monotonic`: this process's own writes and sightings, which a wall-clock step must not age;
 * - `fileTime`: the real wall clock that file modification and change times are on.
 */
export interface Clock {
  wall(): number;
  monotonic(): number;
  fileTime(): number;
}

/** The clock of a running transport: the settings' wall clock, the process's monotonic clock, Date.now. */
export function systemClock(wall: () => number): Clock {
  return { wall, monotonic: () => performance.now(), fileTime: () => Date.now() };
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread: used only when closing inside the quiet gap, where the rest of it must pass first. */
export function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}
