import * as path from 'node:path';
import { agentSchedule, type CollectEntry } from '../agent-simulator';
import {
  assertBuilt,
  HEAVY_TIMEOUT_MS,
  removeTempDirs,
  reportFigures,
  SEED,
  sized,
  tempDir,
} from '../helpers';
import { runPhaseSweep, runWithAgent, type PhaseSweepResult, type WriterSpec } from '../scenario';

/**
 * CONTRACT §2 "Old before new, with a quiet gap" against the agent's own timing (§6.9): a reader
 * waiting at EOF sees new bytes only at its poll every 250 ms, and once a scan (every 1 s, at a fixed
 * phase) finds a newer file the old reader is stopped without reading what its last poll did not see,
 * and the file is deleted. Regression tests for the two losses this caused:
 * - A: every rotation lost the old file's last ~75 ms (the next file appeared 100 ms after the
 *   boundary, sooner than the old reader's next poll);
 * - B: a producer that ended just after a boundary created the next file at once with the lines it
 *   held, and the last ~60 ms of lines before the boundary were lost.
 * C sweeps the scan phase: one writer run watched by 20 simulators whose scans fall at 0, 50, …,
 * 950 ms past each second (virtual removal: each stops seeing what it removed, nothing is deleted).
 * Real writer processes (fixtures/writer.js) through the built transport; figures before the fix are
 * in docs/reliability.md, "Quiet gap: losses before the fix".
 */
const RATE = 2500;
const PHASES_MS = Array.from({ length: 20 }, (_, i) => i * 50);
/**
 * Rotations a run of `seconds` on 1 s periods must show at least. Not one per second: the quiet gap
 * lets a new file appear only once the newest one has been there long enough for a 1 s scan to find
 * it (1.5 s in the transport), so 1 s periods make a file every 1–2 s.
 */
const minRotations = (seconds: number): number => Math.floor(seconds / 2);
/** Lines a writer may log at most in `seconds` at RATE, with room: the writers log until a time. */
const capFor = (seconds: number): number => Math.ceil(RATE * (seconds + 3));

beforeAll(assertBuilt);
afterAll(removeTempDirs);

/** One collect entry per app, as the sidecar has them (CONTRACT §5). */
function entriesIn(dir: string): CollectEntry[] {
  return [
    { name: 'app', dir, prefix: 'app.log.' },
    { name: 'worker', dir, prefix: 'worker.log.' },
  ];
}

/** Two producers, `app` and `worker`, each its own file family in `dir`, at RATE lines/s. */
function producers(dir: string, spec: Omit<WriterSpec, 'file' | 'app' | 'proc'>): WriterSpec[] {
  return ['app', 'worker'].map((app) => ({
    file: path.join(dir, `${app}.log`),
    app,
    proc: 'main',
    rate: RATE,
    ...spec,
  }));
}

/** Per phase: what each simulator lost, and why. Zero everywhere when the quiet gap holds. */
function byPhase(sweep: PhaseSweepResult): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of sweep.phases) {
    out[`${p.phaseMs} ms`] = {
      lost: p.lost,
      unseenLinesAtKill: p.agent.figures.unseenLinesAtKill,
      writtenAfterKillLines: p.agent.figures.writtenAfterKillLines,
      tornBytesAtRemoval: p.agent.figures.tornBytesAtRemoval,
      neverFollowed: p.neverFollowed,
    };
  }
  return out;
}

const nothingLost = (sweep: PhaseSweepResult): Record<string, unknown> =>
  Object.fromEntries(
    sweep.phases.map((p) => [
      `${p.phaseMs} ms`,
      { lost: 0, unseenLinesAtKill: 0, writtenAfterKillLines: 0, tornBytesAtRemoval: 0, neverFollowed: [] },
    ]),
  );

/** The writers wrote every record exactly once, as valid JSON lines, in order, into a new file only once the old one was done. */
function expectWrittenOnce(sweep: PhaseSweepResult): void {
  expect(sweep.writers.map((w) => w.code)).toEqual([0, 0]);
  expect(sweep.onDisk.figures.samples).toEqual([]);
  expect(sweep.onDisk.figures).toMatchObject({ invalidJson: 0, duplicates: 0, outOfOrder: 0, unnumbered: 0 });
  expect(sweep.onDisk.totalMissing()).toBe(0);
  expect(sweep.lateWrites).toEqual([]);
  for (const p of sweep.phases) {
    expect(p.agent.figures.recreatedAfterRemoval).toEqual([]);
    // Each followed once: a simulator that uploads as many lines as were logged uploaded each once.
    expect(new Set(p.agent.figures.followed).size).toBe(p.agent.figures.followed.length);
  }
}

describe(`quiet gap under the agent's timing (seed ${SEED})`, () => {
  const A_SECONDS = 20;
  test(
    `A: 1 s files, app and worker at ${RATE} lines/s each for ~${A_SECONDS} s, agent scanning at 150 ms past each second: every file followed, every line uploaded once, nothing lost`,
    async () => {
      // Prepare: both producers start at a period boundary, so every file, the first included, lives a
      // whole period and a faithful agent follows each of them; they end mid-period.
      const dir = tempDir('quiet-a');
      const writers = producers(dir, {
        lines: capFor(A_SECONDS),
        frequency: 1000,
        durationMs: A_SECONDS * 1000,
        startAtBoundary: true,
        endAfterBoundaryMs: 500,
      });

      // Act
      const run = await runWithAgent({
        entries: entriesIn(dir),
        writers,
        schedule: agentSchedule(150),
        seed: SEED,
      });

      // Assess
      const logged = Object.values(run.logged).reduce((a, b) => a + b, 0);
      const uploaded = (run.uploaded.app ?? 0) + (run.uploaded.worker ?? 0);
      const figures = {
        logged,
        uploaded,
        lost: run.verifier.missing(),
        unseenLinesAtKill: run.agent.figures.unseenLinesAtKill,
        neverFollowed: run.neverFollowed,
        files: run.files,
        kills: run.agent.figures.kills.length,
        maxLateMs: run.agent.figures.maxLateMs,
        elapsedMs: run.elapsedMs,
      };
      reportFigures('quiet-gap-A', figures);
      expect(run.writers.map((w) => w.code)).toEqual([0, 0]);
      expect(run.verifierFigures.samples).toEqual([]);
      expect(run.verifierFigures).toMatchObject({
        invalidJson: 0,
        duplicates: 0,
        outOfOrder: 0,
        unnumbered: 0,
      });
      expect({
        lost: figures.lost,
        unseenLinesAtKill: figures.unseenLinesAtKill,
        neverFollowed: figures.neverFollowed,
      }).toEqual({
        lost: { 'app/main': 0, 'worker/main': 0 },
        unseenLinesAtKill: 0,
        neverFollowed: { app: [], worker: [] },
      });
      expect(uploaded).toBe(logged);
      expect(run.linesLeftOnDisk).toBe(0);
      expect(run.lateWrites).toEqual([]);
      expect(run.agent.figures.tornBytesAtRemoval).toBe(0);
      expect(run.inOlderFile).toBe(0);
      expect(Math.min(run.files.app ?? 0, run.files.worker ?? 0) - 1).toBeGreaterThanOrEqual(
        minRotations(A_SECONDS),
      );
    },
    HEAVY_TIMEOUT_MS,
  );

  test(
    `B: 10 s files, app and worker end (flush, end) 20 ms after a period boundary, agent at every scan phase: the lines before the boundary are not lost`,
    async () => {
      // Prepare: each producer logs for at least 1.5 s (its first file is followed at every phase), up
      // to the next 10 s boundary, and ends 20 ms after it: the lines it holds for the new period
      // create the next file as it ends.
      const dir = tempDir('quiet-b');
      const writers = producers(dir, {
        lines: capFor(12),
        frequency: 10_000,
        durationMs: 1500,
        endAfterBoundaryMs: 20,
      });

      // Act
      const sweep = await runPhaseSweep({
        entries: entriesIn(dir),
        writers,
        phasesMs: PHASES_MS,
        seed: SEED,
      });

      // Assess
      reportFigures('quiet-gap-B', {
        logged: sweep.totalLogged,
        files: sweep.files,
        lostByPhase: Object.fromEntries(sweep.phases.map((p) => [p.phaseMs, p.lost])),
        elapsedMs: sweep.elapsedMs,
      });
      expectWrittenOnce(sweep);
      // The run crossed at least the boundary it ended after (two, if it started less than 1.5 s
      // before one).
      expect(Math.min(sweep.files.app, sweep.files.worker)).toBeGreaterThanOrEqual(2);
      expect(byPhase(sweep)).toEqual(nothingLost(sweep));
    },
    HEAVY_TIMEOUT_MS,
  );

  const C_SECONDS = sized(15, 205);
  test(
    `C: phase sweep, 1 s files, app and worker at ${RATE} lines/s each for ~${C_SECONDS} s, one simulator per scan phase 0, 50, …, 950 ms: every file followed and nothing lost at any phase`,
    async () => {
      // Prepare
      const dir = tempDir('quiet-c');
      const writers = producers(dir, {
        lines: capFor(C_SECONDS),
        frequency: 1000,
        durationMs: C_SECONDS * 1000,
        startAtBoundary: true,
        endAfterBoundaryMs: 500,
      });

      // Act
      const sweep = await runPhaseSweep({
        entries: entriesIn(dir),
        writers,
        phasesMs: PHASES_MS,
        seed: SEED,
      });

      // Assess
      const rotations = Math.min(sweep.files.app, sweep.files.worker) - 1;
      reportFigures('quiet-gap-C', {
        logged: sweep.totalLogged,
        rotations,
        lostByPhase: Object.fromEntries(sweep.phases.map((p) => [p.phaseMs, p.lost])),
        maxLateMs: Math.max(...sweep.phases.map((p) => p.agent.figures.maxLateMs)),
        elapsedMs: sweep.elapsedMs,
      });
      expectWrittenOnce(sweep);
      expect(byPhase(sweep)).toEqual(nothingLost(sweep));
      expect(rotations).toBeGreaterThanOrEqual(sized(minRotations(C_SECONDS), 50));
      expect(sweep.totalLogged).toBeGreaterThanOrEqual(sized(2 * RATE * (C_SECONDS - 1), 1_000_000));
    },
    HEAVY_TIMEOUT_MS,
  );
});
