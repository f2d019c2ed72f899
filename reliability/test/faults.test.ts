import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ask,
  assertBuilt,
  canMount,
  familyFiles,
  HEAVY_TIMEOUT_MS,
  linesOnDisk,
  missingRanges,
  mountCommand,
  mountTmpfs,
  removeTempDirs,
  reportFigures,
  sleep,
  startFixture,
  tempDir,
  transportMessages,
  waitFor,
  type LineOnDisk,
  type RunningChild,
} from '../helpers';

/**
 * Issue 7 §4 / CONTRACT §2 "Write failures": a folder that is read-only, blocked, deleted while
 * open, or on a full filesystem. The app keeps running and answering, the transport reports each
 * cause once on stderr, does not spin (CPU measured inside the child, worker thread included), and
 * writes again when the fault clears — with the refused lines, kept in memory, in order.
 *
 * Read-only and full disk need a real filesystem that refuses writes even to root: a tmpfs mounted
 * read-only, or a tiny one. Where mounting is not allowed those two tests are skipped (stated in
 * their names); the blocked-folder test injects a fault root cannot bypass (ENOTDIR) and always runs.
 */
const MOUNT = canMount();
const mountTest = MOUNT ? test : test.skip;
const mountNote = MOUNT ? '' : ' [skipped: this sandbox does not allow mount]';

/** The writer logs 20 records every 5 ms: about 4,000 lines/s. */
const WRITER = { burst: 20, everyMs: 5 };
/** CPU of the whole child (app + transport worker) while a fault lasts; a retry loop would be ~100 %. */
const MAX_CPU_DURING_FAULT = 0.5;

beforeAll(assertBuilt);
afterAll(removeTempDirs);

interface Probe {
  cpuShare: number;
  pingMs: number;
}

/** CPU share (of one core) of the child over `ms`, and how long a ping takes meanwhile. */
async function probe(child: RunningChild, ms: number): Promise<Probe> {
  type Cpu = { usage: NodeJS.CpuUsage };
  const before = await ask<Cpu>(child.child, { type: 'cpu' });
  const t0 = Date.now();
  await sleep(ms);
  const pingStart = Date.now();
  await ask(child.child, { type: 'ping' });
  const pingMs = Date.now() - pingStart;
  const after = await ask<Cpu>(child.child, { type: 'cpu' });
  const used = after.usage.user - before.usage.user + after.usage.system - before.usage.system;
  return { cpuShare: used / 1000 / (Date.now() - t0), pingMs };
}

async function stop(child: RunningChild): Promise<number> {
  const { lastSeq } = await ask<{ lastSeq: number }>(child.child, { type: 'stop' });
  const result = await child.done;
  expect(result.code).toBe(0);
  return lastSeq;
}

/**
 * A writer on `logs/app.log` (1 s periods) while the folder cannot be opened: waits for the report,
 * probes the child for 2 s (the fault crosses period boundaries), calls `clear`, waits for writing to
 * resume, and stops the child.
 */
async function whileFolderCannotOpen(
  logs: string,
  clear: () => void,
): Promise<{ stderr: string; during: Probe; lastSeq: number }> {
  const child = startFixture('fault-writer.js', {
    file: path.join(logs, 'app.log'),
    options: { frequency: 1000 },
    ...WRITER,
  });
  expect(await waitFor(() => /cannot open/.test(child.stderr()), 10_000)).toBe(true);
  const during = await probe(child, 2000);
  clear();
  expect(await waitFor(() => /writing again/.test(child.stderr()), 5000)).toBe(true);
  await sleep(300);
  const lastSeq = await stop(child);
  return { stderr: child.stderr(), during, lastSeq };
}

function seqsOf(lines: LineOnDisk[]): number[] {
  return lines.map((l) => l.record?.seq).filter((s): s is number => typeof s === 'number');
}

/** Every line valid JSON, and the seqs exactly 0..lastSeq in order. */
function expectAllInOrder(lines: LineOnDisk[], lastSeq: number): void {
  expect(lines.filter((l) => l.record === undefined).map((l) => `${l.file}: ${l.text.slice(0, 80)}`)).toEqual(
    [],
  );
  const seqs = seqsOf(lines);
  expect(missingRanges(seqs, lastSeq + 1)).toBe('');
  expect(seqs.length).toBe(lastSeq + 1);
  expect(seqs.every((seq, i) => seq === i)).toBe(true);
}

const count = (messages: string[], pattern: RegExp): number => messages.filter((m) => pattern.test(m)).length;

/**
 * The fault was reported once, its end once, nothing else; the app kept serving without spinning;
 * every record is on disk once, in order.
 */
function expectRecoveredOnce(
  stderr: string,
  cause: RegExp,
  during: Probe,
  logs: string,
  lastSeq: number,
  fault: string,
): void {
  const messages = transportMessages(stderr);
  expect(count(messages, cause)).toBe(1);
  expect(count(messages, /writing again/)).toBe(1);
  expect(messages).toHaveLength(2);
  expect(during.cpuShare).toBeLessThan(MAX_CPU_DURING_FAULT);
  expect(during.pingMs).toBeLessThan(1000);
  expectAllInOrder(linesOnDisk(logs, 'app.log.'), lastSeq);
  reportFigures('fault', { fault, lines: lastSeq + 1, lost: 0, messages: messages.length, ...during });
}

describe('faults in the log folder', () => {
  mountTest(
    `read-only folder (tmpfs remounted ro, EROFS even for root), cleared after ~3 s${mountNote}`,
    async () => {
      // Prepare
      const logs = path.join(tempDir('ro'), 'logs');
      fs.mkdirSync(logs);
      mountTmpfs(logs, '16m');
      mountCommand(['-o', 'remount,ro', logs]);
      // Act: the fault lasts, crossing period boundaries; then it clears.
      const { stderr, during, lastSeq } = await whileFolderCannotOpen(logs, () =>
        mountCommand(['-o', 'remount,rw', logs]),
      );

      // Assess
      expectRecoveredOnce(stderr, /cannot open .*EROFS|read-only/, during, logs, lastSeq, 'read-only');
    },
    HEAVY_TIMEOUT_MS,
  );

  test(
    'blocked folder (the folder path is a file: ENOTDIR/EEXIST, root cannot bypass it), cleared after ~3 s',
    async () => {
      const logs = path.join(tempDir('blocked'), 'logs');
      fs.writeFileSync(logs, 'not a folder');
      const { stderr, during, lastSeq } = await whileFolderCannotOpen(logs, () => fs.unlinkSync(logs));

      expectRecoveredOnce(stderr, /cannot open/, during, logs, lastSeq, 'blocked folder');
    },
    HEAVY_TIMEOUT_MS,
  );

  test(
    'folder deleted while a file is open (hourly, so only the 1 s retry brings it back): recreated, writing resumes, the window is measured',
    async () => {
      const logs = path.join(tempDir('deleted'), 'logs');
      const child = startFixture('fault-writer.js', {
        file: path.join(logs, 'app.log'),
        options: {},
        ...WRITER,
      });
      expect(await waitFor(() => familyFiles(logs, 'app.log.').length > 0, 10_000)).toBe(true);
      await sleep(500);
      // Keep the open file readable after the delete, as a tailing agent would.
      const [name] = familyFiles(logs, 'app.log.');
      const oldFd = fs.openSync(path.join(logs, name), 'r');
      const sizeAtDelete = fs.fstatSync(oldFd).size;
      fs.rmSync(logs, { recursive: true });
      const deletedAt = Date.now();
      const during = await probe(child, 500);
      expect(await waitFor(() => familyFiles(logs, 'app.log.').length > 0, 5000)).toBe(true);
      const recreatedAfterMs = Date.now() - deletedAt;
      await sleep(500);
      const lastSeq = await stop(child);

      // The deleted inode (what an agent that had it open could still read) plus the new file.
      const oldText = fs.readFileSync(oldFd, 'utf8');
      fs.closeSync(oldFd);
      const oldLines = oldText
        .split('\n')
        .filter((t) => t !== '')
        .map((text): LineOnDisk => ({ file: `${name} (deleted)`, text, record: JSON.parse(text) }));
      const newLines = linesOnDisk(logs, 'app.log.');
      expectAllInOrder([...oldLines, ...newLines], lastSeq);
      const messages = transportMessages(child.stderr());
      expect(count(messages, /was deleted while being written/)).toBe(1);
      expect(count(messages, /created again/)).toBe(1);
      expect(recreatedAfterMs).toBeLessThan(2500);
      expect(during.cpuShare).toBeLessThan(MAX_CPU_DURING_FAULT);
      // Lines written into the deleted file after the delete: gone for anyone who did not hold it open.
      const linesIntoDeletedFile = oldText.slice(sizeAtDelete).split('\n').length - 1;
      reportFigures('fault', {
        fault: 'folder deleted',
        lines: lastSeq + 1,
        recreatedAfterMs,
        linesIntoDeletedFile,
        ...during,
      });
    },
    HEAVY_TIMEOUT_MS,
  );
});

/**
 * Full disk: a 256 KiB tmpfs fills; the kernel accepts part of a write (a short write that ends inside
 * a line) and refuses the rest with ENOSPC. The fault lasts across period boundaries, then clears.
 */
describe(`full filesystem (256 KiB tmpfs, ENOSPC with short writes) across period boundaries${mountNote}`, () => {
  let outcome: { lines: LineOnDisk[]; lastSeq: number; messages: string[]; during: Probe } | undefined;

  beforeAll(async () => {
    if (!MOUNT) return;
    const logs = path.join(tempDir('full'), 'logs');
    fs.mkdirSync(logs);
    mountTmpfs(logs, '256k');
    const child = startFixture('fault-writer.js', {
      file: path.join(logs, 'app.log'),
      options: { frequency: 1000 },
      ...WRITER,
    });
    await waitFor(() => /cannot write/.test(child.stderr()), 15_000);
    const during = await probe(child, 2500);
    mountCommand(['-o', 'remount,size=64m', logs]);
    await waitFor(() => /writing to .* again/.test(child.stderr()), 5000);
    await sleep(300);
    const lastSeq = await stop(child);
    const lines = linesOnDisk(logs, 'app.log.');
    const messages = transportMessages(child.stderr());
    outcome = { lines, lastSeq, messages, during };
    reportFigures('fault', {
      fault: 'full filesystem',
      lines: lastSeq + 1,
      files: familyFiles(logs, 'app.log.').length,
      invalidLines: lines.filter((l) => l.record === undefined).length,
      lost: lastSeq + 1 - seqsOf(lines).length,
      messages: messages.length,
      ...during,
    });
  }, HEAVY_TIMEOUT_MS);

  mountTest(
    'the app keeps serving, the cause is reported once, no spin, writing resumes with the kept lines',
    () => {
      const { lines, lastSeq, messages, during } = outcome!;
      expect(count(messages, /cannot write .*(ENOSPC|no space)/i)).toBe(1);
      expect(count(messages, /writing to .* again/)).toBe(1);
      expect(during.cpuShare).toBeLessThan(MAX_CPU_DURING_FAULT);
      expect(during.pingMs).toBeLessThan(1000);
      // Every record but the ones torn (see the next test) is there, once, in order.
      const seqs = seqsOf(lines);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true);
      const invalid = lines.filter((l) => l.record === undefined).length;
      expect(lastSeq + 1 - seqs.length).toBeLessThanOrEqual(invalid);
    },
  );

  // Regression (pino-cloudwatch-file, rotating-file.ts, fixed): a short write under ENOSPC leaves the head of a line
  // at the end of the period's file; when the period ends before the disk takes the rest,
  // closeCurrent() carries the backlog — starting with the line's tail — into the next file. Both
  // halves are invalid JSON and the record is lost.
  (MOUNT ? test : test.skip)(
    'no line is torn: every line on disk is valid JSON, every record present',
    () => {
      const { lines, lastSeq } = outcome!;
      expectAllInOrder(lines, lastSeq);
    },
  );
});
