import { percentile } from './aggregates';
import { ourLine, queryLines } from './test-helpers';

describe('percentile (nearest rank)', () => {
  it.each([
    [50, 3],
    [90, 5],
    [95, 5],
    [99, 5],
    [0, 1],
    [100, 5],
    [20, 1],
    [21, 2],
  ])('pct %i of 1..5 is %i', (p, expected) => {
    expect(percentile([5, 1, 4, 2, 3], p)).toBe(expected);
  });
});

describe('stats aggregates', () => {
  const lines = [
    ourLine('00:00', 'INFO', 'a', { ms: 10, user: 'u1' }),
    ourLine('01:00', 'INFO', 'b', { ms: 20, user: 'u2' }),
    ourLine('02:00', 'ERROR', 'c', { ms: 30, user: 'u1' }),
    ourLine('03:00', 'INFO', 'd', { user: 'u3' }),
    ourLine('04:00', 'INFO', 'e', { ms: 'n/a' }),
  ];

  it('computes each aggregate over the group; values that are not numbers are skipped', async () => {
    const result = await queryLines(
      'stats count(*) as all, count(ms) as with_ms, count_distinct(user) as users, sum(ms) as total, avg(ms) as mean, ' +
        'min(ms) as low, max(ms) as high, pct(ms, 50) as p50, stddev(ms) as sd, earliest(message) as first, latest(message) as last, ' +
        'sortsFirst(user) as sf, sortsLast(user) as sl, min(@timestamp) as since',
      lines,
    );
    expect(result.rows).toEqual([
      {
        all: '5',
        with_ms: '4', // count(field) counts events with a value, text or not
        users: '3',
        total: '60',
        mean: '20',
        low: '10',
        high: '30',
        p50: '20',
        sd: '10',
        first: 'a',
        last: 'e',
        sf: 'u1',
        sl: 'u3',
        since: '2025-12-13 12:00:00.000',
      },
    ]);
  });

  it('groups by fields, in order of first appearance, group columns first', async () => {
    const result = await queryLines('stats count(*), avg(ms) by level', lines);
    expect(result.columns).toEqual(['level', 'count(*)', 'avg(ms)']);
    expect(result.rows).toEqual([
      { level: 'INFO', 'count(*)': '4', 'avg(ms)': '15' },
      { level: 'ERROR', 'count(*)': '1', 'avg(ms)': '30' },
    ]);
  });

  it('arithmetic over aggregates, and stats over no events answers count 0', async () => {
    expect((await queryLines('stats sum(ms) / count(ms) as mean', lines)).rows).toEqual([{ mean: '15' }]);
    expect((await queryLines('filter level = "NONE" | stats count(*)', lines)).rows).toEqual([
      { 'count(*)': '0' },
    ]);
    expect((await queryLines('filter level = "NONE" | stats count(*) by level', lines)).rows).toEqual([]);
  });
});
