import {
  FILE_TIME_SLACK_MS,
  MIN_NEWEST_MS,
  QUIET_MS,
  quietGapLeft,
  type GapClocks,
  type NewestFile,
} from './quiet-gap';

const B = 1_765_630_800_000; // a period boundary
const REAL = 1_800_000_000_000; // the real clock, far from the settings clock as in tests with a fake one

/** The settings clock and the monotonic one agree (as in tests that drive both); the real one is REAL. */
const at = (now: number): GapClocks => ({ wall: now, elapsed: now, real: REAL });

describe('quietGapLeft', () => {
  test('no file of the family on disk: a new file may appear at once', () => {
    expect(quietGapLeft(B, undefined, at(B))).toBe(0);
  });

  test("own evidence: QUIET_MS after the boundary and after this process's last write", () => {
    const own: NewestFile = {
      mtimeMs: REAL - 60_000,
      ctimeMs: REAL - 60_000,
      own: { lastWriteAt: B - 1, visibleSince: B - 3_600_000 },
    };
    expect(quietGapLeft(B, own, at(B + 10))).toBe(QUIET_MS - 10);
    const wroteAfter: NewestFile = { ...own, own: { lastWriteAt: B + 300, visibleSince: B - 3_600_000 } };
    expect(quietGapLeft(B, wroteAfter, at(B + 310))).toBe(QUIET_MS - 10);
    expect(quietGapLeft(B, wroteAfter, at(B + 800))).toBe(0);
  });

  test('evidence from the file (another process, an earlier run): its modification time on the real clock', () => {
    const foreign: NewestFile = { mtimeMs: REAL - 100, ctimeMs: REAL - 100 };
    // The settings clock says the boundary is long past; the file was written 100 ms ago.
    expect(quietGapLeft(B, foreign, at(B + 60_000))).toBe(
      Math.max(QUIET_MS + FILE_TIME_SLACK_MS - 100, MIN_NEWEST_MS + FILE_TIME_SLACK_MS - 100),
    );
    const quietLongAgo: NewestFile = { mtimeMs: REAL - 10_000, ctimeMs: REAL - 10_000 };
    expect(quietGapLeft(B, quietLongAgo, at(B + 60_000))).toBeLessThanOrEqual(0);
  });

  test('a file must have been the newest for MIN_NEWEST_MS: the earliest upper bound of its appearance counts', () => {
    // Created by this process 100 ms before the boundary, not written since.
    const young: NewestFile = {
      mtimeMs: REAL,
      ctimeMs: REAL,
      own: { lastWriteAt: B - 100, visibleSince: B - 100 },
    };
    expect(quietGapLeft(B, young, at(B + QUIET_MS))).toBe(MIN_NEWEST_MS - 100 - QUIET_MS);
    // Changed just now by someone (ctime is recent), but this process has known it for an hour.
    const known: NewestFile = { mtimeMs: REAL - 5_000, ctimeMs: REAL, knownSince: B - 3_600_000 };
    expect(quietGapLeft(B, known, at(B + QUIET_MS))).toBeLessThanOrEqual(0);
    // Nobody here knows it: only its status-change time bounds when it appeared.
    const unknown: NewestFile = { mtimeMs: REAL - 5_000, ctimeMs: REAL - 200 };
    expect(quietGapLeft(B, unknown, at(B + QUIET_MS))).toBe(MIN_NEWEST_MS + FILE_TIME_SLACK_MS - 200);
  });

  test("a wall-clock step forward does not shorten the gap after this process's own write (monotonic clock)", () => {
    const own: NewestFile = { mtimeMs: REAL, ctimeMs: REAL, own: { lastWriteAt: 1000, visibleSince: 0 } };
    // The wall clock jumped three hours ahead 10 ms after the last write.
    expect(quietGapLeft(B, own, { wall: B + 3 * 3_600_000, elapsed: 1010, real: REAL })).toBe(QUIET_MS - 10);
  });

  test('the result is the largest of the three waits', () => {
    for (const [boundary, quiet, newest] of [
      [700, 10, 20],
      [10, 900, 20],
      [10, 20, 1400],
    ]) {
      const now = B + QUIET_MS - boundary;
      const evidence: NewestFile = {
        mtimeMs: REAL,
        ctimeMs: REAL,
        own: { lastWriteAt: now + quiet - QUIET_MS, visibleSince: now + newest - MIN_NEWEST_MS },
      };
      expect(quietGapLeft(B, evidence, at(now))).toBe(Math.max(boundary, quiet, newest));
    }
  });
});
