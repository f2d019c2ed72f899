import { DAY_MS, HOUR_MS } from './options';
import { parseSuffix, periodOf } from './period';
import { localOffsetMinutes, pinTimeZone, setTimeZone } from './test-helpers/test-time-zone';
import { periodsBetween, rotationViolations } from './test-helpers/test-period-walk';

// Each describe block below switches the zone in its beforeAll; this restores the worker's zone at the end.
pinTimeZone('UTC');

const MIN = 60_000;
const SEC = 1000;
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s, ms);

describe('periodOf in Paris local time', () => {
  beforeAll(() => setTimeZone('Europe/Paris'));

  const springDay = utc(2025, 3, 29, 23); // 2025-03-30 00:00 CET; 02:00 CET jumps to 03:00 CEST
  const fallDay = utc(2025, 10, 25, 22); // 2025-10-26 00:00 CEST; 03:00 CEST falls back to 02:00 CET

  it('runs in Paris time: +01:00 in winter, +02:00 in summer', () => {
    expect(localOffsetMinutes(utc(2025, 1, 15))).toBe(60);
    expect(localOffsetMinutes(utc(2025, 7, 15))).toBe(120);
  });

  it('names hours by Paris time', () => {
    expect(periodOf(utc(2025, 12, 13, 11, 30), HOUR_MS, 'hour', false)).toEqual({
      name: '2025-12-13_12',
      start: utc(2025, 12, 13, 11),
      end: utc(2025, 12, 13, 12),
    });
  });

  it('skips 02 in spring and makes 02 one two-hour period in autumn', () => {
    expect(periodOf(utc(2025, 3, 30, 1), HOUR_MS, 'hour', false)).toEqual({
      name: '2025-03-30_03',
      start: utc(2025, 3, 30, 1),
      end: utc(2025, 3, 30, 2),
    });
    const repeated = { name: '2025-10-26_02', start: utc(2025, 10, 26, 0), end: utc(2025, 10, 26, 2) };
    expect(periodOf(utc(2025, 10, 26, 0, 30), HOUR_MS, 'hour', false)).toEqual(repeated);
    expect(periodOf(utc(2025, 10, 26, 1, 30), HOUR_MS, 'hour', false)).toEqual(repeated);
  });

  it.each([
    ['spring', () => springDay],
    ['autumn', () => fallDay],
  ])('keeps every rotation guarantee around the %s transition (hourly and daily)', (_season, day) => {
    // Every 5 min (New York is walked minute by minute): each period's end is checked to the millisecond.
    const d = day();
    expect(rotationViolations(d, d + 25 * HOUR_MS, 5 * MIN, HOUR_MS, 'hour', false)).toEqual([]);
    expect(rotationViolations(d - 2 * DAY_MS, d + 2 * DAY_MS, HOUR_MS, DAY_MS, 'day', false)).toEqual([]);
  });

  it('keeps every rotation guarantee for 15 min and 30 s periods across the spring transition', () => {
    // 01:30 to 03:30 local time, every 10 s (the gap is 02:00-03:00 CET)
    for (const ms of [15 * MIN, 30 * SEC])
      expect(
        rotationViolations(springDay + 1.5 * HOUR_MS, springDay + 3 * HOUR_MS, 10 * SEC, ms, 'second', false),
      ).toEqual([]);
  });

  // Regression (periodOf, fixed): same as in New York — after "2025-10-26_02-30-00" (02:30 CEST) the name goes
  // back to "2025-10-26_02-00-00" at 01:00Z (02:00 CET).
  test('keeps every rotation guarantee for 30 min periods across the autumn transition', () => {
    expect(
      rotationViolations(fallDay + HOUR_MS, fallDay + 4 * HOUR_MS, 10 * SEC, 30 * MIN, 'second', false),
    ).toEqual([]);
  });
});

describe('periodOf in Kolkata local time (+05:30, no DST)', () => {
  beforeAll(() => setTimeZone('Asia/Kolkata'));

  it('runs in Kolkata time', () => {
    expect(localOffsetMinutes(utc(2025, 1, 15))).toBe(330);
    expect(localOffsetMinutes(utc(2025, 7, 15))).toBe(330);
  });

  it('aligns hours to the local clock, i.e. at half past in UTC', () => {
    expect(periodOf(utc(2025, 12, 13, 12, 30, 45), HOUR_MS, 'hour', false)).toEqual({
      name: '2025-12-13_18',
      start: utc(2025, 12, 13, 12, 30),
      end: utc(2025, 12, 13, 13, 30),
    });
    expect(periodOf(utc(2025, 12, 13, 12, 29, 59, 999), HOUR_MS, 'hour', false).name).toBe('2025-12-13_17');
  });

  it('starts the local day at 18:30 UTC the day before', () => {
    expect(periodOf(utc(2025, 12, 31, 18, 30), DAY_MS, 'day', false)).toEqual({
      name: '2026-01-01',
      start: utc(2025, 12, 31, 18, 30),
      end: utc(2026, 1, 1, 18, 30),
    });
    expect(periodOf(utc(2025, 12, 31, 18, 29), DAY_MS, 'day', false).name).toBe('2025-12-31');
  });

  it('aligns 15 min periods to the local quarter hours', () => {
    expect(periodOf(utc(2025, 12, 13, 12, 50), 15 * MIN, 'second', false)).toEqual({
      name: '2025-12-13_18-15-00',
      start: utc(2025, 12, 13, 12, 45),
      end: utc(2025, 12, 13, 13),
    });
  });

  it('keeps every rotation guarantee over the year end and reads each name back', () => {
    const from = utc(2025, 12, 31, 12);
    const to = utc(2026, 1, 1, 12);
    expect(rotationViolations(from, to, 5 * MIN, HOUR_MS, 'hour', false)).toEqual([]);
    expect(
      rotationViolations(from + 5 * HOUR_MS, from + 7 * HOUR_MS, MIN, 15 * MIN, 'second', false),
    ).toEqual([]);
    for (const p of periodsBetween(from, to, 10 * MIN, HOUR_MS, 'hour', false))
      expect(parseSuffix(p.name, 'hour', false)).toBe(p.start);
  });
});

describe('periodOf in Lord Howe local time (30 min DST)', () => {
  beforeAll(() => setTimeZone('Australia/Lord_Howe'));

  const fallDay = utc(2025, 4, 5, 13); // 2025-04-06 00:00 +11:00; 02:00 +11:00 falls back to 01:30 +10:30
  const springDay = utc(2025, 10, 4, 13, 30); // 2025-10-05 00:00 +10:30; 02:00 jumps to 02:30 +11:00

  it('runs in Lord Howe time: +10:30 in winter, +11:00 in summer', () => {
    expect(localOffsetMinutes(utc(2025, 7, 15))).toBe(630);
    expect(localOffsetMinutes(utc(2025, 1, 15))).toBe(660);
  });

  it('stretches hour 01 over the repeated half hour in autumn', () => {
    const expected = { name: '2025-04-06_01', start: utc(2025, 4, 5, 14), end: utc(2025, 4, 5, 15, 30) };
    expect(periodOf(utc(2025, 4, 5, 14, 45), HOUR_MS, 'hour', false)).toEqual(expected); // 01:45 +11:00
    expect(periodOf(utc(2025, 4, 5, 15, 15), HOUR_MS, 'hour', false)).toEqual(expected); // 01:45 +10:30
  });

  it('shortens hour 02 to its existing half in spring', () => {
    expect(periodOf(utc(2025, 10, 4, 15, 29), HOUR_MS, 'hour', false).name).toBe('2025-10-05_01');
    expect(periodOf(utc(2025, 10, 4, 15, 30), HOUR_MS, 'hour', false)).toEqual({
      name: '2025-10-05_02',
      start: utc(2025, 10, 4, 15, 30),
      end: utc(2025, 10, 4, 16),
    });
  });

  it.each([
    ['autumn', () => fallDay],
    ['spring', () => springDay],
  ])('keeps every rotation guarantee around the %s transition (hourly and daily)', (_season, day) => {
    // Every 5 min (New York is walked minute by minute): each period's end is checked to the millisecond.
    const d = day();
    expect(rotationViolations(d, d + 25 * HOUR_MS, 5 * MIN, HOUR_MS, 'hour', false)).toEqual([]);
    expect(rotationViolations(d - 2 * DAY_MS, d + 2 * DAY_MS, HOUR_MS, DAY_MS, 'day', false)).toEqual([]);
  });

  it('keeps every rotation guarantee for 15 min periods across the spring transition', () => {
    expect(
      rotationViolations(springDay + HOUR_MS, springDay + 3 * HOUR_MS, 10 * SEC, 15 * MIN, 'second', false),
    ).toEqual([]);
  });

  // Regression (periodOf, fixed): the repeated half hour 01:30-02:00 holds two 15 min periods twice; after
  // "2025-04-06_01-45-00" the name goes back to "2025-04-06_01-30-00" at 15:00Z (01:30 +10:30).
  test('keeps every rotation guarantee for 15 min periods across the autumn transition', () => {
    expect(
      rotationViolations(fallDay + HOUR_MS, fallDay + 3 * HOUR_MS, 10 * SEC, 15 * MIN, 'second', false),
    ).toEqual([]);
  });

  // Regression (periodOf, fixed): with 20 min periods "02-20-00" starts inside the gap (02:00-02:30 does not
  // exist); its first instant is 15:30Z (02:30 +11:00) but every instant t of it reports start = t.
  test('gives every instant of a 20 min period starting in the spring gap the same start', () => {
    const a = periodOf(utc(2025, 10, 4, 15, 30), 20 * MIN, 'second', false);
    const b = periodOf(utc(2025, 10, 4, 15, 35), 20 * MIN, 'second', false);
    expect(a).toEqual({
      name: '2025-10-05_02-20-00',
      start: utc(2025, 10, 4, 15, 30),
      end: utc(2025, 10, 4, 15, 40),
    });
    expect(b).toEqual(a);
  });
});

describe('periodOf in St. John’s local time (-03:30 / -02:30)', () => {
  beforeAll(() => setTimeZone('America/St_Johns'));

  it('runs in Newfoundland time', () => {
    expect(localOffsetMinutes(utc(2025, 1, 15))).toBe(-210);
    expect(localOffsetMinutes(utc(2025, 7, 15))).toBe(-150);
  });

  it('keeps every rotation guarantee across both 2025 transitions', () => {
    // 2025-03-09 02:00 -03:30 -> 03:00 -02:30 and 2025-11-02 02:00 -02:30 -> 01:00 -03:30
    for (const day of [utc(2025, 3, 9, 3, 30), utc(2025, 11, 2, 2, 30)]) {
      expect(rotationViolations(day, day + 26 * HOUR_MS, 5 * MIN, HOUR_MS, 'hour', false)).toEqual([]);
      expect(rotationViolations(day - DAY_MS, day + 2 * DAY_MS, HOUR_MS, DAY_MS, 'day', false)).toEqual([]);
    }
  });
});
