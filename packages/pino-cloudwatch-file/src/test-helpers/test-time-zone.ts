import * as vm from 'node:vm';

/**
 * Jest hands each test file a copy of `process.env`, so `process.env.TZ = ...` inside a test does not
 * reach Node, which re-reads the time zone only when the real environment variable changes. Code run
 * with `vm.runInThisContext` sees the host's own `process`.
 */
const hostProcess = vm.runInThisContext('process') as NodeJS.Process;

/** Switches the process's local time zone now (`undefined` restores the system zone). */
export function setTimeZone(timeZone: string | undefined): void {
  for (const env of [hostProcess.env, process.env]) {
    if (timeZone === undefined) delete env.TZ;
    else env.TZ = timeZone;
  }
}

/**
 * Pins the local time zone for the rest of this test file, and gives the worker process its
 * previous zone back after the file's tests ran. Call it at the very top of the file.
 */
export function pinTimeZone(timeZone: string): void {
  const previous = hostProcess.env.TZ;
  setTimeZone(timeZone);
  afterAll(() => setTimeZone(previous));
}

/** Minutes the local time is ahead of UTC at `t` (`+60` in Paris in winter, `-300` in New York). */
export function localOffsetMinutes(t: number): number {
  return -new Date(t).getTimezoneOffset();
}
