import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `STRESS=1` (npm run test:stress) runs the heavy sizes; the default run is reduced but real. */
export const STRESS = process.env.STRESS === '1';

/** The default size, or the stress size under `STRESS=1`. */
export function sized<T>(normal: T, stress: T): T {
  return STRESS ? stress : normal;
}

/** Jest timeout for tests that drive real child processes on a loaded machine. */
export const HEAVY_TIMEOUT_MS = sized(120_000, 600_000);

export const FIXTURES = path.join(__dirname, 'fixtures');
export const REPO_ROOT = path.resolve(__dirname, '..');

/**
 * The seed of every PRNG in a run: `RELIABILITY_SEED=<n>` replays a failure; otherwise a fresh one,
 * shown in the test names so a failing run can be replayed.
 */
export const SEED = Number(process.env.RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32, the one seeded generator of the toolkit's tests (pino-cloudwatch-test-support). */
export { prng } from 'pino-cloudwatch-test-support';

const tempRoots: string[] = [];

/** A fresh temp folder, removed by `removeTempDirs()` (call it in `afterAll`). */
export function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cw-reliability-${label}-`));
  tempRoots.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempRoots.splice(0)) {
    unmountQuietly(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The built transport must exist: the real-transport tests load `dist` through the workspace link. */
export function assertBuilt(): void {
  const dist = path.join(REPO_ROOT, 'packages/pino-cloudwatch-file/dist/index.js');
  if (!fs.existsSync(dist))
    throw new Error(`${dist} is missing: run "npx tsc -b" (npm test does it in pretest)`);
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningChild {
  child: ChildProcess;
  /** Resolves when the child has exited and its pipes are drained. */
  done: Promise<ChildResult>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line that `match` accepts (lines are JSON when the fixture prints JSON). */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
}

/** Starts `node reliability/fixtures/<script> <JSON args>` with an IPC channel. */
export function startFixture(script: string, args: unknown, env: NodeJS.ProcessEnv = {}): RunningChild {
  const child = spawn(process.execPath, [path.join(FIXTURES, script), JSON.stringify(args)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  let err = '';
  const lines: string[] = [];
  let partial = '';
  const waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  child.stdout!.setEncoding('utf8').on('data', (text: string) => {
    out += text;
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (!waiters[i].match(line)) continue;
        waiters[i].resolve(line);
        waiters.splice(i, 1);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    err += text;
  });
  const done = new Promise<ChildResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
  });
  return {
    child,
    done,
    stdout: () => out,
    stderr: () => err,
    waitForLine(match, timeoutMs = 60_000) {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching line from ${script} within ${timeoutMs} ms; stderr: ${err}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void done.then(() => {
          clearTimeout(timer);
          reject(new Error(`${script} exited before a matching line; stderr: ${err}`));
        });
      });
    },
  };
}

/** Runs a fixture to its end. */
export function runFixture(script: string, args: unknown, env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
  return startFixture(script, args, env).done;
}

/** The last JSON object a fixture printed on stdout (its summary). */
export function lastJson<T>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].startsWith('{')) return JSON.parse(lines[i]) as T;
  }
  throw new Error(`no JSON summary on stdout: ${stdout.slice(-500)}`);
}

/** Sends a message over the fixture's IPC channel and waits for its reply of the same `type`. */
export function ask<T>(child: ChildProcess, message: { type: string } & Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no reply to ${message.type}`)), 30_000);
    const onMessage = (reply: { type?: string }): void => {
      if (reply?.type !== message.type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(reply as T);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it returns true; false after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(everyMs);
  }
  return check();
}

/** Files in `dir` whose names start with `prefix`, sorted by name (names sort by period). */
export function familyFiles(dir: string, prefix: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => name.startsWith(prefix)).sort();
}

export interface LineOnDisk {
  file: string;
  text: string;
  /** The parsed line, or undefined when it is not valid JSON. */
  record: Record<string, unknown> | undefined;
}

/** Every line (complete or not) of every file of a family, in file-name order then file order. */
export function linesOnDisk(dir: string, prefix: string): LineOnDisk[] {
  const lines: LineOnDisk[] = [];
  for (const file of familyFiles(dir, prefix)) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const parts = text.split('\n');
    // A file ends with a newline: the last part is empty unless a line was torn.
    if (parts[parts.length - 1] === '') parts.pop();
    for (const part of parts) lines.push({ file, text: part, record: parseOrUndefined(part) });
  }
  return lines;
}

export function parseOrUndefined(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The numbers 0..n-1 that are missing from `seqs`, as compact ranges ("5-9, 12"). */
export function missingRanges(seqs: Iterable<number>, n: number): string {
  const seen = new Uint8Array(n);
  for (const s of seqs) if (s >= 0 && s < n) seen[s] = 1;
  const ranges: string[] = [];
  for (let i = 0; i < n; i++) {
    if (seen[i]) continue;
    let j = i;
    while (j + 1 < n && !seen[j + 1]) j++;
    ranges.push(i === j ? `${i}` : `${i}-${j}`);
    i = j;
  }
  return ranges.join(', ');
}

/** Transport messages (`pino-cloudwatch-file: ...`) in a child's stderr. */
export function transportMessages(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('pino-cloudwatch-file: '));
}

/**
 * Figures for docs/reliability.md: appended as JSON lines to `$RELIABILITY_REPORT` when it is set,
 * so a run can be summarised without parsing jest's output. A no-op otherwise.
 */
export function reportFigures(test: string, figures: Record<string, unknown>): void {
  const target = process.env.RELIABILITY_REPORT;
  if (target === undefined || target === '') return;
  fs.appendFileSync(target, `${JSON.stringify({ test, stress: STRESS, seed: SEED, ...figures })}\n`);
}

// ---- Mounts (tmpfs), used for the read-only and full-disk faults where the sandbox allows them ----

let mountWorks: boolean | undefined;

/** Whether this process may mount a tmpfs (root in a sandbox that allows it). Checked once. */
export function canMount(): boolean {
  if (mountWorks !== undefined) return mountWorks;
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-reliability-mount-probe-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
  if (mounted) spawnSync('umount', [probe]);
  fs.rmSync(probe, { recursive: true, force: true });
  mountWorks = mounted;
  return mounted;
}

/** Runs `mount` (or `umount`) and throws with its stderr when it fails. */
export function mountCommand(args: string[], command = 'mount'): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
}

/** Mounts a tmpfs of `size` (e.g. "1m") on `dir`. */
export function mountTmpfs(dir: string, size: string): void {
  mountCommand(['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
}

function unmountQuietly(dir: string): void {
  for (const mounted of mountedUnder(dir).reverse()) spawnSync('umount', ['-l', mounted]);
}

function mountedUnder(dir: string): string[] {
  try {
    return fs
      .readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[1])
      .filter((point) => point !== undefined && (point === dir || point.startsWith(`${dir}/`)));
  } catch {
    return [];
  }
}
