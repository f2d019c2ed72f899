import { spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { configProblems } from './agent-schema';
import {
  baseEnv,
  collectList,
  type Env,
  ENTRYPOINT,
  renderConfig,
  runEntrypoint,
  tempDir,
  writeStubAgent,
} from './helpers';

/**
 * The entrypoint's leftover entries and its supervisor (docs/agent.md "Outages: leftover files"),
 * on hand-made files and state files in the agent's format, with the stub agent of helpers.ts.
 */

/** The agent's state file for `file` (internal/state: the path with / space : as _). */
function writeState(
  stateDir: string,
  file: string,
  offset: number,
  ranges = offset > 0 ? `0-${offset}` : '',
) {
  const text = ranges === '' ? `${offset}\n${file}` : `${offset}\n${file}\n${ranges}`;
  writeFileSync(path.join(stateDir, file.replace(/[/ :]/g, '_')), text);
}

/** A logs folder and a state folder in a temp dir. */
function folders(prefix: string) {
  const { dir, cleanup } = tempDir(prefix);
  const logs = path.join(dir, 'logs');
  const state = path.join(dir, 'state');
  const out = path.join(dir, 'out');
  for (const folder of [logs, state, out]) mkdirSync(folder);
  /** Writes a log file of `lines` lines, its modification time `ageS` seconds ago. */
  const file = (name: string, lines = 3, ageS = 60): string => {
    const full = path.join(logs, name);
    writeFileSync(full, '{"message":"x"}\n'.repeat(lines));
    const at = Date.now() / 1000 - ageS;
    utimesSync(full, at, at);
    return full;
  };
  const size = (full: string) => readFileSync(full).length;
  return { dir, logs, state, out, file, size, cleanup };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Process groups of the sidecars a test started: killed after each test, should one still run. */
const started: number[] = [];
afterEach(() => {
  for (const group of started.splice(0)) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** The entrypoint as a running sidecar: its own process group, so a test can kill the whole of it. */
function startSidecar(env: Env): {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
} {
  const clean = baseEnv();
  for (const [key, value] of Object.entries(env)) if (value !== undefined) clean[key] = value;
  const child = spawn('sh', [ENTRYPOINT], {
    env: clean,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  started.push(child.pid!);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stderr: () => stderr };
}

describe('entrypoint.sh: an entry of its own for each leftover file', () => {
  it('--print-config adds one exact-path entry per family file but the newest, nothing else', () => {
    // Arrange: three periods of app (daily, hourly and sub-hour names), one worker file, decoys
    const { logs, state, file, cleanup } = folders('plan');
    try {
      file('app.log.2025-12-12');
      file('app.log.2025-12-13_10');
      file('app.log.2025-12-13_11-30-00');
      file('app.log.2025-12-13_12'); // newest
      file('worker.log.2025-12-13_12'); // a family's only file: its newest
      for (const decoy of [
        'app.log.bak',
        'app.log.2025-12-13_11.gz',
        'app.log.2025-12-13_1',
        'other.log.2025-12-13_10',
      ])
        file(decoy);
      symlinkSync(path.join(logs, 'app.log.2025-12-12'), path.join(logs, 'app.log.2025-12-11'));
      mkdirSync(path.join(logs, 'app.log.2025-12-10'));
      mkdirSync(path.join(logs, '.staging'));
      file('.staging/app.log.2025-12-13_13.123-abc');

      // Act: a trailing slash on LOGS_DIR is dropped, so the paths are the ones the agent's glob yields
      const config = renderConfig({ LOGS_DIR: `${logs}/`, STATE_DIR: state, LOG_FILES: 'app,worker' });

      // Assess
      expect(configProblems(config)).toEqual([]);
      const list = collectList(config);
      expect(list.map((item) => [item.file_path, item.auto_removal, item.log_stream_name])).toEqual([
        [`${logs}/app.log.*`, false, 'app/{local_hostname}'],
        [`${logs}/worker.log.*`, false, 'worker/{local_hostname}'],
        [`${logs}/app.log.2025-12-12`, false, 'app/{local_hostname}'],
        [`${logs}/app.log.2025-12-13_10`, false, 'app/{local_hostname}'],
        [`${logs}/app.log.2025-12-13_11-30-00`, false, 'app/{local_hostname}'],
      ]);
      // The leftover entries differ from their family's only in file_path and auto_removal
      const { file_path: _path, auto_removal: _removal, ...family } = list[0];
      for (const item of list.slice(2)) expect(item).toMatchObject(family);
      for (const item of list) expect(item.file_path).not.toMatch(/[?[\]{}!]|\*(?!$)/);
    } finally {
      cleanup();
    }
  });

  it('--print-config has no leftover entry when the logs folder is missing or holds one file per family', () => {
    const { logs, file, cleanup } = folders('plan-none');
    try {
      expect(collectList(renderConfig({ LOGS_DIR: path.join(logs, 'missing') }))).toHaveLength(1);
      file('app.log.2025-12-13_12');
      expect(collectList(renderConfig({ LOGS_DIR: logs })).map((item) => item.file_path)).toEqual([
        `${logs}/app.log.*`,
      ]);
    } finally {
      cleanup();
    }
  });
});

describe('entrypoint.sh --cleanup-once', () => {
  it('deletes exactly the leftovers the agent has uploaded to their end and that no longer change', () => {
    // Arrange
    const { logs, state, file, size, cleanup } = folders('cleanup');
    try {
      const uploaded = file('app.log.2025-12-13_08');
      writeState(state, uploaded, size(uploaded));
      const empty = file('app.log.2025-12-13_09', 0); // nothing to upload, no state: removed
      const partly = file('app.log.2025-12-13_10');
      writeState(state, partly, size(partly) - 1);
      const noState = file('app.log.2025-12-13_11');
      const recent = file('app.log.2025-12-13_12', 3, 2); // uploaded, but modified 2 s ago
      writeState(state, recent, size(recent));
      const otherPath = file('app.log.2025-12-13_13'); // a state file for another path (escaping collision)
      writeFileSync(path.join(state, otherPath.replace(/[/ :]/g, '_')), `${size(otherPath)}\n/elsewhere`);
      const gap = file('app.log.2025-12-13_14'); // ranges with a gap (max_persist_state)
      writeState(state, gap, size(gap), `0-5,10-${size(gap)}`);
      const newest = file('app.log.2025-12-13_15');
      writeState(state, newest, size(newest));
      const worker = file('worker.log.2025-12-13_10');
      writeState(state, worker, size(worker));
      file('worker.log.2025-12-13_11');
      const notListed = file('other.log.2025-12-13_10'); // not in LOG_FILES
      writeState(state, notListed, size(notListed));
      file('other.log.2025-12-13_11');
      const decoy = file('app.log.2025-12-13_10.gz');
      writeState(state, decoy, size(decoy));

      // Act
      const result = runEntrypoint(['--cleanup-once'], {
        LOGS_DIR: logs,
        STATE_DIR: state,
        LOG_FILES: 'app,worker',
      });

      // Assess
      expect(result.status).toBe(0);
      expect(readdirSync(logs).sort()).toEqual([
        'app.log.2025-12-13_10',
        'app.log.2025-12-13_10.gz',
        'app.log.2025-12-13_11',
        'app.log.2025-12-13_12',
        'app.log.2025-12-13_13',
        'app.log.2025-12-13_14',
        'app.log.2025-12-13_15',
        'other.log.2025-12-13_10',
        'other.log.2025-12-13_11',
        'worker.log.2025-12-13_11',
      ]);
      expect(result.stderr).toContain(`removed ${uploaded}: the agent uploaded it to its end`);
      expect(result.stderr).toContain(`removed ${empty}`);
      expect(result.stderr).toContain(`removed ${worker}`);
      expect(result.stderr).toContain(`kept ${partly}: the agent has uploaded ${size(partly) - 1} of its`);
      expect(result.stderr).toContain(`kept ${noState}: the agent has no saved offset for it`);
      expect(result.stderr).toContain(`kept ${recent}: uploaded to its end, but modified less than 10s ago`);
      expect(result.stderr).toMatch(/3 leftover file\(s\) removed, 5 kept/);
    } finally {
      cleanup();
    }
  });

  it('LEFTOVER_QUIET_SECONDS sets how long an uploaded leftover must have been left alone', () => {
    const { logs, state, file, size, cleanup } = folders('quiet');
    try {
      const leftover = file('app.log.2025-12-13_10', 3, 2);
      writeState(state, leftover, size(leftover));
      file('app.log.2025-12-13_11');
      const env = { LOGS_DIR: logs, STATE_DIR: state };
      expect(runEntrypoint(['--cleanup-once'], { ...env, LEFTOVER_QUIET_SECONDS: '5' }).status).toBe(0);
      expect(existsSync(leftover)).toBe(true);
      expect(runEntrypoint(['--cleanup-once'], { ...env, LEFTOVER_QUIET_SECONDS: '1' }).status).toBe(0);
      expect(existsSync(leftover)).toBe(false);
    } finally {
      cleanup();
    }
  });
});

describe('entrypoint.sh as the supervisor (stub agent)', () => {
  jest.setTimeout(60_000);

  function sidecarEnv(dirs: { dir: string; logs: string; state: string; out: string }, env: Env = {}): Env {
    return {
      AWS_REGION: 'eu-west-1',
      LOGS_DIR: dirs.logs,
      STATE_DIR: dirs.state,
      CW_CONFIG_DIR: path.join(dirs.dir, 'cwagentconfig'),
      CW_AGENT_BIN: writeStubAgent(dirs.dir),
      STUB_OUT: dirs.out,
      STUB_WAIT: '1',
      ...env,
    };
  }

  const starts = (out: string) =>
    existsSync(path.join(out, 'starts'))
      ? readFileSync(path.join(out, 'starts'), 'utf8').trim().split('\n')
      : [];
  const signals = (out: string) =>
    existsSync(path.join(out, 'signal')) ? readFileSync(path.join(out, 'signal'), 'utf8') : '';

  it('deletes leftovers once the agent has uploaded them, never the newest file', async () => {
    // Arrange: two leftovers and the newest file; the stub uploads whatever its config collects
    const dirs = folders('remove');
    const leftovers = [dirs.file('app.log.2025-12-13_10'), dirs.file('app.log.2025-12-13_11')];
    const newest = dirs.file('app.log.2025-12-13_12');
    try {
      // Act
      const sidecar = startSidecar(sidecarEnv(dirs, { STUB_UPLOAD: '0', LEFTOVER_QUIET_SECONDS: '0' }));
      await waitFor(() => leftovers.every((file) => !existsSync(file)), 15_000, 'the leftovers to go');
      await sleep(1500);
      sidecar.child.kill('SIGTERM');
      const { code } = await sidecar.exited;

      // Assess
      expect(existsSync(newest)).toBe(true);
      expect(code).toBe(0);
      expect(signals(dirs.out)).toBe('TERM\n');
      const seen = collectList(JSON.parse(readFileSync(path.join(dirs.out, 'seen.json'), 'utf8')));
      expect(seen.map((item) => [item.file_path, item.auto_removal])).toEqual([
        [`${dirs.logs}/app.log.*`, false],
        [leftovers[0], false],
        [leftovers[1], false],
      ]);
      for (const file of leftovers) {
        expect(sidecar.stderr()).toContain(
          `catching up ${file}, left over from before this start: the agent has uploaded 0 of its`,
        );
        expect(sidecar.stderr()).toContain(`removed ${file}: the agent uploaded it to its end`);
      }
      expect(starts(dirs.out)).toHaveLength(1);
    } finally {
      dirs.cleanup();
    }
  });

  it('deletes a file that stopped being the newest (a rotation while it runs) once uploaded to its end and quiet', async () => {
    // Arrange: the only file, followed by the family's wildcard entry (auto_removal false) and uploaded
    const dirs = folders('rotate');
    const old = dirs.file('app.log.2025-12-13_12');
    try {
      const sidecar = startSidecar(sidecarEnv(dirs, { STUB_UPLOAD: '0', LEFTOVER_QUIET_SECONDS: '0' }));
      await waitFor(() => existsSync(path.join(dirs.state, old.replace(/[/ :]/g, '_'))), 10_000, 'an upload');
      await sleep(1500);
      expect(existsSync(old)).toBe(true); // the newest file is never deleted, uploaded or not

      // Act: the next period's file appears
      const next = dirs.file('app.log.2025-12-13_13', 2, 0);
      await waitFor(() => !existsSync(old), 10_000, 'the old file to be deleted');
      sidecar.child.kill('SIGTERM');
      const { code } = await sidecar.exited;

      // Assess: the sidecar deleted it, not the agent (no entry has auto_removal)
      expect(code).toBe(0);
      expect(existsSync(next)).toBe(true);
      expect(sidecar.stderr()).toContain(`removed ${old}: the agent uploaded it to its end`);
      const seen = collectList(JSON.parse(readFileSync(path.join(dirs.out, 'seen.json'), 'utf8')));
      expect(seen.map((item) => item.auto_removal)).toEqual([false]);
      expect(starts(dirs.out)).toHaveLength(1);
    } finally {
      dirs.cleanup();
    }
  });

  it('on SIGTERM waits until the agent has uploaded the newest file to its end, then stops it', async () => {
    // Arrange: the stub uploads from 3 s after its start
    const dirs = folders('drain');
    dirs.file('app.log.2025-12-13_12');
    try {
      const sidecar = startSidecar(sidecarEnv(dirs, { STUB_UPLOAD: '3' }));
      await waitFor(() => existsSync(path.join(dirs.out, 'ready')), 10_000, 'the agent');
      const readyAt = Date.now();

      // Act
      sidecar.child.kill('SIGTERM');
      await sleep(1500);
      const signalledEarly = signals(dirs.out);
      const { code } = await sidecar.exited;

      // Assess
      expect(signalledEarly).toBe('');
      expect(Date.now() - readyAt).toBeGreaterThanOrEqual(3000);
      expect(signals(dirs.out)).toBe('TERM\n');
      expect(code).toBe(0);
      expect(sidecar.stderr()).toMatch(
        /SIGTERM: waiting up to 20s for the agent to upload every file of app/,
      );
      expect(sidecar.stderr()).toMatch(/every file is uploaded to its end; stopping the agent/);
    } finally {
      dirs.cleanup();
    }
  });

  it('stops the agent after STOP_WAIT_SECONDS, naming what is not uploaded, or at once on a second SIGTERM', async () => {
    const dirs = folders('bound');
    const newest = dirs.file('app.log.2025-12-13_12');
    try {
      // Bounded: the stub never uploads
      const bounded = startSidecar(sidecarEnv(dirs, { STOP_WAIT_SECONDS: '2' }));
      await waitFor(() => existsSync(path.join(dirs.out, 'ready')), 10_000, 'the agent');
      const signalledAt = Date.now();
      bounded.child.kill('SIGTERM');
      expect((await bounded.exited).code).toBe(0);
      expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(2000);
      expect(Date.now() - signalledAt).toBeLessThan(6000);
      expect(bounded.stderr()).toContain(
        `warning: stopping the agent after 2s with these not uploaded to their end: ${newest} (0 of ${dirs.size(newest)} bytes)`,
      );

      // A second SIGTERM
      const impatient = startSidecar(sidecarEnv(dirs));
      await waitFor(
        () => starts(dirs.out).length === 2 && existsSync(path.join(dirs.out, 'ready')),
        10_000,
        'the agent',
      );
      impatient.child.kill('SIGTERM');
      await sleep(300);
      const secondAt = Date.now();
      impatient.child.kill('SIGTERM');
      expect((await impatient.exited).code).toBe(0);
      expect(Date.now() - secondAt).toBeLessThan(3000);
      expect(signals(dirs.out)).toBe('TERM\nTERM\n');
    } finally {
      dirs.cleanup();
    }
  });

  it('restarts the agent with an entry for a leftover that no entry covers (a rotation before its first scan)', async () => {
    // Arrange: one file when the config is written; the stub uploads nothing, as an agent whose
    // wildcard entry never saw that file as the newest
    const dirs = folders('uncovered');
    const first = dirs.file('app.log.2025-12-13_12', 3, 0);
    try {
      const sidecar = startSidecar(sidecarEnv(dirs, { STOP_WAIT_SECONDS: '0' }));
      await waitFor(() => existsSync(path.join(dirs.out, 'ready')), 10_000, 'the agent');

      // Act: the next period's file appears
      dirs.file('app.log.2025-12-13_13', 3, 0);
      await waitFor(() => starts(dirs.out).length === 2, 30_000, 'a restart');
      await waitFor(() => existsSync(path.join(dirs.out, 'seen-2.json')), 5000, 'the new config');
      sidecar.child.kill('SIGTERM');
      await sidecar.exited;

      // Assess
      const before = collectList(JSON.parse(readFileSync(path.join(dirs.out, 'seen-1.json'), 'utf8')));
      const after = collectList(JSON.parse(readFileSync(path.join(dirs.out, 'seen-2.json'), 'utf8')));
      expect(before.map((item) => item.file_path)).toEqual([`${dirs.logs}/app.log.*`]);
      expect(after.map((item) => [item.file_path, item.auto_removal])).toEqual([
        [`${dirs.logs}/app.log.*`, false],
        [first, false],
      ]);
      expect(signals(dirs.out)).toMatch(/^TERM\n/); // the first agent was stopped, not killed
      expect(sidecar.stderr()).toContain(
        `restarting the agent to read ${first}: no entry of its config covers them`,
      );
      expect(starts(dirs.out)).toHaveLength(2);
    } finally {
      dirs.cleanup();
    }
  });

  it('killed as a whole (SIGKILL) across a rotation, it starts again with the old file as a leftover read from its saved offset', async () => {
    // Arrange: the agent follows and uploads the only file
    const dirs = folders('sigkill');
    const old = dirs.file('app.log.2025-12-13_12', 3, 0);
    try {
      const first = startSidecar(sidecarEnv(dirs, { STUB_UPLOAD: '0', LEFTOVER_QUIET_SECONDS: '0' }));
      await waitFor(() => existsSync(path.join(dirs.state, old.replace(/[/ :]/g, '_'))), 10_000, 'an upload');
      const uploadedBefore = dirs.size(old);

      // Act: the whole sidecar dies; the app writes on and rotates; the sidecar starts again
      process.kill(-first.child.pid!, 'SIGKILL');
      await first.exited;
      const downLine = '{"message":"written while the agent was down"}\n';
      appendFileSync(old, downLine);
      const next = dirs.file('app.log.2025-12-13_13', 2, 0);
      const second = startSidecar(sidecarEnv(dirs, { STUB_UPLOAD: '0', LEFTOVER_QUIET_SECONDS: '0' }));
      await waitFor(() => !existsSync(old), 15_000, 'the leftover to be uploaded and removed');
      second.child.kill('SIGTERM');
      const { code } = await second.exited;

      // Assess
      expect(code).toBe(0);
      expect(second.stderr()).toContain(
        `catching up ${old}, left over from before this start: the agent has uploaded ${uploadedBefore} of its ${uploadedBefore + downLine.length} bytes`,
      );
      const seen = collectList(JSON.parse(readFileSync(path.join(dirs.out, 'seen-2.json'), 'utf8')));
      expect(seen.map((item) => item.file_path)).toEqual([`${dirs.logs}/app.log.*`, old]);
      expect(readdirSync(dirs.logs)).toEqual([path.basename(next)]);
    } finally {
      dirs.cleanup();
    }
  });
});
