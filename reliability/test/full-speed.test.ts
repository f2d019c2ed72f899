import * as path from 'node:path';
import { adversarialSchedule } from '../agent-simulator';
import {
  assertBuilt,
  HEAVY_TIMEOUT_MS,
  removeTempDirs,
  reportFigures,
  SEED,
  sized,
  sleep,
  tempDir,
} from '../helpers';
import { runWithAgent, writerSummary } from '../scenario';

/**
 * Issue 7 §1: the real transport (pino.transport on the built package) at full speed across many
 * rotations, while the agent simulator tails, switches and deletes on an adversarial seeded schedule.
 * Replay a failure with RELIABILITY_SEED=<seed shown in the test name>.
 */
const PERIOD_MS = sized(1000, 2000);
const LINES = sized(200_000, 1_000_000);
const ROTATIONS = sized(10, 50);
/** Files are at least 1.5 s apart (a file stays the newest for MIN_NEWEST_MS): 1 s periods rotate less often. */
const EXPECTED_ROTATIONS = Math.floor((ROTATIONS * PERIOD_MS) / Math.max(PERIOD_MS, 1500));

beforeAll(assertBuilt);
afterAll(removeTempDirs);

describe(`full speed under the agent simulator (seed ${SEED})`, () => {
  test(
    `${LINES} lines over >= ${ROTATIONS} rotations of ${PERIOD_MS} ms: every line uploaded exactly once, in order, valid JSON, never written after a newer file existed, disk bounded`,
    async () => {
      // Prepare: scans every ~5 ms, runs of slow scans and pauses, all under one period (§6.1: a
      // file that is never the newest at a scan is never collected; the next test covers that).
      const dir = tempDir('full-speed');
      // The longest gap stays 300 ms under a period: room for a loaded machine's late timers.
      const schedule = adversarialSchedule({
        slowMs: [PERIOD_MS - 600, PERIOD_MS - 400],
        pauseMs: [PERIOD_MS - 400, PERIOD_MS - 300],
      });

      // Act
      const run = await runWithAgent({
        entries: [{ name: 'app', dir, prefix: 'app.log.' }],
        writers: [
          {
            file: path.join(dir, 'app.log'),
            app: 'app',
            proc: 'main',
            lines: LINES,
            frequency: PERIOD_MS,
            durationMs: (ROTATIONS + 1.5) * PERIOD_MS,
            burst: 2000,
          },
        ],
        schedule,
        seed: SEED,
      });

      // Assess
      const summary = writerSummary(run.writers[0]);
      const figures = {
        lines: summary.lines,
        uploaded: run.uploaded.app,
        startupFileSkipped: run.neverFollowed.app.length,
        linesLeftOnDisk: run.linesLeftOnDisk,
        files: run.files.app,
        rotations: (run.files.app ?? 1) - 1,
        removedByAgent: run.agent.figures.removed.length,
        scans: run.agent.figures.scans,
        maxScanGapMs: run.agent.figures.maxGapMs,
        agentFellBehind: run.agentFellBehind,
        maxLiveFiles: run.agent.figures.maxLiveFiles,
        maxLiveBytes: run.agent.figures.maxLiveBytes,
        largestFileBytes: run.largestFileBytes,
        lateRecords: run.lateRecords,
        lost: run.verifier.totalMissing(),
        elapsedMs: run.elapsedMs,
      };
      reportFigures('full-speed', figures);
      expect(run.writers[0].code).toBe(0);
      expect(run.verifierFigures.samples).toEqual([]);
      expect(run.verifierFigures).toMatchObject({
        invalidJson: 0,
        duplicates: 0,
        outOfOrder: 0,
        unnumbered: 0,
      });
      // A faithful agent may skip only the start-up file (newest for less than one scan gap, §6.1),
      // unless load stretched a scan gap to a whole period; skipped lines stay on disk, counted below.
      if (!run.agentFellBehind) expect(run.skippedAfterStart).toEqual([]);
      expect(run.verifier.missing()).toEqual({ 'app/main': 0 });
      expect(run.uploaded.app + run.linesLeftOnDisk).toBe(LINES);
      expect(figures.rotations).toBeGreaterThanOrEqual(EXPECTED_ROTATIONS);
      expect(run.lateWrites).toEqual([]);
      expect(run.agent.figures.olderNameCreated).toEqual([]);
      expect(run.agent.figures.recreatedAfterRemoval).toEqual([]);
      expect(run.agent.figures.tornBytesAtRemoval).toBe(0);
      expect(run.inOlderFile).toBe(0);
      // Disk bounded: the followed file, the new one and at most one more, never more bytes than that.
      expect(run.agent.figures.maxLiveFiles).toBeLessThanOrEqual(3);
      expect(run.agent.figures.maxLiveBytes).toBeLessThanOrEqual(3 * run.largestFileBytes);
    },
    HEAVY_TIMEOUT_MS,
  );

  test(
    'agent down across rotations (§6.3): the files it never saw as newest stay on disk, complete; nothing is lost or doubled',
    async () => {
      // Prepare: fast scans, then the agent stops for 3.5 periods while the writer goes on.
      const period = 1000;
      const lines = sized(30_000, 150_000);
      const dir = tempDir('agent-down');

      // Act
      const run = await runWithAgent({
        entries: [{ name: 'app', dir, prefix: 'app.log.' }],
        writers: [
          {
            file: path.join(dir, 'app.log'),
            app: 'app',
            proc: 'main',
            lines,
            frequency: period,
            durationMs: 7 * period,
            burst: 500,
          },
        ],
        schedule: adversarialSchedule({ slowMs: [100, 300], pauseMs: [300, 400] }),
        seed: SEED,
        during: async (agent) => {
          await sleep(1.5 * period);
          agent.pause();
          await sleep(3.5 * period);
          agent.resume();
        },
      });

      // Assess: what the real agent would do, not what we wish it did.
      reportFigures('agent-down', {
        lines,
        uploaded: run.uploaded.app,
        leftOnDisk: run.linesLeftOnDisk,
        filesNeverFollowed: run.neverFollowed.app.length,
        lost: run.verifier.totalMissing(),
      });
      expect(run.writers[0].code).toBe(0);
      expect(run.neverFollowed.app.length).toBeGreaterThanOrEqual(1);
      expect(run.linesLeftOnDisk).toBeGreaterThan(0);
      expect(run.uploaded.app + run.linesLeftOnDisk).toBe(lines);
      expect(run.verifier.figures).toMatchObject({ invalidJson: 0, duplicates: 0 });
      expect(run.verifier.missing()).toEqual({ 'app/main': 0 });
      expect(run.lateWrites).toEqual([]);
    },
    HEAVY_TIMEOUT_MS,
  );
});
