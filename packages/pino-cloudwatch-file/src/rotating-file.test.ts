import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateOptions, type CloudWatchFileOptions } from './options';
import { Reporter } from './reporter';
import { MIN_NEWEST_MS, QUIET_MS } from './quiet-gap';
import { NEAR_END_MS, NEXT_FILE_CHECK_MS, RotatingFile } from './rotating-file';
import { STAGING_DIR } from './staging';
import { STALE_STAGING_MS } from './stale-staging';
import { UNCLAIMED_MS as LEFTOVER_MS } from './unclaimed-files';
import { fullDiskAt } from './test-helpers/test-full-file';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 11, 13, 12, 0, 0, 0);

interface Rig {
  dir: string;
  file: RotatingFile;
  clock: { now: number };
  messages: string[];
  /** Writes records as the transport does: rotate for the record's time, then write. */
  log(time: number, text: string): void;
  lines(name: string): string[];
  /** Files in the log folder (the staging folder left out). */
  names(): string[];
  /** Files waiting in the staging folder. */
  staged(): string[];
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function rig(options: Partial<CloudWatchFileOptions> = {}, start = T0 + 10 * 60_000): Rig {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-rot-'));
  dirs.push(dir);
  const clock = { now: start };
  const messages: string[] = [];
  const settings = validateOptions({
    file: path.join(dir, 'app.log'),
    app: 'a',
    now: () => clock.now,
    ...options,
  });
  const file = new RotatingFile(settings, new Reporter((text) => messages.push(text)), {
    wall: () => clock.now,
    monotonic: () => clock.now,
    fileTime: () => Date.now(),
  });
  return {
    dir,
    file,
    clock,
    messages,
    log(time, text) {
      if (file.startsNewFile(time)) file.rotateFor(time);
      file.write(Buffer.from(`${text}\n`));
    },
    lines: (name) => fs.readFileSync(path.join(dir, name), 'utf8').split('\n').slice(0, -1),
    names: () =>
      fs
        .readdirSync(dir)
        .filter((n) => n !== STAGING_DIR)
        .sort(),
    staged: () => {
      try {
        return fs.readdirSync(path.join(dir, STAGING_DIR)).sort();
      } catch {
        return [];
      }
    },
  };
}

/** Paths this process has open, read from /proc (Linux). */
function openPaths(): string[] {
  const fdDir = '/proc/self/fd';
  return fs.readdirSync(fdDir).flatMap((fd) => {
    try {
      return [fs.readlinkSync(path.join(fdDir, fd))];
    } catch {
      return [];
    }
  });
}

describe('RotatingFile', () => {
  afterEach(() => jest.useRealTimers());

  test('creates no file before the first record', () => {
    const r = rig();
    expect(r.names()).toEqual([]);
    r.log(r.clock.now, 'first');
    expect(r.names()).toEqual(['app.log.2025-12-13_12']);
    r.file.close();
  });

  test('closes the old file, complete, before the next period file exists', () => {
    const r = rig();
    r.log(T0 + 1000, 'a1');
    r.log(T0 + 2000, 'a2');
    const oldPath = path.join(r.dir, 'app.log.2025-12-13_12');
    expect(openPaths()).toContain(oldPath);
    r.clock.now = T0 + HOUR + 1000; // past the guard band
    r.log(T0 + HOUR + 1000, 'b1');
    expect(r.lines('app.log.2025-12-13_12')).toEqual(['a1', 'a2']);
    expect(openPaths()).not.toContain(oldPath);
    expect(openPaths()).toContain(path.join(r.dir, 'app.log.2025-12-13_13'));
    r.file.close();
    expect(openPaths()).not.toContain(path.join(r.dir, 'app.log.2025-12-13_13'));
  });

  test('writes a late record into the open file, never reopening a closed one', () => {
    const r = rig();
    r.log(T0 + 1000, 'a');
    r.clock.now = T0 + HOUR + 5;
    r.log(T0 + HOUR + 5, 'b');
    r.log(T0 + HOUR - 1, 'late');
    r.file.close();
    expect(r.lines('app.log.2025-12-13_12')).toEqual(['a']);
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['b', 'late']);
  });

  test('puts a record from a period that is over by the clock into the current one, creating no old file', () => {
    const r = rig({}, T0 + 3 * HOUR);
    r.log(T0, 'from an hour already gone');
    r.file.close();
    expect(r.names()).toEqual(['app.log.2025-12-13_15']);
  });

  test('follows the record time ahead of the clock', () => {
    const r = rig();
    r.log(T0 + 2 * HOUR, 'future');
    r.log(T0 + 5, 'now, but late for the open file');
    r.file.close();
    expect(r.names()).toEqual(['app.log.2025-12-13_14']);
    expect(r.lines('app.log.2025-12-13_14')).toEqual(['future', 'now, but late for the open file']);
  });

  test('rotates by the clock before writing, even inside a batch of old records', () => {
    const r = rig();
    r.log(T0 + 1000, 'a');
    r.clock.now = T0 + HOUR + 1;
    // No rotateFor: the record time is still inside the open period, but the clock is not.
    r.file.write(Buffer.from('written after the boundary\n'));
    r.file.close();
    expect(r.lines('app.log.2025-12-13_12')).toEqual(['a']);
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['written after the boundary']);
  });

  test('closes the open file at the period end when no record comes', async () => {
    const r = rig({ frequency: 1000, allowShortFrequency: true }, T0 + 200);
    r.log(T0 + 200, 'only');
    const openFile = path.join(r.dir, 'app.log.2025-12-13_12-00-00');
    expect(openPaths()).toContain(openFile);
    r.clock.now = T0 + 1000;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(openPaths()).not.toContain(openFile);
    expect(r.names()).toEqual(['app.log.2025-12-13_12-00-00']);
    r.file.close();
  });

  test('after a clock step back following a close, appends to the newest file, never an older name', () => {
    const r2 = rig();
    r2.log(T0 + 2 * HOUR, 'c'); // opens _14
    r2.clock.now = T0 + 3 * HOUR;
    r2.log(T0 + 3 * HOUR, 'd'); // closes _14, opens _15
    r2.clock.now = T0 + HOUR; // clock back two hours
    r2.log(T0 + HOUR, 'e');
    r2.file.close();
    expect(r2.names()).toEqual(['app.log.2025-12-13_14', 'app.log.2025-12-13_15']);
    expect(r2.lines('app.log.2025-12-13_15')).toEqual(['d', 'e']);
  });

  test("quiet gap: the next file appears only QUIET_MS after the boundary and the old file's last write; its first lines wait in staging", () => {
    const r = rig();
    r.log(T0 + 1000, 'old');
    r.clock.now = T0 + HOUR - 100;
    r.log(T0 + HOUR - 100, 'old, last');
    r.clock.now = T0 + HOUR + 10;
    r.log(T0 + HOUR + 10, 'new, inside the gap');
    // The old file is finished and closed; the new one is not visible under its name yet.
    expect(r.names()).toEqual(['app.log.2025-12-13_12']);
    expect(r.staged()).toEqual([expect.stringMatching(/^app\.log\.2025-12-13_13\.\d+-[0-9a-f]+$/)]);
    expect(openPaths()).not.toContain(path.join(r.dir, 'app.log.2025-12-13_12'));
    r.clock.now = T0 + HOUR + QUIET_MS - 1;
    r.log(r.clock.now, 'new, still inside');
    expect(r.names()).toEqual(['app.log.2025-12-13_12']);
    r.clock.now = T0 + HOUR + QUIET_MS;
    r.log(r.clock.now, 'new, after it');
    expect(r.names()).toEqual(['app.log.2025-12-13_12', 'app.log.2025-12-13_13']);
    expect(r.staged()).toEqual([]);
    expect(fs.existsSync(path.join(r.dir, STAGING_DIR))).toBe(false);
    r.file.close();
    expect(r.lines('app.log.2025-12-13_13')).toEqual([
      'new, inside the gap',
      'new, still inside',
      'new, after it',
    ]);
  });

  test("quiet gap: counts from the old file's last write when it was written after the boundary", () => {
    const r = rig();
    r.log(T0 + 1000, 'old');
    r.clock.now = T0 + HOUR + 300;
    // A record of the old period written late: it goes to the open (old) file's successor in staging…
    r.log(T0 + HOUR + 300, 'new');
    r.clock.now = T0 + HOUR + QUIET_MS;
    r.log(r.clock.now, 'new 2');
    // …and the old file's last write was at T0 + 1000, the boundary gap decides: placed at +500.
    expect(r.names()).toEqual(['app.log.2025-12-13_12', 'app.log.2025-12-13_13']);
    r.file.close();
  });

  test("another process wrote the old file after this one: the gap counts from the file's own time, not this process's last write", () => {
    const r = rig();
    r.log(T0 + 1000, 'mine');
    r.clock.now = T0 + HOUR - 10 * QUIET_MS;
    fs.appendFileSync(path.join(r.dir, 'app.log.2025-12-13_12'), 'another process, just now (real clock)\n');
    r.clock.now = T0 + HOUR + 10 * QUIET_MS; // by this process's own writes the gap is long over
    r.log(r.clock.now, 'new');
    expect(r.names()).toEqual(['app.log.2025-12-13_12']);
    expect(r.staged()).toHaveLength(1);
    r.file.close(); // waits for the real-clock gap, then places
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['new']);
  });

  test('a file stays the newest for MIN_NEWEST_MS before a newer one appears (a scan must find it)', () => {
    const r = rig({}, T0 + HOUR - 100);
    r.log(r.clock.now, 'created just before the boundary');
    r.clock.now = T0 + HOUR + QUIET_MS + 100;
    r.log(r.clock.now, 'next period');
    expect(r.names()).toEqual(['app.log.2025-12-13_12']);
    r.clock.now = T0 + HOUR - 100 + MIN_NEWEST_MS - 1;
    r.log(r.clock.now, 'still waiting');
    expect(r.names()).toEqual(['app.log.2025-12-13_12']);
    r.clock.now = T0 + HOUR - 100 + MIN_NEWEST_MS;
    r.log(r.clock.now, 'placed');
    expect(r.names()).toEqual(['app.log.2025-12-13_12', 'app.log.2025-12-13_13']);
    r.file.close();
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['next period', 'still waiting', 'placed']);
  });

  test("short periods: a file waiting longer than its period takes the clock's name; no record lands in an older file", () => {
    const S = T0 + 10_000;
    const r = rig({ frequency: 1000, allowShortFrequency: true }, S + 300);
    const placedAt = new Map<string, number>();
    const names = new Set<string>();
    for (let t = S + 300; t < S + 12_000; t += 50) {
      r.clock.now = t;
      r.log(t, `t=${t}`);
      for (const name of r.names()) {
        if (names.has(name)) continue;
        names.add(name);
        placedAt.set(name, t);
      }
    }
    r.file.close();
    const order = [...placedAt.entries()];
    for (let i = 1; i < order.length; i++) {
      expect(order[i][1] - order[i - 1][1]).toBeGreaterThanOrEqual(MIN_NEWEST_MS);
      expect(order[i][0] > order[i - 1][0]).toBe(true);
    }
    let count = 0;
    for (const name of r.names()) {
      const fileStart = Date.parse(`${name.slice(8, 18)}T${name.slice(19).replace(/-/g, ':')}Z`);
      for (const line of r.lines(name)) {
        count++;
        // A record is in its own period's file or a later one (late), never an earlier one.
        expect(Number(line.slice(2))).toBeLessThan(fileStart + 1000);
      }
    }
    expect(count).toBe((S + 12_000 - (S + 300)) / 50);
    expect(order.length).toBeGreaterThanOrEqual(6);
  });

  test('the gap does not hold memory: lines of the gap go to the staging file, none dropped under a small cap', () => {
    const r = rig({ maxBufferedBytes: 2000 });
    r.log(T0 + 1000, 'old');
    r.clock.now = T0 + HOUR + 10;
    for (let i = 0; i < 100; i++) r.log(T0 + HOUR + 10, `line ${i} ${'x'.repeat(40)}`);
    expect(r.file.dropped).toBe(0);
    expect(r.names()).toEqual(['app.log.2025-12-13_12']);
    r.clock.now = T0 + HOUR + QUIET_MS;
    r.file.retryNow();
    expect(r.lines('app.log.2025-12-13_13')).toHaveLength(100);
    expect(r.messages.join('')).not.toMatch(/dropping/);
    r.file.close();
  });

  test('closing inside the gap waits for the rest of it, then puts the lines in place', () => {
    const r = rig();
    r.log(T0 + HOUR - 100, 'old');
    r.clock.now = T0 + HOUR + 10;
    r.log(T0 + HOUR + 10, 'held');
    expect(r.names()).toEqual(['app.log.2025-12-13_12']);
    const started = Date.now();
    r.file.close();
    const waited = Date.now() - started;
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['held']);
    expect(r.staged()).toEqual([]);
    expect(waited).toBeGreaterThanOrEqual(QUIET_MS - 10 - 15);
    expect(waited).toBeLessThan(QUIET_MS + 400);
  });

  test('evidence from the files: after a restart, waits QUIET_MS after the last write another process made (real clock)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-rot-'));
    dirs.push(dir);
    const now = Date.now();
    const period = Math.floor(now / HOUR) * HOUR;
    const previous = new Date(period - HOUR).toISOString().slice(0, 13).replace('T', '_');
    const current = new Date(period).toISOString().slice(0, 13).replace('T', '_');
    fs.writeFileSync(path.join(dir, `app.log.${previous}`), 'written by the process before\n');
    const file = new RotatingFile(validateOptions({ file: path.join(dir, 'app.log'), app: 'a' }));
    file.rotateFor(now);
    file.write(Buffer.from('first line of this run\n'));
    expect(fs.existsSync(path.join(dir, `app.log.${current}`))).toBe(false);
    // The placement timer does it once the old file has been quiet for QUIET_MS and there for MIN_NEWEST_MS.
    const deadline = Date.now() + MIN_NEWEST_MS + 1000;
    while (!fs.existsSync(path.join(dir, `app.log.${current}`)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const placedAfter = Date.now() - now;
    expect(placedAfter).toBeGreaterThanOrEqual(MIN_NEWEST_MS - 50);
    file.close();
    expect(fs.readFileSync(path.join(dir, `app.log.${current}`), 'utf8')).toBe('first line of this run\n');
  });

  test("another process put the period's file in place first: the staged lines are added to it", () => {
    const r = rig();
    r.log(T0 + HOUR - 100, 'old');
    r.clock.now = T0 + HOUR + 10;
    r.log(r.clock.now, 'mine, staged');
    fs.writeFileSync(path.join(r.dir, 'app.log.2025-12-13_13'), 'from another process\n');
    r.clock.now = T0 + HOUR + QUIET_MS;
    r.log(r.clock.now, 'mine, after');
    expect(r.staged()).toEqual([]);
    r.file.close();
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['from another process', 'mine, staged', 'mine, after']);
  });

  test('a staging file left by a writer that died is written at the next start, and removed', () => {
    const r0 = rig();
    const stagingDir = path.join(r0.dir, STAGING_DIR);
    fs.mkdirSync(stagingDir);
    const leftover = path.join(stagingDir, 'app.log.2025-12-13_12.4242-0badf00d');
    fs.writeFileSync(leftover, 'left behind 1\nleft behind 2\n');
    const old = (Date.now() - STALE_STAGING_MS - 1000) / 1000;
    fs.utimesSync(leftover, old, old);
    fs.writeFileSync(path.join(stagingDir, 'worker.log.2025-12-13_12.4242-0badf00d'), 'another family\n');
    fs.utimesSync(path.join(stagingDir, 'worker.log.2025-12-13_12.4242-0badf00d'), old, old);
    const messages: string[] = [];
    const file = new RotatingFile(
      validateOptions({ file: path.join(r0.dir, 'app.log'), app: 'a', now: () => r0.clock.now }),
      new Reporter((text) => messages.push(text)),
    );
    file.rotateFor(r0.clock.now);
    file.write(Buffer.from('new run\n'));
    file.close();
    expect(r0.lines('app.log.2025-12-13_12')).toEqual(['left behind 1', 'left behind 2', 'new run']);
    expect(fs.readdirSync(stagingDir)).toEqual(['worker.log.2025-12-13_12.4242-0badf00d']);
    expect(messages.join('')).toMatch(/wrote 2 line\(s\) left in .* by a writer that stopped/);
  });

  test('a staging file still changing may belong to a live writer: it is left alone', () => {
    const r = rig();
    const stagingDir = path.join(r.dir, STAGING_DIR);
    fs.mkdirSync(stagingDir);
    fs.writeFileSync(path.join(stagingDir, 'app.log.2025-12-13_12.4242-0badf00d'), 'live\n');
    r.log(r.clock.now, 'mine');
    r.file.close();
    expect(r.lines('app.log.2025-12-13_12')).toEqual(['mine']);
    expect(r.staged()).toEqual(['app.log.2025-12-13_12.4242-0badf00d']);
  });

  test('says once when older files stay on disk long after a newer one appeared, and when they are gone', () => {
    const r = rig();
    r.log(r.clock.now, 'current');
    // Files the agent never collected (it was down when they were the newest).
    for (const name of ['app.log.2025-12-13_09', 'app.log.2025-12-13_10']) {
      fs.writeFileSync(path.join(r.dir, name), 'x\n');
    }
    r.clock.now = T0 + HOUR + 5 * 60_000;
    r.log(r.clock.now, 'next hour');
    r.clock.now += LEFTOVER_MS - 1;
    r.file.retryNow();
    expect(r.messages.join('')).not.toMatch(/still on disk/);
    r.clock.now += LEFTOVER_MS / 10;
    r.file.retryNow();
    const reports = r.messages.filter((m) => m.includes('still on disk'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/3 older file\(s\) of .*app\.log\.\* .* \(oldest: app\.log\.2025-12-13_09\)/);
    expect(reports[0]).toMatch(/check that the agent is running/);
    for (const name of ['app.log.2025-12-13_09', 'app.log.2025-12-13_10', 'app.log.2025-12-13_12'])
      fs.rmSync(path.join(r.dir, name));
    r.clock.now = T0 + 2 * HOUR + 1000;
    r.log(r.clock.now, 'hour after');
    r.file.retryNow();
    expect(r.messages.filter((m) => m.includes('still on disk'))).toHaveLength(1);
    expect(r.messages.at(-1)).toMatch(/older files of .* are gone/);
    r.file.close();
  });

  test('opens the next period file at once when another process already created it', () => {
    const r = rig();
    r.log(T0 + 1000, 'old');
    fs.writeFileSync(path.join(r.dir, 'app.log.2025-12-13_13'), 'from another process\n');
    r.clock.now = T0 + HOUR + 10;
    r.log(T0 + HOUR + 10, 'mine');
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['from another process', 'mine']);
    r.file.close();
  });

  test('near the end of the period, stops writing the old file on the first write after another process created the next', () => {
    const r = rig({}, T0 + HOUR - NEAR_END_MS);
    r.log(r.clock.now, 'old');
    fs.writeFileSync(path.join(r.dir, 'app.log.2025-12-13_13'), 'from another process\n');
    // Same clock reading as the last check: only the window near the end makes this write look.
    r.log(r.clock.now, 'mine, late');
    r.file.close();
    expect(r.lines('app.log.2025-12-13_12')).toEqual(['old']);
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['from another process', 'mine, late']);
  });

  test('earlier in the period, notices a next file created by a clock far ahead within NEXT_FILE_CHECK_MS', () => {
    const r = rig();
    r.log(r.clock.now, 'old');
    fs.writeFileSync(path.join(r.dir, 'app.log.2025-12-13_13'), 'from a clock far ahead\n');
    r.log(r.clock.now, 'same moment'); // checked a moment ago: the stat call is skipped
    r.clock.now += NEXT_FILE_CHECK_MS;
    r.log(r.clock.now, 'a check later');
    r.file.close();
    expect(r.lines('app.log.2025-12-13_12')).toEqual(['old', 'same moment']);
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['from a clock far ahead', 'a check later']);
  });

  test('checks again at once when the clock went back', () => {
    const r = rig();
    r.log(r.clock.now, 'old');
    fs.writeFileSync(path.join(r.dir, 'app.log.2025-12-13_13'), 'from another process\n');
    r.clock.now -= 60_000;
    r.log(r.clock.now, 'after the clock stepped back');
    r.file.close();
    expect(r.lines('app.log.2025-12-13_12')).toEqual(['old']);
  });

  test('creates a file again when it was deleted while open', () => {
    const r = rig();
    r.log(T0 + 1000, 'before');
    fs.rmSync(r.dir, { recursive: true });
    r.file.retryNow();
    r.log(T0 + 2000, 'after');
    r.file.close();
    expect(r.lines('app.log.2025-12-13_12')).toEqual(['after']);
    expect(r.messages.join('')).toMatch(/was deleted while being written/);
  });

  test('keeps lines while the folder cannot be used, reports once, writes them in order when it can', () => {
    const r = rig({ mkdir: false });
    const blocked = path.join(r.dir, 'logs');
    fs.writeFileSync(blocked, 'a file where the folder should be');
    const settings = validateOptions({
      file: path.join(blocked, 'app.log'),
      app: 'a',
      now: () => r.clock.now,
      mkdir: true,
    });
    const messages: string[] = [];
    const file = new RotatingFile(settings, new Reporter((text) => messages.push(text)));
    for (const text of ['one', 'two', 'three']) file.write(Buffer.from(`${text}\n`));
    expect(messages.filter((m) => m.includes('cannot open'))).toHaveLength(1);
    expect(messages[0]).toMatch(/ENOTDIR|EEXIST/);

    fs.rmSync(blocked);
    file.retryNow();
    file.write(Buffer.from('four\n'));
    file.close();
    expect(fs.readFileSync(path.join(blocked, 'app.log.2025-12-13_12'), 'utf8')).toBe(
      'one\ntwo\nthree\nfour\n',
    );
    expect(messages.some((m) => m.includes('writing again'))).toBe(true);
  });

  test('on a full disk reports once, caps the memory it holds, and counts what it drops', () => {
    const r = rig({ maxBufferedBytes: 1000 });
    const unmount = fullDiskAt(path.join(r.dir, 'app.log.2025-12-13_12'));
    if (unmount === undefined) return console.warn('mount --bind is not allowed here (needs root): skipped');
    try {
      for (let i = 0; i < 100; i++) r.log(T0 + 1000, `line ${i} ${'x'.repeat(40)}`);
      expect(r.messages.filter((m) => m.includes('ENOSPC'))).toHaveLength(1);
      expect(r.messages.filter((m) => m.includes('dropping lines'))).toHaveLength(1);
      expect(r.file.dropped).toBeGreaterThan(70);
      r.file.close();
      expect(r.messages.at(-1)).toMatch(/100 line\(s\) could not be written/);
    } finally {
      unmount();
    }
  });

  test('never throws into the caller when writes fail', () => {
    const r = rig();
    const unmount = fullDiskAt(path.join(r.dir, 'app.log.2025-12-13_12'));
    if (unmount === undefined) return console.warn('mount --bind is not allowed here (needs root): skipped');
    try {
      expect(() => {
        r.log(T0 + 1000, 'x');
        r.file.retryNow();
        r.file.close();
      }).not.toThrow();
      expect(r.messages.join('')).toMatch(/ENOSPC/);
    } finally {
      unmount();
    }
  });

  test('never writes through a symbolic link planted under a period file name: the link is removed, reported once, the target untouched', () => {
    const r = rig();
    const target = path.join(r.dir, 'elsewhere.txt');
    fs.writeFileSync(target, 'precious\n');
    const dangling = path.join(r.dir, 'not-there.txt');
    fs.symlinkSync(target, path.join(r.dir, 'app.log.2025-12-13_12'));
    fs.symlinkSync(dangling, path.join(r.dir, 'app.log.2025-12-13_13'));
    r.log(T0 + 1000, 'mine');
    r.log(T0 + 2000, 'mine too');
    r.clock.now = T0 + HOUR + QUIET_MS;
    r.log(r.clock.now, 'next hour');
    r.file.close();
    expect(fs.readFileSync(target, 'utf8')).toBe('precious\n');
    expect(fs.existsSync(dangling)).toBe(false);
    expect(fs.lstatSync(path.join(r.dir, 'app.log.2025-12-13_12')).isFile()).toBe(true);
    expect(r.lines('app.log.2025-12-13_12')).toEqual(['mine', 'mine too']);
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['next hour']);
    expect(r.messages.filter((m) => m.includes('is a symbolic link'))).toHaveLength(2);
  });

  test('a symbolic link planted under the name a staged file is placed at is removed, and the file placed there', () => {
    const r = rig();
    const dangling = path.join(r.dir, 'not-there.txt');
    r.log(T0 + HOUR - 100, 'old');
    r.clock.now = T0 + HOUR + 10;
    r.log(r.clock.now, 'staged'); // inside the quiet gap: into .staging
    fs.symlinkSync(dangling, path.join(r.dir, 'app.log.2025-12-13_13'));
    r.file.close(); // waits for the gap, then places the file
    expect(fs.existsSync(dangling)).toBe(false);
    expect(fs.lstatSync(path.join(r.dir, 'app.log.2025-12-13_13')).isFile()).toBe(true);
    expect(r.lines('app.log.2025-12-13_12')).toEqual(['old']);
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['staged']);
    expect(r.messages.filter((m) => m.includes('is a symbolic link'))).toHaveLength(1);
  });

  test('a symbolic link planted as the staging folder is replaced by a folder', () => {
    const r = rig();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-elsewhere-'));
    dirs.push(elsewhere);
    r.log(T0 + HOUR - 100, 'old');
    fs.symlinkSync(elsewhere, path.join(r.dir, STAGING_DIR));
    r.clock.now = T0 + HOUR + 10;
    r.log(r.clock.now, 'staged');
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    r.file.close();
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['staged']);
    expect(r.messages.join('')).toMatch(/\.staging is a symbolic link/);
  });

  test('a folder that cannot be made (under /proc) is reported, never hangs', () => {
    if (!fs.existsSync('/proc/self')) return console.warn('no /proc here: skipped');
    const messages: string[] = [];
    const file = new RotatingFile(
      validateOptions({ file: '/proc/no-such-folder/app.log', app: 'a' }),
      new Reporter((text) => messages.push(text)),
    );
    file.write(Buffer.from('x\n'));
    file.close();
    expect(messages.join('')).toMatch(/cannot open \/proc\/no-such-folder\/app\.log/);
  });
});
