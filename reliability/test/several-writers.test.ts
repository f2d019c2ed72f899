import * as fs from 'node:fs';
import * as path from 'node:path';
import build from 'pino-cloudwatch-file';
import { adversarialSchedule } from '../agent-simulator';
import {
  assertBuilt,
  familyFiles,
  HEAVY_TIMEOUT_MS,
  removeTempDirs,
  reportFigures,
  runFixture,
  SEED,
  sized,
  tempDir,
  waitFor,
} from '../helpers';
import { runWithAgent } from '../scenario';

/**
 * Issue 7 §2: several processes in one log folder at once — a Node cluster whose workers share the
 * base file `app.log` (each with its own `process` name) and a separate app writing `worker.log` —
 * with the agent simulator configured as the sidecar is (one collect entry per app, CONTRACT §5).
 */
const WORKERS = sized(3, 4);
const LINES_PER_WRITER = sized(20_000, 150_000);
const PERIOD_MS = sized(1000, 2000);
const DURATION_MS = sized(5_000, 30_000);
/** Every 250th record carries a 200 KB string: lines near the 256 KiB event cap, written by several processes at once. */
const PAD = { padEvery: 250, padBytes: 200_000 };

beforeAll(assertBuilt);
afterAll(removeTempDirs);

describe(`several writers in one folder (seed ${SEED})`, () => {
  test(
    `a ${WORKERS}-worker cluster on app.log and an app on worker.log, one agent entry each: no torn or interleaved line, nothing lost or doubled`,
    async () => {
      const dir = tempDir('several');
      const run = await runWithAgent({
        entries: [
          { name: 'app', dir, prefix: 'app.log.' },
          { name: 'worker', dir, prefix: 'worker.log.' },
        ],
        writers: [
          {
            file: path.join(dir, 'app.log'),
            app: 'app',
            proc: 'web',
            cluster: WORKERS,
            lines: LINES_PER_WRITER,
            frequency: PERIOD_MS,
            durationMs: DURATION_MS,
            burst: 500,
            ...PAD,
          },
          {
            file: path.join(dir, 'worker.log'),
            app: 'worker',
            proc: 'jobs',
            lines: LINES_PER_WRITER,
            frequency: PERIOD_MS,
            durationMs: DURATION_MS,
            burst: 500,
            ...PAD,
          },
        ],
        schedule: adversarialSchedule({
          slowMs: [PERIOD_MS - 600, PERIOD_MS - 400],
          pauseMs: [PERIOD_MS - 400, PERIOD_MS - 300],
        }),
        seed: SEED,
      });

      const expectedTotal = (WORKERS + 1) * LINES_PER_WRITER;
      reportFigures('several-writers', {
        processes: WORKERS + 1,
        lines: expectedTotal,
        paddedLines: (WORKERS + 1) * Math.ceil(LINES_PER_WRITER / PAD.padEvery),
        uploaded: run.uploaded,
        linesLeftOnDisk: run.linesLeftOnDisk,
        startupFilesSkipped: run.neverFollowed,
        files: run.files,
        lost: run.verifier.totalMissing(),
        maxScanGapMs: run.agent.figures.maxGapMs,
        agentFellBehind: run.agentFellBehind,
        lateWrites: run.lateWrites.length,
      });
      expect(run.writers.map((w) => w.code)).toEqual([0, 0]);
      expect(run.verifierFigures.samples).toEqual([]);
      expect(run.verifierFigures).toMatchObject({
        invalidJson: 0,
        duplicates: 0,
        outOfOrder: 0,
        damagedPads: 0,
        unnumbered: 0,
      });
      // Only a start-up file may be skipped by a faithful agent, unless load stretched a scan gap to a
      // whole period (see full-speed.test.ts); skipped lines stay on disk and are counted.
      if (!run.agentFellBehind) expect(run.skippedAfterStart).toEqual([]);
      expect(run.verifier.figures).toMatchObject({ invalidJson: 0, duplicates: 0, damagedPads: 0 });
      expect(run.verifier.totalMissing()).toBe(0);
      expect((run.uploaded.app ?? 0) + (run.uploaded.worker ?? 0) + run.linesLeftOnDisk).toBe(expectedTotal);
      // Bytes written to a file after another process created a newer one: BUG D below. It happens
      // under load (seen in 2 of 4 STRESS runs, never in default runs); reported, asserted by the
      // deterministic test below.
      if (run.lateWrites.length > 0)
        reportFigures('several-writers-late-writes', { lateWrites: run.lateWrites });
      expect(run.agent.figures.olderNameCreated).toEqual([]);
      expect(run.agent.figures.tornBytesAtRemoval).toBe(0);
      expect(run.inOlderFile).toBe(0);
    },
    HEAVY_TIMEOUT_MS,
  );

  test(
    "retention of one app only touches that app's files (and only exact <file>.<suffix> names)",
    async () => {
      // Prepare: files the app.log retention must leave alone, and one old app.log file it must delete.
      const dir = tempDir('retention');
      const untouchable = [
        'app.log',
        'app.log.bak',
        'app.log.2020-01-01_00-00-00.gz',
        'app.log.2020-01-01_00', // an hourly name: another frequency's family
        'worker.log.2020-01-01_00-00-00',
        'other.log.2020-01-01_00-00-00',
      ];
      for (const name of [...untouchable, 'app.log.2020-01-01_00-00-00']) {
        fs.writeFileSync(path.join(dir, name), '{"old":true}\n');
      }
      const common = { frequency: 1000, lines: sized(5_000, 20_000), durationMs: 5_500, burst: 200 };

      // Act: both apps at once, app.log keeping at most 2 finished files, worker.log everything.
      const results = await Promise.all([
        runFixture('writer.js', {
          file: path.join(dir, 'app.log'),
          app: 'app',
          proc: 'main',
          options: { retention: { maxFiles: 2 } },
          ...common,
        }),
        runFixture('writer.js', {
          file: path.join(dir, 'worker.log'),
          app: 'worker',
          proc: 'main',
          ...common,
        }),
      ]);

      // Assess
      expect(results.map((r) => r.code)).toEqual([0, 0]);
      const names = fs.readdirSync(dir);
      for (const name of untouchable) expect(names).toContain(name);
      expect(names).not.toContain('app.log.2020-01-01_00-00-00');
      const appFiles = familyFiles(dir, 'app.log.2').filter((n) => /_\d\d-\d\d-\d\d$/.test(n));
      const workerFiles = familyFiles(dir, 'worker.log.2').filter((n) => !n.startsWith('worker.log.2020'));
      // At most 2 finished files plus the one open at the last rotation.
      expect(appFiles.length).toBeLessThanOrEqual(3);
      // Files are at least 1.5 s apart (a file stays the newest for MIN_NEWEST_MS before the next).
      expect(workerFiles.length).toBeGreaterThanOrEqual(3);
      const workerLines = workerFiles.reduce(
        (n, f) => n + fs.readFileSync(path.join(dir, f), 'utf8').split('\n').length - 1,
        0,
      );
      expect(workerLines).toBe(common.lines);
      reportFigures('retention-isolation', {
        appFilesKept: appFiles.length,
        workerFilesKept: workerFiles.length,
        workerLines,
        decoysKept: untouchable.length,
      });
    },
    HEAVY_TIMEOUT_MS,
  );

  // Regression D (pino-cloudwatch-file, rotating-file.ts, fixed): with several processes on one base file, each
  // decides from its own clock reading that the old period's file is still current, then writes.
  // A process descheduled between that check and its write (a loaded machine) writes into the old
  // file after another process created the new one — bytes the agent may already have read past
  // and deleted with the file. Seen for real in the cluster test under STRESS (69 KB into a file
  // 2 s after its successor existed). Here the two clock readings are injected, so it is
  // deterministic. Fixed: a write first checks whether the next period's file exists, and no
  // process creates the next file before the quiet gap after the boundary has passed.
  test("two processes on one base file: one never writes the old period's file once the other created the next", async () => {
    const dir = tempDir('toctou');
    const file = path.join(dir, 'app.log');
    const start = Date.UTC(2030, 0, 1, 12, 0, 0);
    let nowA = start;
    let nowB = start;
    const options = {
      file,
      app: 'app',
      frequency: 1000,
      allowShortFrequency: true,
      retention: false as const,
    };
    const a = await build({ ...options, process: 'a', now: () => nowA });
    const b = await build({ ...options, process: 'b', now: () => nowB });
    const record = (time: number, seq: number): string =>
      `{"level":30,"time":${time},"seq":${seq},"msg":"m"}\n`;
    a.write(record(start, 0));
    b.write(record(start, 0));
    // A reaches the next period; once the quiet gap has passed (on the real clock: a timer places
    // its staged file), the next period's file exists.
    nowA = start + 1200;
    a.write(record(nowA, 1));
    const newName = `app.log.${new Date(start + 1000).toISOString().slice(0, 19).replace('T', '_').replace(/:/g, '-')}`;
    expect(familyFiles(dir, 'app.log.')).not.toContain(newName);
    nowA = start + 1600;
    expect(await waitFor(() => familyFiles(dir, 'app.log.').includes(newName), 5_000)).toBe(true);
    const olderNow = (): string =>
      familyFiles(dir, 'app.log.')
        .filter((name) => name < newName)
        .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'))
        .join('');
    const olderWhenNewAppeared = olderNow();
    // B read the clock just before the boundary and only now gets to write.
    nowB = start + 999;
    b.write(record(nowB, 1));
    await Promise.all([new Promise<void>((r) => a.end(r)), new Promise<void>((r) => b.end(r))]);

    // Not one byte went into an older file once the newer one existed ...
    expect(olderNow()).toBe(olderWhenNewAppeared);
    // ... and every record is on disk exactly once.
    const all = familyFiles(dir, 'app.log.')
      .flatMap((name) => fs.readFileSync(path.join(dir, name), 'utf8').trim().split('\n'))
      .map((l) => JSON.parse(l) as { process: string; seq: number })
      .map((r) => `${r.process}:${r.seq}`)
      .sort();
    expect(all).toEqual(['a:0', 'a:1', 'b:0', 'b:1']);
  });
});
