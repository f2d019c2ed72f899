import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertBuilt, HEAVY_TIMEOUT_MS, removeTempDirs, reportFigures, SEED, tempDir } from '../helpers';
import { runPhaseSweep } from '../scenario';

/**
 * CONTRACT §2 "quiet gap … on every path": a process that ends 20 ms after a period boundary — by
 * process.exit() or an uncaught exception, both through pino's exit handler — with its first lines
 * of the new period still waiting in staging, and a second process on the same base name started
 * 40 ms after the boundary (a restart, a crash loop), which can only know the first one's timing
 * from the files. Watched by 20 simulators, one per scan phase (0, 50, …, 950 ms): nothing may be
 * lost at any phase, nothing may stay in staging, and each record is on disk exactly once.
 */
const PERIOD_MS = 10_000;
const RATE = 2500;
const PHASES_MS = Array.from({ length: 20 }, (_, i) => i * 50);

beforeAll(assertBuilt);
afterAll(removeTempDirs);

describe(`quiet gap at exit and restart (seed ${SEED})`, () => {
  test.each(['exit', 'uncaught'] as const)(
    'a process ending with %s 20 ms after a boundary, and its successor started 40 ms after it: nothing lost at any scan phase',
    async (exitWith) => {
      // Prepare: the boundary at least 3 s ahead, so the first writer has a whole old file behind it.
      const dir = tempDir(`quiet-exit-${exitWith}`);
      const boundary = Math.ceil((Date.now() + 3_000) / PERIOD_MS) * PERIOD_MS;
      const common = {
        file: path.join(dir, 'app.log'),
        app: 'app',
        rate: RATE,
        frequency: PERIOD_MS,
        lines: RATE * 20,
      };

      // Act
      const sweep = await runPhaseSweep({
        entries: [{ name: 'app', dir, prefix: 'app.log.' }],
        writers: [
          { ...common, proc: 'first', endAtMs: boundary + 20, exitWith },
          { ...common, proc: 'second', beginAtMs: boundary + 40, endAtMs: boundary + 3_000 },
        ],
        phasesMs: PHASES_MS,
        seed: SEED,
      });

      // Assess
      reportFigures(`quiet-gap-exits-${exitWith}`, {
        logged: sweep.totalLogged,
        files: sweep.files.app,
        lostByPhase: Object.fromEntries(sweep.phases.map((p) => [p.phaseMs, p.lost])),
      });
      expect(sweep.writers.map((w) => w.code)).toEqual([exitWith === 'uncaught' ? 1 : 0, 0]);
      expect(sweep.onDisk.figures.samples).toEqual([]);
      expect(sweep.onDisk.figures).toMatchObject({ invalidJson: 0, duplicates: 0, unnumbered: 0 });
      expect(sweep.onDisk.totalMissing()).toBe(0);
      expect(fs.existsSync(path.join(dir, '.staging'))).toBe(false);
      expect(sweep.lateWrites).toEqual([]);
      // The boundary, and one more when the run started within 3 s before an earlier one.
      expect(sweep.files.app).toBeGreaterThanOrEqual(2);
      expect(sweep.files.app).toBeLessThanOrEqual(3);
      expect(
        Object.fromEntries(sweep.phases.map((p) => [p.phaseMs, [p.lost, p.agent.figures.unseenLinesAtKill]])),
      ).toEqual(Object.fromEntries(PHASES_MS.map((ms) => [ms, [0, 0]])));
      expect(sweep.totalLogged).toBeGreaterThan(RATE * 5);
    },
    HEAVY_TIMEOUT_MS,
  );
});
