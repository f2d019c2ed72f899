import * as fs from 'node:fs';
import * as path from 'node:path';
import { deletedBeforeAccepted, DeletionAudit } from '../deletion-audit';
import {
  assertBuilt,
  removeTempDirs,
  reportFigures,
  sized,
  sleep,
  startFixture,
  tempDir,
  waitFor,
  familyFiles,
  type ChildResult,
} from '../helpers';
import { LineVerifier } from '../line-verifier';
import { writerSummary } from '../scenario';
import { killSidecars, Sidecar } from '../sidecar';

/**
 * The sidecar owns deletion (CONTRACT §5, §6.14, §6.15; docs/agent.md "Who deletes a file"): its
 * entries have `auto_removal: false`, so no reader is stopped before it read every byte, and its
 * supervisor deletes a file only once the agent's saved offset — moved only when CloudWatch accepted the
 * batch — is the file's size. Each run is the real supervisor with the agent simulator as its agent
 * (reliability/sidecar.ts), whose output batches lines for 5 s (`force_flush_interval`) before
 * CloudWatch accepts them. The negative controls run the same sidecar with its wildcard entries at
 * `auto_removal: true` (`SIM_AUTO_REMOVAL`, the sidecar as it was) and must lose lines: a harness
 * that cannot fail proves nothing.
 *
 * Asserted: every line uploaded exactly once, and no file deleted before CloudWatch accepted its last
 * byte (a watch on the logs folder against the stand-in agent's notes of each accepted offset).
 */
afterAll(async () => {
  await killSidecars();
  removeTempDirs();
});

interface RunResult {
  logged: number;
  uploaded: number;
  lost: number;
  duplicates: number;
  invalidJson: number;
  /** Files deleted (by anyone) and those deleted before CloudWatch accepted their last byte. */
  deleted: number;
  deletedEarly: string[];
  /** Shortest time from the acceptance of a file's last byte to its deletion (ms). */
  minAcceptedToDeletedMs: number | undefined;
  filesLeft: number;
  settled: boolean;
  exits: Sidecar['exits'];
  stderr: string;
}

interface Run {
  families: string[];
  /** Starts the writers into the logs folder; each resolves with its result. */
  writers: (logs: string) => Array<Promise<ChildResult>>;
  /** Done while the writers run (kills, restarts). */
  during?: (sidecar: Sidecar, logs: string) => Promise<void>;
  env: Record<string, string>;
  settleMs: number;
}

async function runSidecar(run: Run): Promise<RunResult> {
  const logs = tempDir('deletion');
  const prefixes = run.families.map((name) => `${name}.log.`);
  const sidecar = new Sidecar({
    logFiles: run.families.join(','),
    logsDir: logs,
    env: { LEFTOVER_QUIET_SECONDS: '1', ...run.env },
  });
  const audit = new DeletionAudit(logs, prefixes);
  audit.start();
  let results: ChildResult[];
  let settled: boolean;
  try {
    sidecar.start();
    await sidecar.agentStarted(0);
    const children = run.writers(logs);
    if (run.during !== undefined) await run.during(sidecar, logs);
    results = await Promise.all(children);
    if (!sidecar.running) sidecar.start();
    settled = await waitFor(() => sidecar.settled(prefixes), run.settleMs, 100);
    await sidecar.stop();
  } finally {
    audit.stop();
  }

  const expected: Record<string, number> = {};
  results.forEach((result, i) => {
    expect(result.code).toBe(0);
    expected[`${run.families[i]}/main`] = writerSummary(result).lines;
  });
  const verifier = new LineVerifier(expected);
  for (const upload of sidecar.uploads()) verifier.add(upload.line, `${upload.agent} ${upload.file}`);
  const accepted = sidecar.accepted();
  const margins = audit.deletions.map((d) => {
    const first = accepted.find((a) => a.file === d.file && a.offset >= d.size);
    return first === undefined ? -Infinity : d.at - first.at;
  });
  return {
    logged: Object.values(expected).reduce((a, b) => a + b, 0),
    uploaded: verifier.figures.lines,
    lost: verifier.totalMissing(),
    duplicates: verifier.figures.duplicates,
    invalidJson: verifier.figures.invalidJson,
    deleted: audit.deletions.length,
    // Each early deletion with what the audit saw, the best acceptance noted, and the supervisor's line
    deletedEarly: deletedBeforeAccepted(audit.deletions, accepted).map((d) => {
      const notes = accepted.filter((a) => a.file === d.file);
      const best = notes.reduce((m, a) => (a.offset > m.offset ? a : m), { offset: -1, at: 0 });
      const said = sidecar.stderr
        .split('\n')
        .find((line) => line.includes(path.basename(d.file)) && line.includes('removed'));
      return `${path.basename(d.file)}: ${d.size} bytes gone at ${d.at}; accepted ${best.offset} at ${best.at}; ${said ?? 'no removal line'}`;
    }),
    minAcceptedToDeletedMs: margins.length === 0 ? undefined : Math.min(...margins),
    filesLeft: prefixes.reduce((n, prefix) => n + familyFiles(logs, prefix).length, 0),
    settled,
    exits: sidecar.exits,
    stderr: sidecar.stderr,
  };
}

/** The gapless writer (reliability/fixtures/gapless-writer.js) for each family. */
function gapless(
  families: string[],
  spec: { rate: number; durationMs: number; periodMs: number },
): (logs: string) => Array<Promise<ChildResult>> {
  return (logs) => families.map((app) => startFixture('gapless-writer.js', { dir: logs, app, ...spec }).done);
}

function expectNothingLost(result: RunResult): void {
  expect({ lost: result.lost, duplicates: result.duplicates, invalidJson: result.invalidJson }).toEqual({
    lost: 0,
    duplicates: 0,
    invalidJson: 0,
  });
  expect(result.uploaded).toBe(result.logged);
  expect(result.deletedEarly).toEqual([]);
  expect(result.settled).toBe(true);
  expect(result.exits[result.exits.length - 1]).toEqual({ code: 0, signal: null });
}

beforeAll(assertBuilt);

describe('a writer with no quiet gap, 1 s periods, 20 scan phases', () => {
  const PHASES = Array.from({ length: 20 }, (_, i) => i * 50);
  const spec = { rate: sized(200, 1000), durationMs: sized(6000, 15_000), periodMs: 1000 };
  const sweep = (autoRemoval: boolean): Promise<RunResult[]> =>
    Promise.all(
      PHASES.map((phase) =>
        runSidecar({
          families: ['app'],
          writers: gapless(['app'], spec),
          env: {
            SIM_SCAN_PHASE_MS: String(phase),
            SIM_SEED: String(phase + 1),
            ...(autoRemoval ? { SIM_AUTO_REMOVAL: 'true' } : {}),
          },
          settleMs: 20_000,
        }),
      ),
    );
  const total = (results: RunResult[], key: 'logged' | 'lost' | 'duplicates' | 'deleted'): number =>
    results.reduce((n, r) => n + r[key], 0);

  test('the sidecar deleting by saved offset: 0 lost, 0 duplicated, no file deleted before CloudWatch accepted its last byte', async () => {
    const results = await sweep(false);
    reportFigures('sidecar-deletion: no quiet gap, sidecar deletes', {
      phases: PHASES.length,
      logged: total(results, 'logged'),
      lost: total(results, 'lost'),
      duplicates: total(results, 'duplicates'),
      deleted: total(results, 'deleted'),
      minAcceptedToDeletedMs: Math.min(...results.map((r) => r.minAcceptedToDeletedMs ?? Infinity)),
    });
    for (const result of results) expectNothingLost(result);
    // Files were deleted (by the supervisor: nothing else may), each after its acceptance
    expect(total(results, 'deleted')).toBeGreaterThanOrEqual(PHASES.length * 3);
    for (const result of results) expect(result.filesLeft).toBe(1);
  }, 120_000);

  test('negative control: the same runs with auto_removal lose the lines written just before each newer file appeared', async () => {
    const results = await sweep(true);
    reportFigures('sidecar-deletion: no quiet gap, auto_removal', {
      phases: PHASES.length,
      logged: total(results, 'logged'),
      lost: total(results, 'lost'),
      duplicates: total(results, 'duplicates'),
    });
    expect(total(results, 'lost')).toBeGreaterThan(0);
    expect(total(results, 'duplicates')).toBe(0);
  }, 120_000);
});

describe('the agent killed right after a rotation, before CloudWatch accepted its batch (CONTRACT §6.14)', () => {
  const FAMILIES = ['app', 'worker'];
  const PERIOD = 4000;
  const ROTATIONS = 2;

  /**
   * The real transport (quiet gap on) writes both families on 4 s periods; right after each of the
   * first rotations — the newer file there for 1.2 s, so a scan has found it, and with auto_removal the
   * old file is gone — the whole sidecar is killed (SIGKILL, the stand-in's unaccepted batch lost with
   * it) and started again 300 ms later.
   */
  const killAfterRotations = (autoRemoval: boolean): Promise<RunResult> => {
    const t0 = Math.ceil((Date.now() + 3000) / PERIOD) * PERIOD;
    const endAtMs = t0 + (ROTATIONS + 1) * PERIOD + 1000;
    return runSidecar({
      families: FAMILIES,
      writers: (logs) =>
        FAMILIES.map(
          (app) =>
            startFixture('writer.js', {
              file: path.join(logs, `${app}.log`),
              app,
              proc: 'main',
              lines: 500 * 20 + 1000,
              frequency: PERIOD,
              rate: 500,
              endAtMs,
            }).done,
        ),
      during: async (sidecar, logs) => {
        for (let rotation = 1; rotation <= ROTATIONS; rotation++) {
          const boundary = t0 + rotation * PERIOD;
          const suffix = new Date(boundary).toISOString().slice(0, 19).replace('T', '_').replace(/:/g, '-');
          const newer = (): boolean =>
            FAMILIES.every((app) => fs.existsSync(path.join(logs, `${app}.log.${suffix}`)));
          await sleep(Math.max(0, boundary - Date.now()));
          await waitFor(newer, PERIOD, 10);
          await sleep(1200);
          await sidecar.kill();
          await sleep(300);
          sidecar.start();
        }
      },
      env: { SIM_SEED: '7', ...(autoRemoval ? { SIM_AUTO_REMOVAL: 'true' } : {}) },
      settleMs: 25_000,
    });
  };

  test('with the sidecar deleting: 0 lost, 0 duplicated; with auto_removal (negative control): lines lost', async () => {
    const [sidecarDeletes, agentDeletes] = await Promise.all([
      killAfterRotations(false),
      killAfterRotations(true),
    ]);
    for (const [label, result] of [
      ['sidecar deletes', sidecarDeletes],
      ['auto_removal', agentDeletes],
    ] as const)
      reportFigures(`sidecar-deletion: killed after a rotation, ${label}`, {
        logged: result.logged,
        lost: result.lost,
        duplicates: result.duplicates,
        deleted: result.deleted,
        deletedEarly: result.deletedEarly.length,
      });
    expectNothingLost(sidecarDeletes);
    // Every start but the last ended by the test's SIGKILL (the supervisor's stderr if not)
    const ends = sidecarDeletes.exits.map((exit) => exit.signal ?? `code ${exit.code}`);
    if (ends.join() !== [...Array.from({ length: ROTATIONS }, () => 'SIGKILL'), 'code 0'].join())
      throw new Error(`sidecar starts ended ${ends.join(', ')}; its stderr:\n${sidecarDeletes.stderr}`);
    expect(agentDeletes.lost).toBeGreaterThan(0);
    expect(agentDeletes.deletedEarly.length).toBeGreaterThan(0);
  }, 120_000);
});

describe('at scale: 4 families × 20,000 lines/s through one sidecar', () => {
  test('every line uploaded once; no file deleted before CloudWatch accepted its last byte', async () => {
    const families = ['app', 'worker', 'jobs', 'audit'];
    const spec = { rate: 20_000, durationMs: sized(5000, 20_000), periodMs: 1000 };
    const result = await runSidecar({
      families,
      writers: gapless(families, spec),
      env: { SIM_SEED: '3' },
      settleMs: 40_000,
    });
    reportFigures('sidecar-deletion: 4 families × 20k lines/s', {
      logged: result.logged,
      uploaded: result.uploaded,
      lost: result.lost,
      duplicates: result.duplicates,
      deleted: result.deleted,
      deletedEarly: result.deletedEarly.length,
      minAcceptedToDeletedMs: result.minAcceptedToDeletedMs,
    });
    expectNothingLost(result);
    expect(result.logged).toBeGreaterThanOrEqual(
      families.length * spec.rate * (spec.durationMs / 1000) * 0.99,
    );
    expect(result.deleted).toBeGreaterThanOrEqual(families.length * 3);
    expect(result.filesLeft).toBe(families.length);
  }, 180_000);
});
