import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateOptions, type CloudWatchFileOptions } from './options';
import { Reporter } from './reporter';
import { NEAR_END_MS, NEXT_FILE_CHECK_MS, RotatingFile } from './rotating-file';

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
  names(): string[];
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
  const file = new RotatingFile(settings, new Reporter((text) => messages.push(text)));
  return {
    dir,
    file,
    clock,
    messages,
    log(time, text) {
      if (time >= file.currentEnd) file.rotateFor(time);
      file.write(Buffer.from(`${text}\n`));
    },
    lines: (name) => fs.readFileSync(path.join(dir, name), 'utf8').split('\n').slice(0, -1),
    names: () => fs.readdirSync(dir).sort(),
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

  test('creates the next period file only after the guard band, holding its first lines until then', () => {
    const r = rig();
    r.log(T0 + 1000, 'old');
    r.clock.now = T0 + HOUR + 10;
    r.log(T0 + HOUR + 10, 'new, inside the guard band');
    // The old file is finished and closed; the new one does not exist yet.
    expect(r.names()).toEqual(['app.log.2025-12-13_12']);
    expect(openPaths()).not.toContain(path.join(r.dir, 'app.log.2025-12-13_12'));
    r.clock.now = T0 + HOUR + 1000;
    r.log(T0 + HOUR + 1000, 'new, after it');
    r.file.close();
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['new, inside the guard band', 'new, after it']);
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

  test('opens early rather than drop lines when the guard band holds half the memory cap', () => {
    const r = rig({ maxBufferedBytes: 2000 });
    r.clock.now = T0 + HOUR + 10;
    for (let i = 0; i < 100; i++) r.log(T0 + HOUR + 10, `line ${i} ${'x'.repeat(40)}`);
    expect(r.file.dropped).toBe(0);
    expect(r.lines('app.log.2025-12-13_13')).toHaveLength(100);
    expect(r.messages.join('')).not.toMatch(/dropping/);
    r.file.close();
  });

  test('writes lines held by the guard band when closed inside it', () => {
    const r = rig();
    r.clock.now = T0 + HOUR + 10;
    r.log(T0 + HOUR + 10, 'held');
    expect(r.names()).toEqual([]);
    r.file.close();
    expect(r.lines('app.log.2025-12-13_13')).toEqual(['held']);
  });

  test('creates a file again when it was deleted while open', () => {
    const r = rig();
    r.log(T0 + 1000, 'before');
    fs.rmSync(r.dir, { recursive: true });
    r.file.retry();
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
    file.retry();
    file.write(Buffer.from('four\n'));
    file.close();
    expect(fs.readFileSync(path.join(blocked, 'app.log.2025-12-13_12'), 'utf8')).toBe(
      'one\ntwo\nthree\nfour\n',
    );
    expect(messages.some((m) => m.includes('writing again'))).toBe(true);
  });

  test('on a full disk reports once, caps the memory it holds, and counts what it drops', () => {
    const r = rig({ maxBufferedBytes: 1000 });
    fs.symlinkSync('/dev/full', path.join(r.dir, 'app.log.2025-12-13_12'));
    for (let i = 0; i < 100; i++) r.log(T0 + 1000, `line ${i} ${'x'.repeat(40)}`);
    expect(r.messages.filter((m) => m.includes('ENOSPC'))).toHaveLength(1);
    expect(r.messages.filter((m) => m.includes('dropping lines'))).toHaveLength(1);
    expect(r.file.dropped).toBeGreaterThan(70);
    r.file.close();
    expect(r.messages.at(-1)).toMatch(/100 line\(s\) could not be written/);
  });

  test('never throws into the caller when writes fail', () => {
    const r = rig();
    fs.symlinkSync('/dev/full', path.join(r.dir, 'app.log.2025-12-13_12'));
    expect(() => {
      r.log(T0 + 1000, 'x');
      r.file.retry();
      r.file.close();
    }).not.toThrow();
  });
});
