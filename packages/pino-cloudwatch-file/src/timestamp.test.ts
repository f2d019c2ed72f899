import { prng } from 'pino-cloudwatch-test-support';
import { createTimestampFormatter } from './timestamp';
import { localOffsetMinutes, pinTimeZone, setTimeZone } from './test-helpers/test-time-zone';

// UTC output must not depend on the machine's zone, so the UTC tests run under a zone with an offset.
pinTimeZone('Asia/Kolkata');

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s, ms);
const LOCAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

describe('createTimestampFormatter in UTC', () => {
  it.each([
    0,
    1,
    999,
    1000,
    -1,
    -1000,
    utc(2025, 12, 13, 12, 30, 45, 123),
    utc(2025, 12, 13, 12, 30, 45, 0),
    utc(2025, 12, 13, 12, 30, 45, 999),
    utc(2025, 12, 31, 23, 59, 59, 999),
    utc(2026, 1, 1),
    utc(2024, 2, 29, 23, 59, 59, 999),
    utc(2038, 1, 19, 3, 14, 8),
    utc(9999, 12, 31, 23, 59, 59, 999),
  ])('writes %p exactly like toISOString', (t) => {
    expect(createTimestampFormatter(true)(t)).toBe(new Date(t).toISOString());
  });

  it('writes the reference record’s time with milliseconds and Z', () => {
    expect(createTimestampFormatter(true)(utc(2025, 12, 13, 12, 30, 45, 123))).toBe(
      '2025-12-13T12:30:45.123Z',
    );
  });

  it('agrees with toISOString on every millisecond across several second boundaries', () => {
    // Prepare
    const format = createTimestampFormatter(true);
    const from = utc(2025, 12, 31, 23, 59, 58);
    // Act / Assess
    const wrong: string[] = [];
    for (let t = from; t < from + 4000; t++)
      if (format(t) !== new Date(t).toISOString()) wrong.push(format(t));
    // Assess
    expect(wrong).toEqual([]);
  });

  it('never returns a stale date when time jumps forwards and backwards', () => {
    // Prepare: jumps within a millisecond, a second, a minute, a day and years, in both directions.
    const format = createTimestampFormatter(true);
    const random = prng(42);
    let t = utc(2025, 12, 13, 12);
    const jumps = [1, 999, 1000, 1001, 60_000, 86_400_000, 3e10];
    const wrong: string[] = [];
    // Act
    for (let i = 0; i < 20_000; i++) {
      const r = random();
      const jump = jumps[Math.floor(r * jumps.length)];
      t += Math.floor((r * 1000) % 2) === 0 ? jump : -jump;
      t += Math.floor(r * 7); // shuffle the milliseconds too
      const text = format(t);
      if (text !== new Date(t).toISOString()) wrong.push(`${t}: ${text}`);
    }
    // Assess
    expect(wrong).toEqual([]);
  });

  it('goes back to the previous second after the next one was formatted', () => {
    const format = createTimestampFormatter(true);
    expect(format(1999)).toBe('1970-01-01T00:00:01.999Z');
    expect(format(2000)).toBe('1970-01-01T00:00:02.000Z');
    expect(format(1999)).toBe('1970-01-01T00:00:01.999Z');
    expect(format(2999)).toBe('1970-01-01T00:00:02.999Z');
    expect(format(2999 + 60_000)).toBe('1970-01-01T00:01:02.999Z');
    expect(format(2999)).toBe('1970-01-01T00:00:02.999Z');
  });

  it('returns the same text for the same millisecond twice in a row', () => {
    const format = createTimestampFormatter(true);
    const t = utc(2025, 12, 13, 12, 30, 45, 123);
    expect(format(t)).toBe(format(t));
  });

  it('drops fractions of a millisecond', () => {
    const format = createTimestampFormatter(true);
    expect(format(1000.7)).toBe('1970-01-01T00:00:01.000Z');
    expect(format(1999.999)).toBe('1970-01-01T00:00:01.999Z');
  });

  it('keeps formatters apart: each has its own cache', () => {
    const a = createTimestampFormatter(true);
    const b = createTimestampFormatter(true);
    expect(a(1000)).toBe('1970-01-01T00:00:01.000Z');
    expect(b(5000)).toBe('1970-01-01T00:00:05.000Z');
    expect(a(1001)).toBe('1970-01-01T00:00:01.001Z');
  });

  it('does not throw on an invalid time, and formats valid times correctly afterwards', () => {
    const format = createTimestampFormatter(true);
    expect(format(5000)).toBe('1970-01-01T00:00:05.000Z');
    for (const bad of [NaN, Infinity, -Infinity, 9e15])
      expect(format(bad)).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/);
    expect(format(5000)).toBe('1970-01-01T00:00:05.000Z');
    expect(format(6001)).toBe('1970-01-01T00:00:06.001Z');
  });
});

describe('createTimestampFormatter in local time', () => {
  /** Every local timestamp carries an offset and denotes exactly the instant it was made from. */
  const unfaithful = (format: (t: number) => string, t: number): string[] => {
    const text = format(t);
    return LOCAL_ISO.test(text) && Date.parse(text) === t ? [] : [`${t}: ${text}`];
  };

  describe('in Kolkata (+05:30)', () => {
    beforeAll(() => setTimeZone('Asia/Kolkata'));

    it('writes the local time with +05:30', () => {
      expect(localOffsetMinutes(0)).toBe(330);
      const format = createTimestampFormatter(false);
      expect(format(utc(2025, 12, 13, 12, 30, 45, 123))).toBe('2025-12-13T18:00:45.123+05:30');
      expect(format(utc(2025, 12, 31, 18, 29, 59, 999))).toBe('2025-12-31T23:59:59.999+05:30');
      expect(format(utc(2025, 12, 31, 18, 30))).toBe('2026-01-01T00:00:00.000+05:30');
    });
  });

  describe('in Paris (+01:00 / +02:00)', () => {
    beforeAll(() => setTimeZone('Europe/Paris'));

    it('writes winter and summer offsets', () => {
      const format = createTimestampFormatter(false);
      expect(format(utc(2025, 12, 13, 12, 30, 45, 123))).toBe('2025-12-13T13:30:45.123+01:00');
      expect(format(utc(2025, 7, 14, 12, 30, 45, 123))).toBe('2025-07-14T14:30:45.123+02:00');
    });

    it('changes the offset at the exact millisecond of each transition', () => {
      const format = createTimestampFormatter(false);
      expect(format(utc(2025, 3, 30, 1) - 1)).toBe('2025-03-30T01:59:59.999+01:00');
      expect(format(utc(2025, 3, 30, 1))).toBe('2025-03-30T03:00:00.000+02:00');
      expect(format(utc(2025, 10, 26, 1) - 1)).toBe('2025-10-26T02:59:59.999+02:00');
      expect(format(utc(2025, 10, 26, 1))).toBe('2025-10-26T02:00:00.000+01:00');
    });
  });

  describe('in New York (-05:00 / -04:00)', () => {
    beforeAll(() => setTimeZone('America/New_York'));

    it('writes the repeated 01:30 of the fall-back day once with each offset', () => {
      const format = createTimestampFormatter(false);
      expect(format(utc(2025, 11, 2, 5, 30))).toBe('2025-11-02T01:30:00.000-04:00');
      expect(format(utc(2025, 11, 2, 6, 30))).toBe('2025-11-02T01:30:00.000-05:00');
      expect(format(utc(2025, 3, 9, 7) - 1)).toBe('2025-03-09T01:59:59.999-05:00');
      expect(format(utc(2025, 3, 9, 7))).toBe('2025-03-09T03:00:00.000-04:00');
    });

    it.each([
      ['spring', utc(2025, 3, 9, 5)],
      ['autumn', utc(2025, 11, 2, 4)],
    ])('denotes exactly its instant every 10 s of the %s transition day, never naive', (_season, day) => {
      // Prepare: one formatter for the whole day, so its per-second cache is crossed at every step.
      const format = createTimestampFormatter(false);
      const random = prng(7);
      const wrong: string[] = [];
      // Act
      for (let t = day; t < day + 25 * 3_600_000; t += 10_000) {
        wrong.push(...unfaithful(format, t + Math.floor(random() * 1000)));
        wrong.push(...unfaithful(format, t));
      }
      // Assess
      expect(wrong).toEqual([]);
    });
  });

  describe('in Lord Howe and St. John’s (half-hour offsets and DST)', () => {
    it.each([
      ['Australia/Lord_Howe', utc(2025, 4, 5, 15) - 1, '2025-04-06T01:59:59.999+11:00'],
      ['Australia/Lord_Howe', utc(2025, 4, 5, 15), '2025-04-06T01:30:00.000+10:30'],
      ['America/St_Johns', utc(2025, 1, 15, 12), '2025-01-15T08:30:00.000-03:30'],
      ['America/St_Johns', utc(2025, 7, 15, 12), '2025-07-15T09:30:00.000-02:30'],
    ])('in %s writes %p as %s', (zone, t, expected) => {
      setTimeZone(zone);
      expect(createTimestampFormatter(false)(t)).toBe(expected);
    });
  });

  describe('in UTC', () => {
    beforeAll(() => setTimeZone('UTC'));

    it('writes +00:00, not Z, so that a local time never looks like a UTC one', () => {
      expect(createTimestampFormatter(false)(utc(2025, 12, 13, 12, 30, 45, 123))).toBe(
        '2025-12-13T12:30:45.123+00:00',
      );
    });
  });
});
