import { ceilTime, floorTime, periodOf } from './period';
import { QueryError } from './query-error';

describe('periods', () => {
  it.each([
    ['100ms', 100],
    ['30s', 30_000],
    ['5m', 300_000],
    ['5min', 300_000],
    ['1h', 3_600_000],
    ['2hr', 7_200_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
  ])('%s is %i ms', (text, ms) => {
    expect(periodOf(text)).toEqual({ kind: 'fixed', ms });
  });

  it('calendar units floor and ceil by the UTC calendar', () => {
    const t = Date.UTC(2025, 4, 17, 8, 3);
    expect(floorTime(t, periodOf('1mo'))).toBe(Date.UTC(2025, 4, 1));
    expect(floorTime(t, periodOf('1q'))).toBe(Date.UTC(2025, 3, 1));
    expect(floorTime(t, periodOf('1y'))).toBe(Date.UTC(2025, 0, 1));
    expect(ceilTime(t, periodOf('1mo'))).toBe(Date.UTC(2025, 5, 1));
    expect(ceilTime(Date.UTC(2025, 4, 1), periodOf('1mo'))).toBe(Date.UTC(2025, 4, 1));
  });

  it('refuses other units', () => {
    expect(() => periodOf('5x')).toThrow(QueryError);
    expect(() => periodOf('0m')).toThrow(/invalid period/);
  });
});
