import { compileTimeFormat, toEpochMs } from './format-time';

describe('compileTimeFormat', () => {
  const instant = Date.UTC(2025, 11, 13, 12, 30, 45, 7);

  it('prints every token', () => {
    const formatTime = compileTimeFormat('YYYY-MM-DD HH:mm:ss.SSS Z', 'UTC');
    expect(formatTime(instant)).toBe('2025-12-13 12:30:45.007 Z');
  });

  it('copies bracketed text and other characters as is', () => {
    expect(compileTimeFormat('[at] HH[h]mm', 'UTC')(instant)).toBe('at 12h30');
  });

  it('prints an IANA zone with its offset', () => {
    expect(compileTimeFormat('YYYY-MM-DD HH:mm:ss Z', 'Asia/Kolkata')(instant)).toBe(
      '2025-12-13 18:00:45 +05:30',
    );
    expect(compileTimeFormat('HH:mm Z', 'America/New_York')(instant)).toBe('07:30 -05:00');
  });

  it('follows daylight saving time', () => {
    const formatTime = compileTimeFormat('YYYY-MM-DD HH:mm:ss Z', 'Europe/Paris');
    // 2025-03-30 01:59:59Z is 03:59:59 CEST; one hour earlier it was 01:59:59 CET.
    expect(formatTime(Date.UTC(2025, 2, 30, 0, 59, 59))).toBe('2025-03-30 01:59:59 +01:00');
    expect(formatTime(Date.UTC(2025, 2, 30, 1, 0, 0))).toBe('2025-03-30 03:00:00 +02:00');
  });

  it('prints local time in the process time zone', () => {
    const date = new Date(instant);
    const expected = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
    expect(compileTimeFormat('YYYY-MM-DD', 'local')(instant)).toBe(expected);
  });

  it('reuses the text within a second and recomputes at the next one', () => {
    const formatTime = compileTimeFormat('HH:mm:ss', 'UTC');
    expect(formatTime(instant)).toBe('12:30:45');
    expect(formatTime(instant + 900)).toBe('12:30:45');
    expect(formatTime(instant + 1000)).toBe('12:30:46');
    expect(formatTime(instant - 1000)).toBe('12:30:44');
  });
});

describe('toEpochMs', () => {
  it('reads numbers and ISO text, and nothing else', () => {
    expect(toEpochMs(5)).toBe(5);
    expect(toEpochMs('1970-01-01T00:00:01.000Z')).toBe(1000);
    expect(toEpochMs('soon')).toBeUndefined();
    expect(toEpochMs(Number.NaN)).toBeUndefined();
    expect(toEpochMs(undefined)).toBeUndefined();
  });
});
