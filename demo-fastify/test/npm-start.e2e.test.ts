/**
 * The README's commands as a user runs them: `npm start` at the repository root (build, then the
 * demo) and the workspace's own `npm start -w demo-fastify`, as real child processes on a free port
 * of 127.0.0.1. They are stopped by a signal sent to the npm process alone (what `kill`, a
 * supervisor or a test runner does) or to its whole process group (Ctrl-C in a terminal).
 *
 * The root command runs `tsc -b` first, as the README says: a type error anywhere fails it here too.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  descendants,
  freePort,
  isAlive,
  occupyPort,
  readHourlyFiles,
  REPO_ROOT,
  type Started,
  startProcess,
  tempDir,
} from './helpers';

const COMMANDS: ReadonlyArray<[string, string[]]> = [
  ['npm start', ['start']],
  ['npm start -w demo-fastify', ['start', '-w', 'demo-fastify']],
];

describe('npm start as a real process tree', () => {
  let tmp: ReturnType<typeof tempDir>;
  let npm: Started | undefined;
  /** npm and every process under it while the demo was listening. */
  let tree: number[] = [];
  const scratch: string[] = [];

  beforeEach(() => (tmp = tempDir()));
  afterEach(async () => {
    // A failed run may leave the demo behind: stop what this test started, one pid at a time.
    for (const pid of tree.filter(isAlive)) process.kill(pid, 'SIGKILL');
    if (npm && npm.child.exitCode === null && npm.child.signalCode === null) {
      npm.child.kill('SIGKILL');
      await npm.exit;
    }
    npm = undefined;
    tree = [];
    tmp.cleanup();
    for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Start `npm <args>` in the repository root; resolves once the demo listens, with its port. */
  async function startNpm(args: string[], env: NodeJS.ProcessEnv, { detached = false } = {}) {
    npm = startProcess('npm', args, { cwd: REPO_ROOT, env, detached });
    const [, port] = await npm.waitFor(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/);
    tree = [npm.child.pid as number, ...descendants(npm.child.pid as number)];
    // The demo's own process is part of what the signal must stop.
    expect(tree.length).toBeGreaterThanOrEqual(2);
    return Number(port);
  }

  /** npm exited 0 after the demo's graceful shutdown; no process is left and the port is free again. */
  async function expectStoppedGracefully(signal: NodeJS.Signals, port: number, logDir: string) {
    const run = npm as Started;
    // The demo's shutdown takes well under a second; a tree that ignores the signal is a failure, not a hang.
    const timeout = new Promise<string>((resolve) =>
      setTimeout(resolve, 20_000, 'still running after 20 s').unref(),
    );
    expect(await Promise.race([run.exit, timeout])).toBe(0);
    expect(run.stdout()).toContain(`${signal} received: finishing in-flight requests`);
    expect(run.stdout()).toMatch(/closed; exiting \| exit_code=0\n/);
    expect(tree.filter(isAlive)).toEqual([]);
    const probe = await occupyPort(port);
    await new Promise((resolve) => probe.close(resolve));
    // The logs were flushed: the last record of the shutdown is in the file.
    const messages = readHourlyFiles(logDir).records.map((record) => record.message);
    expect(messages).toContain('GET /');
    expect(messages[messages.length - 1]).toBe('closed; exiting');
  }

  describe.each(COMMANDS)('%s', (_name, args) => {
    it.each<NodeJS.Signals>(['SIGTERM', 'SIGINT'])(
      '%s sent to the npm process stops the demo gracefully: exit 0, logs flushed, port free, no process left',
      async (signal) => {
        const logDir = path.join(tmp.dir, 'logs');
        const port = await startNpm(args, { PORT: String(await freePort()), LOG_PATH: `${logDir}/app.log` });
        expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
        await (npm as Started).waitFor(/GET \/ \| reqId=req-1 /);

        (npm as Started).child.kill(signal);
        await expectStoppedGracefully(signal, port, logDir);
      },
    );

    it('a relative LOG_PATH is relative to the repository root', async () => {
      const relative = path.join('.scratch', `npm-start-${process.pid}-${Date.now()}`);
      // Where it belongs, and where npm's working folder for the workspace would put it; each
      // `.scratch` folder goes too when this test made it.
      for (const base of [REPO_ROOT, path.join(REPO_ROOT, 'demo-fastify')]) {
        const parent = path.join(base, '.scratch');
        scratch.push(fs.existsSync(parent) ? path.join(base, relative) : parent);
      }
      const logDir = path.join(REPO_ROOT, relative);
      const port = await startNpm(args, {
        PORT: String(await freePort()),
        LOG_PATH: path.join(relative, 'app.log'),
      });
      await (npm as Started).waitFor(/CloudWatch JSON log files go to/);
      expect((npm as Started).stdout()).toContain(`CloudWatch JSON log files go to ${logDir} as app.log.`);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
      await (npm as Started).waitFor(/GET \/ \| reqId=req-1 /);

      (npm as Started).child.kill('SIGTERM');
      await expectStoppedGracefully('SIGTERM', port, logDir);
    });
  });

  it('npm start, Ctrl-C (SIGINT to the whole process group): exit 0, logs flushed, port free', async () => {
    const logDir = path.join(tmp.dir, 'logs');
    const port = await startNpm(
      ['start'],
      { PORT: String(await freePort()), LOG_PATH: `${logDir}/app.log` },
      { detached: true },
    );
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    await (npm as Started).waitFor(/GET \/ \| reqId=req-1 /);

    // What a terminal does on Ctrl-C: the signal goes to every process of the foreground group.
    process.kill(-((npm as Started).child.pid as number), 'SIGINT');
    await expectStoppedGracefully('SIGINT', port, logDir);
  });

  it('npm start on a port already taken: one clear line on stderr, a non-zero exit, no stack trace', async () => {
    const taken = await occupyPort(0);
    const { port } = taken.address() as { port: number };
    try {
      npm = startProcess('npm', ['start'], {
        cwd: REPO_ROOT,
        env: { PORT: String(port), LOG_PATH: path.join(tmp.dir, 'logs', 'app.log') },
      });
      expect(await npm.exit).not.toBe(0);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    // The demo's line and nothing else: the root script runs the workspace's npm with --silent.
    expect(npm.stderr()).toBe(
      `demo-fastify: cannot start: port ${port} on 127.0.0.1 is already in use (an earlier demo still running?); ` +
        'stop what listens there, or set PORT to another port (PORT=0 picks a free one)\n',
    );
    expect(npm.stdout()).not.toMatch(/^\s+at |\[FATAL\]|EADDRINUSE/m);
  });
});
