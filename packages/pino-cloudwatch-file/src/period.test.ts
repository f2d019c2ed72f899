import { DAY_MS, HOUR_MS, type SuffixStyle } from './options';
import { formatSuffix, parseSuffix, periodOf } from './period';
import { localOffsetMinutes, pinTimeZone } from './test-helpers/test-time-zone';
import { periodsBetween, rotationViolations } from './test-helpers/test-period-walk';

// UTC periods must not depend on the machine's zone: they run here under New York time, which the
// local-time tests below need anyway.
pinTimeZone('America/New_York');

const MIN = 60_000;
const SEC = 1000;
/** Epoch ms of a UTC wall-clock time; month 1-12. */
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s, ms);

describe('the pinned time zone', () => {
  it('is New York: -05:00 in winter, -04:00 in summer', () => {
    expect(localOffsetMinutes(utc(2025, 1, 15, 12))).toBe(-300);
    expect(localOffsetMinutes(utc(2025, 7, 15, 12))).toBe(-240);
  });
});

describe('periodOf in UTC, hourly', () => {
  it.each([
    ['mid-hour', utc(2025, 12, 13, 12, 30, 45, 123), '2025-12-13_12', utc(2025, 12, 13, 12)],
    ['the first millisecond of the hour', utc(2025, 12, 13, 12), '2025-12-13_12', utc(2025, 12, 13, 12)],
    [
      'the last millisecond of the hour',
      utc(2025, 12, 13, 12, 59, 59, 999),
      '2025-12-13_12',
      utc(2025, 12, 13, 12),
    ],
    ['midnight', utc(2025, 12, 13), '2025-12-13_00', utc(2025, 12, 13)],
    ['the last hour of a day', utc(2025, 12, 13, 23, 1), '2025-12-13_23', utc(2025, 12, 13, 23)],
    ['the last hour of a month', utc(2025, 1, 31, 23, 59, 59, 999), '2025-01-31_23', utc(2025, 1, 31, 23)],
    ['the first hour of a month', utc(2025, 2, 1, 0, 0, 0, 1), '2025-02-01_00', utc(2025, 2, 1)],
    ['the last hour of a year', utc(2025, 12, 31, 23, 59, 59, 999), '2025-12-31_23', utc(2025, 12, 31, 23)],
    ['the first hour of a year', utc(2026, 1, 1), '2026-01-01_00', utc(2026, 1, 1)],
    ['the leap day', utc(2024, 2, 29, 7, 7), '2024-02-29_07', utc(2024, 2, 29, 7)],
    ['the last hour of the leap day', utc(2024, 2, 29, 23, 30), '2024-02-29_23', utc(2024, 2, 29, 23)],
    [
      'the last hour of February in a common year',
      utc(2025, 2, 28, 23, 30),
      '2025-02-28_23',
      utc(2025, 2, 28, 23),
    ],
    ['the leap day of a 400-year', utc(2000, 2, 29, 0, 1), '2000-02-29_00', utc(2000, 2, 29)],
    ['the epoch', 0, '1970-01-01_00', 0],
  ])('names %s by its hour and spans that hour', (_what, t, name, start) => {
    // Act
    const period = periodOf(t, HOUR_MS, 'hour', true);
    // Assess
    expect(period).toEqual({ name, start, end: start + HOUR_MS });
  });

  it('moves to the next day, month and year at the hour after the last one', () => {
    expect(periodOf(utc(2024, 2, 29, 0) - 1, HOUR_MS, 'hour', true).name).toBe('2024-02-28_23');
    expect(periodOf(utc(2024, 3, 1, 0), HOUR_MS, 'hour', true).name).toBe('2024-03-01_00');
    expect(periodOf(utc(2025, 3, 1, 0) - 1, HOUR_MS, 'hour', true).name).toBe('2025-02-28_23');
    expect(periodOf(utc(2026, 1, 1) - 1, HOUR_MS, 'hour', true).end).toBe(utc(2026, 1, 1));
  });

  it('keeps every rotation guarantee over a year end and a leap day, minute by minute', () => {
    expect(rotationViolations(utc(2025, 12, 30), utc(2026, 1, 2), MIN, HOUR_MS, 'hour', true)).toEqual([]);
    expect(rotationViolations(utc(2024, 2, 28), utc(2024, 3, 2), MIN, HOUR_MS, 'hour', true)).toEqual([]);
  });

  it('gives every hour of a year its own period, named like its ISO time', () => {
    // Prepare
    const from = utc(2024, 1, 1);
    const to = utc(2025, 1, 1);
    // Act
    const periods = periodsBetween(from, to, HOUR_MS / 2, HOUR_MS, 'hour', true);
    // Assess
    expect(periods).toHaveLength(366 * 24);
    const wrong = periods.filter((period, i) => {
      const start = from + i * HOUR_MS;
      const iso = new Date(start).toISOString();
      const name = `${iso.slice(0, 10)}_${iso.slice(11, 13)}`;
      return period.name !== name || period.start !== start || period.end !== start + HOUR_MS;
    });
    expect(wrong).toEqual([]);
  });
});

describe('periodOf in UTC, daily', () => {
  it.each([
    [utc(2025, 12, 13, 12, 30), '2025-12-13', utc(2025, 12, 13)],
    [utc(2025, 12, 13), '2025-12-13', utc(2025, 12, 13)],
    [utc(2025, 12, 13, 23, 59, 59, 999), '2025-12-13', utc(2025, 12, 13)],
    [utc(2025, 12, 31, 23, 59), '2025-12-31', utc(2025, 12, 31)],
    [utc(2026, 1, 1), '2026-01-01', utc(2026, 1, 1)],
    [utc(2024, 2, 29, 12), '2024-02-29', utc(2024, 2, 29)],
    [utc(2025, 2, 28, 23), '2025-02-28', utc(2025, 2, 28)],
    [utc(2025, 4, 30, 23), '2025-04-30', utc(2025, 4, 30)],
  ])('puts %p into the UTC day %s', (t, name, start) => {
    expect(periodOf(t, DAY_MS, 'day', true)).toEqual({ name, start, end: start + DAY_MS });
  });

  it('keeps every rotation guarantee over February of a leap year and a year end', () => {
    expect(rotationViolations(utc(2024, 2, 1), utc(2024, 3, 3), 10 * MIN, DAY_MS, 'day', true)).toEqual([]);
    expect(rotationViolations(utc(2025, 12, 1), utc(2026, 1, 3), 10 * MIN, DAY_MS, 'day', true)).toEqual([]);
  });
});

describe('periodOf in UTC, periods named to the second', () => {
  it.each([
    ['15 min', 15 * MIN, utc(2025, 12, 13, 12, 37, 12, 5), '2025-12-13_12-30-00', utc(2025, 12, 13, 12, 30)],
    ['15 min', 15 * MIN, utc(2025, 12, 13, 12, 45), '2025-12-13_12-45-00', utc(2025, 12, 13, 12, 45)],
    [
      '15 min',
      15 * MIN,
      utc(2025, 12, 31, 23, 59, 59, 999),
      '2025-12-31_23-45-00',
      utc(2025, 12, 31, 23, 45),
    ],
    [
      '30 s',
      30 * SEC,
      utc(2025, 12, 13, 12, 37, 45, 500),
      '2025-12-13_12-37-30',
      utc(2025, 12, 13, 12, 37, 30),
    ],
    ['30 s', 30 * SEC, utc(2025, 12, 13, 12, 37, 29, 999), '2025-12-13_12-37-00', utc(2025, 12, 13, 12, 37)],
    ['1 s', SEC, utc(2024, 2, 29, 23, 59, 59, 999), '2024-02-29_23-59-59', utc(2024, 2, 29, 23, 59, 59)],
    ['5 min', 5 * MIN, utc(2025, 1, 31, 23, 58), '2025-01-31_23-55-00', utc(2025, 1, 31, 23, 55)],
    ['2 h', 2 * HOUR_MS, utc(2025, 12, 13, 13, 10), '2025-12-13_12-00-00', utc(2025, 12, 13, 12)],
    ['6 h', 6 * HOUR_MS, utc(2025, 12, 13, 17, 59), '2025-12-13_12-00-00', utc(2025, 12, 13, 12)],
    [
      '1 h named to the second',
      HOUR_MS,
      utc(2025, 12, 13, 12, 1),
      '2025-12-13_12-00-00',
      utc(2025, 12, 13, 12),
    ],
  ])('aligns a %s period to the clock', (_what, periodMs, t, name, start) => {
    expect(periodOf(t, periodMs, 'second', true)).toEqual({ name, start, end: start + periodMs });
  });

  it.each([
    [15 * MIN, 10 * SEC],
    [30 * SEC, 10 * SEC],
    [10 * SEC, 3 * SEC],
    [8 * MIN, 10 * SEC],
  ])('keeps every rotation guarantee for %p ms periods over a year end', (periodMs, stepMs) => {
    expect(
      rotationViolations(utc(2025, 12, 31, 20), utc(2026, 1, 1, 4), stepMs, periodMs, 'second', true),
    ).toEqual([]);
  });

  it('starts each day with a period at midnight', () => {
    // 8 min divides a day but not an hour: the grid restarts every midnight, not every hour.
    expect(periodOf(utc(2025, 12, 13, 0, 7), 8 * MIN, 'second', true).name).toBe('2025-12-13_00-00-00');
    expect(periodOf(utc(2025, 12, 13, 1, 1), 8 * MIN, 'second', true).name).toBe('2025-12-13_00-56-00');
  });
});

describe('formatSuffix', () => {
  const ms = (h: number, m: number, s: number, milli = 0): number => ((h * 60 + m) * 60 + s) * 1000 + milli;

  it.each([
    ['hour', 2025, 12, 13, ms(12, 30, 45), '2025-12-13_12'],
    ['day', 2025, 12, 13, ms(12, 30, 45), '2025-12-13'],
    ['second', 2025, 12, 13, ms(12, 30, 45), '2025-12-13_12-30-45'],
    ['second', 2025, 1, 2, ms(3, 4, 5, 999), '2025-01-02_03-04-05'],
    ['hour', 2025, 1, 2, ms(0, 59, 59, 999), '2025-01-02_00'],
    ['second', 2025, 12, 31, ms(23, 59, 59, 999), '2025-12-31_23-59-59'],
    ['day', 2024, 2, 29, 0, '2024-02-29'],
  ] as const)('writes the %s style as %#', (style, y, mo, d, msOfDay, expected) => {
    expect(formatSuffix(y, mo, d, msOfDay, style)).toBe(expected);
  });

  it('sorts like time within each style', () => {
    // File names are compared as strings (newest name, protected names): order must follow time.
    const names = [0, 1, 9, 10, 11, 23].map((h) => formatSuffix(2025, 1, 9, h * HOUR_MS, 'hour'));
    expect([...names].sort()).toEqual(names);
    const seconds = [0, 9, 10, 59].map((s) => formatSuffix(2025, 10, 1, s * SEC, 'second'));
    expect([...seconds].sort()).toEqual(seconds);
  });
});

describe('parseSuffix', () => {
  const styles: [SuffixStyle, number][] = [
    ['hour', HOUR_MS],
    ['day', DAY_MS],
    ['second', 15 * MIN],
  ];

  it.each(styles)('reads back every %s name formatSuffix wrote, in UTC', (style, periodMs) => {
    // Prepare: irregular steps over two years, leap day and year ends included.
    for (let t = utc(2023, 12, 25); t < utc(2026, 1, 5); t += 7 * HOUR_MS + 13 * MIN + 17 * SEC) {
      const { name, start } = periodOf(t, periodMs, style, true);
      // Act / Assess
      expect(parseSuffix(name, style, true)).toBe(start);
    }
  });

  it('reads back 30-second names', () => {
    for (let t = utc(2025, 12, 31, 23, 50); t < utc(2026, 1, 1, 0, 10); t += 7 * SEC) {
      const { name, start } = periodOf(t, 30 * SEC, 'second', true);
      expect(parseSuffix(name, 'second', true)).toBe(start);
    }
  });

  it.each([
    ['2025-12-13_12', 'hour', utc(2025, 12, 13, 12)],
    ['2025-12-13', 'day', utc(2025, 12, 13)],
    ['2025-12-13_12-30-15', 'second', utc(2025, 12, 13, 12, 30, 15)],
    ['2024-02-29_23', 'hour', utc(2024, 2, 29, 23)],
    ['2000-02-29', 'day', utc(2000, 2, 29)],
    ['2025-12-31_23-59-59', 'second', utc(2025, 12, 31, 23, 59, 59)],
    ['2025-01-01_00-00-00', 'second', utc(2025, 1, 1)],
  ] as const)('reads %s (%s) as its UTC start', (suffix, style, expected) => {
    expect(parseSuffix(suffix, style, true)).toBe(expected);
  });

  it.each([
    ['a day name as hourly', '2025-12-13', 'hour'],
    ['a to-the-second name as hourly', '2025-12-13_12-00-00', 'hour'],
    ['an hourly name as daily', '2025-12-13_12', 'day'],
    ['a to-the-second name as daily', '2025-12-13_12-00-00', 'day'],
    ['an hourly name as to-the-second', '2025-12-13_12', 'second'],
    ['a day name as to-the-second', '2025-12-13', 'second'],
  ] as const)('refuses %s', (_what, suffix, style) => {
    expect(parseSuffix(suffix, style, true)).toBeUndefined();
  });

  it.each([
    ['2025-12-13_12.gz', 'hour'],
    ['2025-12-13.gz', 'day'],
    ['2025-12-13_12-00-00.gz', 'second'],
    ['2025-12-13_12.1', 'hour'],
    ['2025-12-13_12.tmp', 'hour'],
  ] as const)('refuses the compressed or suffixed copy %s', (suffix, style) => {
    expect(parseSuffix(suffix, style, true)).toBeUndefined();
  });

  it.each([
    ['2025-02-30', 'day'],
    ['2025-02-29', 'day'],
    ['2100-02-29', 'day'],
    ['2025-04-31', 'day'],
    ['2025-06-31_00', 'hour'],
    ['2025-13-01', 'day'],
    ['2025-00-10', 'day'],
    ['2025-01-00', 'day'],
    ['2025-01-32', 'day'],
    ['2025-12-13_24', 'hour'],
    ['2025-12-13_99', 'hour'],
    ['2025-12-13_24-00-00', 'second'],
    ['2025-12-13_12-60-00', 'second'],
    ['2025-12-13_12-00-60', 'second'],
  ] as const)('refuses the impossible date or time %s', (suffix, style) => {
    expect(parseSuffix(suffix, style, true)).toBeUndefined();
    expect(parseSuffix(suffix, style, false)).toBeUndefined();
  });

  it.each([
    '',
    'garbage',
    '2025-1-13_12',
    '2025-12-1_12',
    '2025-12-13_1',
    '2025-12-13_123',
    '25-12-13_12',
    '02025-12-13_12',
    ' 2025-12-13_12',
    '2025-12-13_12 ',
    '2025-12-13_12\n',
    '2025-12-13T12',
    '2025-12-13-12',
    '2025/12/13_12',
    '+2025-12-13_12',
    '2025-12-13_1a',
    '２０２５-12-13_12',
    '2025-12-13_12-00',
  ])('refuses the non-name %j', (suffix) => {
    for (const style of ['hour', 'day', 'second'] as const)
      expect(parseSuffix(suffix, style, true)).toBeUndefined();
  });

  // Regression (fixed): Date.UTC and new Date(y, ...) read years 0-99 as 1900-1999, and only day and month are
  // compared afterwards, so "0025-01-01" is read as 1925-01-01 (-1420070400000) instead of the year 25.
  // Harmless for real files, but the start instant a suffix names is wrong.
  test('reads a year below 100 as itself, or refuses it', () => {
    const t = parseSuffix('0025-01-01', 'day', true);
    expect(t === undefined || new Date(t).getUTCFullYear() === 25).toBe(true);
  });

  it('reads local names in local time, a repeated hour as its first occurrence', () => {
    expect(parseSuffix('2025-12-13_12', 'hour', false)).toBe(utc(2025, 12, 13, 17));
    expect(parseSuffix('2025-07-04', 'day', false)).toBe(utc(2025, 7, 4, 4));
    expect(parseSuffix('2025-03-09_03', 'hour', false)).toBe(utc(2025, 3, 9, 7));
    expect(parseSuffix('2025-11-02_01', 'hour', false)).toBe(utc(2025, 11, 2, 5));
    expect(parseSuffix('2025-11-02_02', 'hour', false)).toBe(utc(2025, 11, 2, 7));
  });
});

describe('periodOf in New York local time', () => {
  /** Local midnight of a day, as UTC epoch ms (New York is 4 or 5 hours behind). */
  const springDay = utc(2025, 3, 9, 5); // 2025-03-09 00:00 EST; 02:00 EST jumps to 03:00 EDT
  const fallDay = utc(2025, 11, 2, 4); // 2025-11-02 00:00 EDT; 02:00 EDT falls back to 01:00 EST

  it('names a winter and a summer hour by local time', () => {
    expect(periodOf(utc(2025, 12, 13, 17, 30), HOUR_MS, 'hour', false)).toEqual({
      name: '2025-12-13_12',
      start: utc(2025, 12, 13, 17),
      end: utc(2025, 12, 13, 18),
    });
    expect(periodOf(utc(2025, 7, 4, 16, 30), HOUR_MS, 'hour', false)).toEqual({
      name: '2025-07-04_12',
      start: utc(2025, 7, 4, 16),
      end: utc(2025, 7, 4, 17),
    });
  });

  it('skips the hour that does not exist in spring: 01 ends when 03 starts', () => {
    // Act
    const last = periodOf(utc(2025, 3, 9, 7) - 1, HOUR_MS, 'hour', false);
    const next = periodOf(utc(2025, 3, 9, 7), HOUR_MS, 'hour', false);
    // Assess
    expect(last).toEqual({ name: '2025-03-09_01', start: utc(2025, 3, 9, 6), end: utc(2025, 3, 9, 7) });
    expect(next).toEqual({ name: '2025-03-09_03', start: utc(2025, 3, 9, 7), end: utc(2025, 3, 9, 8) });
    const names = periodsBetween(springDay, springDay + 23 * HOUR_MS, 5 * MIN, HOUR_MS, 'hour', false).map(
      (p) => p.name,
    );
    expect(names).not.toContain('2025-03-09_02');
    expect(names).toHaveLength(23);
  });

  it('makes the repeated hour in autumn one two-hour period, so its name is used once', () => {
    // Prepare: 01:30 EDT and 01:30 EST
    const first = utc(2025, 11, 2, 5, 30);
    const second = utc(2025, 11, 2, 6, 30);
    const expected = { name: '2025-11-02_01', start: utc(2025, 11, 2, 5), end: utc(2025, 11, 2, 7) };
    // Act / Assess
    expect(periodOf(first, HOUR_MS, 'hour', false)).toEqual(expected);
    expect(periodOf(second, HOUR_MS, 'hour', false)).toEqual(expected);
    expect(periodOf(utc(2025, 11, 2, 7), HOUR_MS, 'hour', false)).toEqual({
      name: '2025-11-02_02',
      start: utc(2025, 11, 2, 7),
      end: utc(2025, 11, 2, 8),
    });
    expect(periodsBetween(fallDay, fallDay + 25 * HOUR_MS, 5 * MIN, HOUR_MS, 'hour', false)).toHaveLength(24);
  });

  it('gives the transition days 23 and 25 hours as daily periods', () => {
    expect(periodOf(springDay + 12 * HOUR_MS, DAY_MS, 'day', false)).toEqual({
      name: '2025-03-09',
      start: springDay,
      end: utc(2025, 3, 10, 4),
    });
    expect(periodOf(fallDay + 12 * HOUR_MS, DAY_MS, 'day', false)).toEqual({
      name: '2025-11-02',
      start: fallDay,
      end: utc(2025, 11, 3, 5),
    });
  });

  it.each([
    ['spring', springDay],
    ['autumn', fallDay],
  ])('keeps every rotation guarantee, minute by minute, around the %s transition', (_season, day) => {
    expect(rotationViolations(day, day + 25 * HOUR_MS, MIN, HOUR_MS, 'hour', false)).toEqual([]);
    expect(rotationViolations(day - 2 * DAY_MS, day + 2 * DAY_MS, HOUR_MS, DAY_MS, 'day', false)).toEqual([]);
    expect(rotationViolations(day, day + 25 * HOUR_MS, 10 * MIN, 2 * HOUR_MS, 'second', false)).toEqual([]);
  });

  it('reads back every local hourly and daily name as its period start', () => {
    for (const day of [springDay, fallDay]) {
      for (const p of periodsBetween(day - HOUR_MS, day + 26 * HOUR_MS, 15 * MIN, HOUR_MS, 'hour', false))
        expect(parseSuffix(p.name, 'hour', false)).toBe(p.start);
      for (const p of periodsBetween(day - DAY_MS, day + 2 * DAY_MS, HOUR_MS, DAY_MS, 'day', false))
        expect(parseSuffix(p.name, 'day', false)).toBe(p.start);
    }
  });

  // Sub-hour periods are walked every 10 s through the hours around each transition (the gap, or
  // both passes of the repeated hour and a bit either side);
  // the rest of the day is plain clock arithmetic, checked above.
  it.each([
    ['15 min', 15 * MIN, 1.5, 3.5],
    ['30 min', 30 * MIN, 1.5, 3.5],
    ['30 s', 30 * SEC, 1, 3],
  ])(
    'keeps every rotation guarantee for %s periods across the spring transition, every 10 s',
    (_what, ms, fromHour, toHour) => {
      const from = springDay + fromHour * HOUR_MS;
      const to = springDay + toHour * HOUR_MS;
      expect(rotationViolations(from, to, 10 * SEC, ms, 'second', false)).toEqual([]);
    },
  );

  // Regression (periodOf in local time, fixed): in the repeated hour of a fall-back day each sub-hour period
  // occurs twice. periodOf names the second pass by its own wall clock again, so after
  // "2025-11-02_01-45-00" (01:45 EDT) the name goes back to "2025-11-02_01-00-00" at 06:00Z
  // (01:00 EST): names decrease and repeat, which the contract forbids (§2, "DST must neither skip nor
  // repeat a file name"). For 30 s periods the 48-step guard also gives up before the repeated hour
  // ends, so the returned period does not even contain t (see the next test).
  test.each([
    ['15 min', 15 * MIN, 0.5, 3.5],
    ['30 min', 30 * MIN, 0.5, 3.5],
    ['30 s', 30 * SEC, 1.75, 3.25],
  ])(
    'keeps every rotation guarantee for %s periods across the autumn transition, every 10 s',
    (_what, ms, fromHour, toHour) => {
      // 01:00-02:00 happens twice: 05:00Z-06:00Z (EDT) and 06:00Z-07:00Z (EST); fallDay is 04:00Z.
      const from = fallDay + fromHour * HOUR_MS;
      const to = fallDay + toHour * HOUR_MS;
      expect(rotationViolations(from, to, 10 * SEC, ms, 'second', false)).toEqual([]);
    },
  );

  test('never names a sub-hour period of the repeated autumn hour below the one before it', () => {
    // Prepare: 01:59:59.999 EDT, then 01:00:00.000 EST one millisecond later
    const before = periodOf(utc(2025, 11, 2, 6) - 1, 15 * MIN, 'second', false);
    // Act
    const after = periodOf(utc(2025, 11, 2, 6), 15 * MIN, 'second', false);
    // Assess: actual "2025-11-02_01-00-00" after "2025-11-02_01-45-00"
    expect(before.name).toBe('2025-11-02_01-45-00');
    expect(after.name >= before.name).toBe(true);
  });

  test('returns a 30 s period that contains the instant in the repeated autumn hour', () => {
    // Actual: for 06:00:00Z (01:00:00 EST) { name 2025-11-02_01-00-00, start 05:00:00Z, end 05:24:30Z }.
    const t = utc(2025, 11, 2, 6);
    const period = periodOf(t, 30 * SEC, 'second', false);
    expect(period.start <= t && t < period.end).toBe(true);
  });

  // Regression (fixed): when a period's wall-clock start lies in the spring-forward gap (8 min periods:
  // 02:56 EST does not exist; 03:00 EDT belongs to "02-56-00"), `start` is `Math.min(start, t)`, i.e. t
  // itself: each instant of that period reports a different start. Expected start: 07:00:00Z, the
  // first instant named "2025-03-09_02-56-00" (as documented on Period.start).
  test('gives every instant of a period starting in the spring gap the same start', () => {
    const a = periodOf(utc(2025, 3, 9, 7), 8 * MIN, 'second', false);
    const b = periodOf(utc(2025, 3, 9, 7, 2), 8 * MIN, 'second', false);
    expect(a.name).toBe('2025-03-09_02-56-00');
    expect(b).toEqual(a);
    expect(b.start).toBe(utc(2025, 3, 9, 7));
  });
});
