import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type LogRecord = Record<string, unknown>;

/** A pino destination keeping every raw pino record, parsed, in memory. */
export function memoryDestination(): { records: LogRecord[]; write(line: string): void } {
  const records: LogRecord[] = [];
  return { records, write: (line: string) => void records.push(JSON.parse(line) as LogRecord) };
}

/** A fresh temporary folder and its cleanup. */
export function tempDir(): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-demo-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const HOURLY_FILE = /^app\.log\.\d{4}-\d{2}-\d{2}_\d{2}$/;

/** Every JSON line of every hourly file in `dir`, oldest file first (a run may straddle an hour). */
export function readHourlyFiles(dir: string): { files: string[]; records: LogRecord[] } {
  const files = fs
    .readdirSync(dir)
    .filter((name) => HOURLY_FILE.test(name))
    .sort();
  const records = files
    .flatMap((name) => fs.readFileSync(path.join(dir, name), 'utf8').split('\n'))
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogRecord);
  return { files, records };
}

/** Keys of the CloudWatch JSON line that always come first, in this order (CONTRACT §1). */
export const CORE_KEYS = ['@timestamp', 'level', 'logger', 'app', 'process', 'message'];
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The repository root: where the README's commands run. */
export const REPO_ROOT = path.join(__dirname, '..', '..');

export interface Started {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Exit code, or the signal's name when the process was killed by one. */
  exit: Promise<number | NodeJS.Signals | null>;
  /** Resolves when stdout has a line matching `pattern` (its match). */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
}

/**
 * Run `command` as a real child process with only `env` (plus `PATH` and `HOME`) in its
 * environment — no `LOG_LEVEL`, `PORT` or `npm_*` variables leaking in from the caller's shell.
 * `detached` makes it the leader of its own process group, like a command typed in a terminal.
 */
export function startProcess(
  command: string,
  args: string[],
  { cwd, env, detached = false }: { cwd: string; env: NodeJS.ProcessEnv; detached?: boolean },
): Started {
  const child = spawn(command, args, {
    cwd,
    detached,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const started = Date.now();
      const poll = () => {
        const match = out.match(pattern);
        if (match) return resolve(match);
        if (child.exitCode !== null || child.signalCode !== null || Date.now() - started > timeoutMs) {
          return reject(new Error(`no ${pattern} in stdout:\n${out}\nstderr:\n${err}`));
        }
        setTimeout(poll, 20);
      };
      poll();
    });
  return { child, stdout: () => out, stderr: () => err, exit, waitFor };
}

/** Every live descendant of `pid` (children, their children, …), from `ps`. */
export function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of rows) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Whether a process with this id still exists (a zombie counts until its parent reaps it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A port on 127.0.0.1 that was free a moment ago (the OS picked it). */
export async function freePort(): Promise<number> {
  const server = await occupyPort(0);
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Listen on `port` of 127.0.0.1; rejects with the listen error (EADDRINUSE when it is taken). */
export function occupyPort(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** The built demo server (`npx tsc -b` first; `npm test` does). */
export const SERVER = path.join(__dirname, '..', 'dist', 'server.js');

/**
 * For a describe block whose tests start the built server as a real process: a fresh temporary
 * folder per test (`dir`, the server's working folder), and the server `start` started is killed
 * after the test when it is still running.
 */
export interface ServerScope {
  /** The test's temporary folder (the server's working folder). */
  readonly dir: string;
  /** Starts the server with only `env` (plus PATH and HOME). */
  start(env: NodeJS.ProcessEnv): Started;
  /**
   * Starts it in production mode on a free port of 127.0.0.1, files in `<dir>/logs/app.log.*` (`env`
   * adds to or overrides that), and waits until it listens.
   */
  serve(env?: NodeJS.ProcessEnv): Promise<{ server: Started; base: string; logDir: string }>;
}

export function serverPerTest(): ServerScope {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let server: Started | undefined;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exit;
    }
    server = undefined;
    tmp?.cleanup();
  });
  return {
    get dir(): string {
      if (tmp === undefined) throw new Error('serverPerTest: the folder exists only inside a test');
      return tmp.dir;
    },
    start(env: NodeJS.ProcessEnv): Started {
      if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npx tsc -b\` first`);
      server = startProcess(process.execPath, [SERVER], { cwd: this.dir, env });
      return server;
    },
    async serve(env: NodeJS.ProcessEnv = {}) {
      const logDir = path.join(this.dir, 'logs');
      const started = this.start({
        ENVIRONMENT: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_PATH: path.join(logDir, 'app.log'),
        ...env,
      });
      const [, port] = await started.waitFor(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/);
      return { server: started, base: `http://127.0.0.1:${port}`, logDir };
    },
  };
}
