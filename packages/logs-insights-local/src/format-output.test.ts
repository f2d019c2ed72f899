import { formatChart } from './chart';
import { formatCsv, formatJson, formatTable } from './format-output';
import type { QueryResult } from './pipeline';
import { queryLines } from './test-helpers';

const RESULT: QueryResult = {
  columns: ['level', 'message'],
  rows: [
    { level: 'INFO', message: 'GET /' },
    { level: 'ERROR', message: 'said "no", then\nleft' },
    { message: 'no level' },
  ],
  scanned: 12,
};

describe('output formats', () => {
  it('json: an array of objects of strings, missing values left out', () => {
    expect(JSON.parse(formatJson(RESULT))).toEqual(RESULT.rows);
  });

  it('csv: a header, then RFC 4180 quoting', () => {
    expect(formatCsv(RESULT)).toBe('level,message\nINFO,GET /\nERROR,"said ""no"", then\nleft"\n,no level\n');
  });

  it('table: padded columns, control characters as spaces, and a count line', () => {
    expect(formatTable(RESULT)).toBe(
      [
        'level │ message',
        '──────┼─────────────────────',
        'INFO  │ GET /',
        'ERROR │ said "no", then left',
        '      │ no level',
        '',
        '3 rows, 12 events scanned',
        '',
      ].join('\n'),
    );
  });

  it('table: a long value is cut with …', () => {
    const table = formatTable({ columns: ['m'], rows: [{ m: 'x'.repeat(100) }], scanned: 1 }, 10);
    expect(table.split('\n')[2]).toBe(`${'x'.repeat(9)}…`);
  });

  it('table and chart: wide characters take two columns, combining marks none', () => {
    const table = formatTable(
      {
        columns: ['user', 'n'],
        rows: [
          { user: '山田', n: '1' },
          { user: 'e\u0301', n: '2' },
          { user: '🙂🙂x', n: '3' },
        ],
        scanned: 3,
      },
      4,
    );
    expect(table.split('\n').slice(0, 5)).toEqual([
      'user │ n',
      '─────┼──',
      '山田 │ 1',
      'e\u0301    │ 2',
      '🙂…  │ 3',
    ]);
    const chart = formatChart(
      {
        columns: ['t', 'user', 'n'],
        rows: [
          { t: '12:00', user: '山田', n: '2' },
          { t: '12:00', user: 'bob', n: '1' },
        ],
        scanned: 3,
        binColumn: 't',
        groupColumns: ['t', 'user'],
      },
      4,
    );
    expect(chart.split('\n')).toEqual(['t      user  n', '12:00  山田  ████ 2', '12:00  bob   ██ 1', '']);
  });
});

describe('formatChart', () => {
  it('draws one bar per bin, scaled to the largest value', () => {
    const chart = formatChart(
      {
        columns: ['bin(5m)', 'count(*)'],
        rows: [
          { 'bin(5m)': '2025-12-13 12:00:00.000', 'count(*)': '4' },
          { 'bin(5m)': '2025-12-13 12:05:00.000', 'count(*)': '1' },
          { 'bin(5m)': '2025-12-13 12:10:00.000', 'count(*)': '0' },
        ],
        scanned: 5,
        binColumn: 'bin(5m)',
      },
      8,
    );
    expect(chart).toBe(
      [
        'bin(5m)                  count(*)',
        '2025-12-13 12:00:00.000  ████████ 4',
        '2025-12-13 12:05:00.000  ██ 1',
        '2025-12-13 12:10:00.000   0',
        '',
      ].join('\n'),
    );
  });

  it('labels a bar with the other groups too, and needs a bin() group', () => {
    const chart = formatChart(
      {
        columns: ['t', 'level', 'n'],
        rows: [
          { t: '12:00', level: 'INFO', n: '3' },
          { t: '12:00', level: 'ERROR', n: '1' },
        ],
        scanned: 4,
        binColumn: 't',
      },
      6,
    );
    expect(chart.split('\n')).toEqual([
      't      level  n',
      '12:00  INFO   ██████ 3',
      '12:00  ERROR  ██ 1',
      '',
    ]);
    const groupFirst = formatChart(
      {
        columns: ['level', 't', 'n'],
        rows: [
          { level: 'INFO', t: '12:00', n: '3' },
          { level: 'ERROR', t: '12:05', n: '1' },
        ],
        scanned: 4,
        binColumn: 't',
        groupColumns: ['level', 't'],
      },
      6,
    );
    expect(groupFirst.split('\n')).toEqual([
      'level  t      n',
      'INFO   12:00  ██████ 3',
      'ERROR  12:05  ██ 1',
      '',
    ]);
    expect(
      formatChart({ columns: ['t', 'n'], rows: [], scanned: 9, binColumn: 't', groupColumns: ['t'] }),
    ).toBe('t  n\n');
    expect(() =>
      formatChart({ columns: ['n'], rows: [{ n: '1' }], scanned: 1, binColumn: 't', groupColumns: ['t'] }),
    ).toThrow('--chart needs the t column, which the query');
    expect(() => formatChart({ columns: ['n'], rows: [], scanned: 0 })).toThrow(
      '--chart needs a query with stats ... by bin(...)',
    );
  });

  it('never draws a numeric group as the bar: the bar is the first aggregate', async () => {
    const result = await queryLines(
      'stats count(*) as requests, avg(res.statusCode) as mean by bin(10m), res.statusCode as status',
      [200, 200, 500, 404, 200].map((status, i) => ({
        '@timestamp': `2025-12-13T12:0${i}:00.000Z`,
        res: { statusCode: status },
      })),
    );
    expect(result.groupColumns).toEqual(['bin(10m)', 'status']);
    expect(formatChart(result, 6).split('\n')).toEqual([
      'bin(10m)                 status  requests',
      '2025-12-13 12:00:00.000  200     ██████ 3',
      '2025-12-13 12:00:00.000  500     ██ 1',
      '2025-12-13 12:00:00.000  404     ██ 1',
      '',
    ]);
  });
});
