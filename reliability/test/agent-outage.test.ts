import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  assertBuilt,
  familyFiles,
  removeTempDirs,
  reportFigures,
  sized,
  sleep,
  startFixture,
  tempDir,
  waitFor,
  type ChildResult,
} from '../helpers';
import { LineVerifier } from '../line-verifier';
import { writerSummary, type WriterSpec } from '../scenario';
import { killSidecars, Sidecar } from '../sidecar';

/**
 * Agent outages across rotations (CONTRACT §6.3, §6.10; docs/agent.md "Outages: leftover files"): the
 * real transport writes two families (`app`, `worker`) on 10 s periods; the sidecar is the real
 * entrypoint as supervisor with the agent simulator as its agent (reliability/sidecar.ts), its state
 * folder in the agent's format. The whole sidecar is killed (SIGKILL, as an OOM kill does) or stopped
 * while the application writes on, then started again. Every scenario runs at the same time as the
 * others (each in its own folders), so the whole file takes about one scenario's time.
 *
 * Asserted for each: every line uploaded exactly once, every leftover removed, the newest file of each
 * family left (uploaded to its end).
 *
 * `OUTAGE_ENTRYPOINT=<file>` runs another entrypoint (e.g. the one before leftovers were handled, with
 * its template beside it) to measure what it loses; the figures go to `$RELIABILITY_REPORT`.
 * `OUTAGE_ONLY=<text>` runs only the scenarios whose name contains it.
 */
afterAll(async () => {
  await killSidecars();
  removeTempDirs();
});

const PERIOD = 10_000;
const RATE = sized(500, 2500); // lines per second per writer
const QUIET_S = 2; // LEFTOVER_QUIET_SECONDS
const SETTLE_MS = sized(20_000, 40_000);

interface Outage {
  /** Writers, the first boundary T0 (epoch ms) given: every writer logs until an absolute time. */
  writers: (t0: number, logs: string) => WriterSpec[];
  /** What happens to the sidecar, at times relative to T0. */
  steps: Array<{ at: (t0: number) => number; act: (sidecar: Sidecar) => Promise<void> }>;
  env?: Record<string, string>;
}

const FAMILIES = ['app', 'worker'];
const PREFIXES = FAMILIES.map((name) => `${name}.log.`);

/** A writer logging steadily from `beginAtMs` (or now) to `endAtMs` at RATE lines/s. */
function steady(logs: string, app: string, proc: string, endAtMs: number, beginAtMs?: number): WriterSpec {
  const seconds = (endAtMs - (beginAtMs ?? Date.now())) / 1000;
  return {
    file: path.join(logs, `${app}.log`),
    app,
    proc,
    lines: Math.ceil(RATE * seconds * 1.5) + 1000, // a cap, far above what it logs
    frequency: PERIOD,
    rate: RATE,
    endAtMs,
    ...(beginAtMs === undefined ? {} : { beginAtMs }),
  };
}

const kill = (sidecar: Sidecar) => sidecar.kill();
const start = async (sidecar: Sidecar) => sidecar.start();

const SCENARIOS: Record<string, Outage> = {
  'down 12 s across one rotation': {
    writers: (t0, logs) => FAMILIES.map((app) => steady(logs, app, 'main', t0 + 2 * PERIOD + 2000)),
    steps: [
      { at: (t0) => t0 + PERIOD - 5000, act: kill },
      { at: (t0) => t0 + PERIOD + 7000, act: start },
    ],
  },
  'a rotation between writing the config and the first scan of the agent': {
    writers: (t0, logs) => FAMILIES.map((app) => steady(logs, app, 'main', t0 + 2 * PERIOD + 2000)),
    // The agent takes 1.5 s to start (the real one translates its config first), so the file that
    // was the newest when the config was written is never the newest at one of its scans.
    env: { SIM_START_DELAY_MS: '1500' },
    steps: [
      { at: (t0) => t0 + PERIOD - 5000, act: kill },
      { at: (t0) => t0 + 2 * PERIOD - 300, act: start },
    ],
  },
  'down 25 s across two rotations': {
    writers: (t0, logs) => FAMILIES.map((app) => steady(logs, app, 'main', t0 + 3 * PERIOD + 2000)),
    steps: [
      { at: (t0) => t0 + PERIOD - 3000, act: kill },
      { at: (t0) => t0 + 2 * PERIOD + 12_000, act: start },
    ],
  },
  'down while the application restarts (a file written by two processes in turn)': {
    writers: (t0, logs) => [
      steady(logs, 'app', 'main', t0 + PERIOD - 2000),
      // The restarted app appends to the same period's file, then rotates while the agent is down.
      steady(logs, 'app', 'main-2', t0 + 2 * PERIOD + 2000, t0 + PERIOD - 1000),
      steady(logs, 'worker', 'main', t0 + 2 * PERIOD + 2000),
    ],
    steps: [
      { at: (t0) => t0 + PERIOD - 5000, act: kill },
      { at: (t0) => t0 + PERIOD + 7000, act: start },
    ],
  },
  'down across a rotation of a file two processes write at once (cluster)': {
    writers: (t0, logs) => {
      const durationMs = t0 + 2 * PERIOD + 2000 - Date.now();
      return [
        {
          file: path.join(logs, 'app.log'),
          app: 'app',
          proc: 'worker',
          cluster: 2,
          lines: Math.round((RATE * durationMs) / 1000),
          durationMs,
          burst: 50,
          frequency: PERIOD,
        },
        steady(logs, 'worker', 'main', t0 + 2 * PERIOD + 2000),
      ];
    },
    steps: [
      { at: (t0) => t0 + PERIOD - 5000, act: kill },
      { at: (t0) => t0 + PERIOD + 7000, act: start },
    ],
  },
  'stopped and killed in the middle of catching up': {
    writers: (t0, logs) => FAMILIES.map((app) => steady(logs, app, 'main', t0 + 3 * PERIOD + 2000)),
    env: { STOP_WAIT_SECONDS: '0' },
    steps: [
      { at: (t0) => t0 + PERIOD - 3000, act: kill },
      { at: (t0) => t0 + 2 * PERIOD + 12_000, act: start },
      {
        // SIGTERM before the agent's first scan: it stops with nothing of the leftovers read
        at: (t0) => t0 + 2 * PERIOD + 12_000,
        act: async (sidecar) => {
          await sidecar.agentStarted(0);
          await sleep(300);
          await sidecar.stop();
          sidecar.start();
        },
      },
      {
        // SIGKILL right after its first scan: leftovers read to their end, not yet removed
        at: (t0) => t0 + 2 * PERIOD + 12_000,
        act: async (sidecar) => {
          await sidecar.agentStarted(1);
          await sleep(1300);
          await sidecar.kill();
          sidecar.start();
        },
      },
    ],
  },
};

interface OutageResult {
  writers: ChildResult[];
  sidecar: Sidecar;
  verifier: LineVerifier;
  logged: number;
  settled: boolean;
  filesLeft: Record<string, string[]>;
  /** Lines still on disk past the agent's saved offsets. */
  leftOnDisk: number;
}

async function runOutage(name: string, outage: Outage): Promise<OutageResult> {
  const logs = tempDir('outage');
  const sidecar = new Sidecar({
    logFiles: FAMILIES.join(','),
    logsDir: logs,
    entrypoint: process.env.OUTAGE_ENTRYPOINT || undefined,
    env: { LEFTOVER_QUIET_SECONDS: String(QUIET_S), SIM_SEED: String(name.length), ...outage.env },
  });
  // T0: a period boundary at least 4 s ahead, so each file lives a whole period before the steps.
  const t0 = Math.ceil((Date.now() + 4000) / PERIOD) * PERIOD;
  const specs = outage.writers(t0, logs);
  sidecar.start();
  const children = specs.map((spec) => startFixture('writer.js', spec));
  for (const step of outage.steps) {
    const wait = step.at(t0) - Date.now();
    if (wait > 0) await sleep(wait);
    await step.act(sidecar);
  }
  const writers = await Promise.all(children.map((child) => child.done));
  if (!sidecar.running) sidecar.start();
  const settled = await waitFor(() => sidecar.settled(PREFIXES), SETTLE_MS, 200);
  await sidecar.stop();

  // What was logged: each writer's summary (a cluster logs its fixed count per worker)
  const expected: Record<string, number> = {};
  specs.forEach((spec, i) => {
    if (spec.cluster !== undefined)
      for (let w = 0; w < spec.cluster; w++) expected[`${spec.app}/${spec.proc}-${w}`] = spec.lines;
    else expected[`${spec.app}/${spec.proc}`] = writerSummary(writers[i]).lines;
  });
  const verifier = new LineVerifier(expected);
  /** Lines uploaded per file and agent process, for the report. */
  const perFile: Record<string, Record<string, number>> = {};
  for (const upload of sidecar.uploads()) {
    verifier.add(upload.line, `${upload.agent} ${upload.file}`);
    const counts = (perFile[upload.file] ??= {});
    counts[upload.agent] = (counts[upload.agent] ?? 0) + 1;
  }
  const filesLeft: Record<string, string[]> = {};
  let leftOnDisk = 0;
  for (const prefix of PREFIXES) {
    filesLeft[prefix] = familyFiles(logs, prefix);
    for (const file of filesLeft[prefix]) {
      const full = path.join(logs, file);
      const unread = fs.readFileSync(full).subarray(sidecar.savedOffset(full) ?? 0);
      leftOnDisk += unread.toString('utf8').split('\n').length - 1;
    }
  }
  const logged = Object.values(expected).reduce((a, b) => a + b, 0);
  reportFigures(`agent-outage: ${name}`, {
    entrypoint: process.env.OUTAGE_ENTRYPOINT || 'cloudwatch-agent/entrypoint.sh',
    logged,
    uploaded: verifier.figures.lines,
    duplicates: verifier.figures.duplicates,
    lost: verifier.totalMissing(),
    leftOnDisk,
    filesLeft: Object.values(filesLeft).reduce((n, files) => n + files.length, 0),
    agentStarts: sidecar.agentStarts(),
    supervisorRestarts: sidecar.stderr.split('restarting the agent').length - 1,
    removedBySupervisor: sidecar.stderr.split(': the agent uploaded it to its end').length - 1,
    settled,
    perFile,
  });
  return { writers, sidecar, verifier, logged, settled, filesLeft, leftOnDisk };
}

describe('agent outages across rotations: leftovers are caught up, then removed (docs/agent.md)', () => {
  const results = new Map<string, Promise<OutageResult>>();

  beforeAll(() => {
    assertBuilt();
    for (const [name, outage] of Object.entries(SCENARIOS)) {
      if (process.env.OUTAGE_ONLY && !name.includes(process.env.OUTAGE_ONLY)) continue;
      const run = runOutage(name, outage);
      run.catch(() => undefined); // reported by its own test
      results.set(name, run);
    }
  });

  test.each(Object.keys(SCENARIOS))(
    '%s: every line uploaded once, only the newest file of each family left',
    async (name) => {
      const pending = results.get(name);
      if (pending === undefined) return; // not selected by OUTAGE_ONLY
      const run = await pending;
      const { writers, sidecar, verifier } = run;
      for (const writer of writers) expect(writer.code).toBe(0);
      // (Lines of a leftover arrive after newer ones: out of order is expected, CloudWatch sorts by time.)
      expect(verifier.figures.samples.filter((sample) => !/ after \d+ in /.test(sample))).toEqual([]);
      expect(verifier.figures).toMatchObject({ invalidJson: 0, duplicates: 0, damagedPads: 0 });
      expect(verifier.missing()).toEqual(
        Object.fromEntries(Object.keys(verifier.missing()).map((key) => [key, 0])),
      );
      expect(verifier.figures.lines).toBe(run.logged);
      expect(run.leftOnDisk).toBe(0);
      for (const prefix of PREFIXES) expect(run.filesLeft[prefix]).toHaveLength(1);
      expect(run.settled).toBe(true);
      // Each start ended by the test's kill (SIGKILL) or stop (status 0 through the supervisor)
      for (const exit of sidecar.exits) expect(exit.signal === 'SIGKILL' || exit.code === 0).toBe(true);
      expect(sidecar.exits[sidecar.exits.length - 1]).toEqual({ code: 0, signal: null });
      // Leftovers were caught up by exact entries, not by luck
      expect(sidecar.stderr).toMatch(/catching up .*, left over from before this start/);
      if (name.startsWith('a rotation between'))
        expect(sidecar.stderr).toMatch(/restarting the agent to read .*: no entry of its config covers them/);
    },
    sized(150_000, 300_000),
  );
});
