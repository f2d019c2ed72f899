import * as path from 'node:path';
import { Family } from './family';
import { validateOptions } from './options';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 11, 13, 12, 0, 0, 0);

describe('Family (names and periods, no I/O)', () => {
  const family = new Family(validateOptions({ file: path.join('/logs', 'app.log'), app: 'a' }));

  test('names a period by its start, and a name back to its period', () => {
    const period = family.periodAt(T0 + 10 * 60_000);
    expect(period).toMatchObject({ name: '2025-12-13_12', start: T0, end: T0 + HOUR });
    expect(family.periodOfName('2025-12-13_12')).toEqual(period);
    expect(family.path(period.name)).toBe('/logs/app.log.2025-12-13_12');
  });

  test('a suffix of another frequency names no period', () => {
    expect(family.periodOfName('2025-12-13')).toBeUndefined();
    expect(family.isSuffix('2025-12-13_12')).toBe(true);
    expect(family.isSuffix('2025-12-13_12.gz')).toBe(false);
  });
});
