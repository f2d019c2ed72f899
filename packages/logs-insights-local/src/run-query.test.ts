import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_LIMIT } from './pipeline';
import { runQuery } from './run-query';
import { ourLine, queryLines, tempDir } from './test-helpers';

const LINES = [
  ourLine('00:01', 'INFO', 'GET /', { user_id: 123, response_time_ms: 45 }),
  ourLine('00:02', 'ERROR', 'payment lookup failed', { error: { type: 'Error', message: 'boom' } }),
  ourLine('04:59', 'WARN', 'quota almost used', { user_id: 7 }),
  ourLine('05:00', 'INFO', 'GET /', { user_id: 7, response_time_ms: 1500 }),
  ourLine('12:30', 'FATAL', 'down', {}),
];

describe('runQuery over a real file', () => {
  it('without fields, shows @timestamp and @message', async () => {
    const result = await queryLines('filter level = "WARN"', LINES);
    expect(result.columns).toEqual(['@timestamp', '@message']);
    expect(result.rows).toEqual([
      { '@timestamp': '2025-12-13 12:04:59.000', '@message': JSON.stringify(LINES[2]) },
    ]);
    expect(result.scanned).toBe(5);
  });

  it('the limit page’s example: the most recent events, newest first', async () => {
    const result = await queryLines('fields @timestamp, @message | sort @timestamp desc | limit 2', LINES);
    expect(result.rows.map((row) => row['@timestamp'])).toEqual([
      '2025-12-13 12:12:30.000',
      '2025-12-13 12:05:00.000',
    ]);
  });

  it('fields with computed values, display narrowing the columns', async () => {
    const result = await queryLines(
      'fields level, response_time_ms / 1000 as seconds | filter ispresent(response_time_ms) | display seconds, message',
      LINES,
    );
    expect(result.columns).toEqual(['seconds', 'message']);
    expect(result.rows).toEqual([
      { seconds: '1.5', message: 'GET /' },
      { seconds: '0.045', message: 'GET /' },
    ]);
  });

  it('stats by bin(5m) and by a field, sorted on two keys', async () => {
    const result = await queryLines(
      'stats count(*) as n by bin(5m) as period, level | sort period desc, level asc',
      LINES,
    );
    expect(result.rows).toEqual([
      { period: '2025-12-13 12:10:00.000', level: 'FATAL', n: '1' },
      { period: '2025-12-13 12:05:00.000', level: 'INFO', n: '1' },
      { period: '2025-12-13 12:00:00.000', level: 'ERROR', n: '1' },
      { period: '2025-12-13 12:00:00.000', level: 'INFO', n: '1' },
      { period: '2025-12-13 12:00:00.000', level: 'WARN', n: '1' },
    ]);
    expect(result.binColumn).toBe('period');
  });

  it('parse with a glob, as the parse page’s example reads a plain line', async () => {
    const result = await queryLines(
      'parse @message "* [*] *" as loggingTime, loggingType, loggingMessage | display loggingType, loggingMessage',
      ['2019-05-25 10:24:39,474 [ERROR] {foo=2, bar=data} The error was: DataIntegrityException'],
    );
    expect(result.rows).toEqual([
      { loggingType: 'ERROR', loggingMessage: '{foo=2, bar=data} The error was: DataIntegrityException' },
    ]);
  });

  it('parse with a regex; a line that does not match keeps the event without the fields', async () => {
    const result = await queryLines(
      'parse message /^(?<method>[A-Z]+) (?<route>\\S+)/ | fields level, method, route',
      LINES,
    );
    expect(result.rows).toEqual([
      { level: 'FATAL' },
      { level: 'INFO', method: 'GET', route: '/' },
      { level: 'WARN' },
      { level: 'ERROR' },
      { level: 'INFO', method: 'GET', route: '/' },
    ]);
  });

  it('dedup keeps the first row per value after a sort (the dedup page’s example)', async () => {
    const result = await queryLines(
      'fields @timestamp, level, message | sort @timestamp desc | dedup level',
      LINES,
    );
    expect(result.rows.map((row) => [row.level, row['@timestamp']])).toEqual([
      ['FATAL', '2025-12-13 12:12:30.000'],
      ['INFO', '2025-12-13 12:05:00.000'],
      ['WARN', '2025-12-13 12:04:59.000'],
      ['ERROR', '2025-12-13 12:00:02.000'],
    ]);
  });

  it('sort after stats by an unnamed group or aggregate: its column (`sort bin(5m)`, `sort count(*)`)', async () => {
    const result = await queryLines('stats count(*) by bin(5m) | sort count(*) desc, bin(5m) desc', LINES);
    expect(result.rows).toEqual([
      { 'bin(5m)': '2025-12-13 12:00:00.000', 'count(*)': '3' },
      { 'bin(5m)': '2025-12-13 12:10:00.000', 'count(*)': '1' },
      { 'bin(5m)': '2025-12-13 12:05:00.000', 'count(*)': '1' },
    ]);
  });

  it('commands after stats work on its rows', async () => {
    const result = await queryLines(
      'stats count(*) as n by level | filter n > 1 | fields n * 10 as tens',
      LINES,
    );
    expect(result.columns).toEqual(['level', 'n', 'tens']);
    expect(result.rows).toEqual([{ level: 'INFO', n: '2', tens: '20' }]);
  });

  it('without sort, the latest events first ("the default descending sort order using @timestamp")', async () => {
    const result = await queryLines('fields message | limit 2', LINES);
    expect(result.rows).toEqual([{ message: 'down' }, { message: 'GET /' }]);
    const deduped = await queryLines('fields level, message | dedup level', LINES);
    expect(deduped.rows.map((row) => row.message)).toEqual([
      'down',
      'GET /',
      'quota almost used',
      'payment lookup failed',
    ]);
  });

  it('returns at most 10,000 rows without limit; limit any reads no further once it has its rows', async () => {
    const lines = Array.from({ length: DEFAULT_LIMIT + 5 }, (_, i) =>
      ourLine(`00:${String(i % 60).padStart(2, '0')}`, 'INFO', `m${i}`),
    );
    const all = await queryLines('fields message', lines);
    expect(all.rows).toHaveLength(DEFAULT_LIMIT);
    expect(all.scanned).toBe(DEFAULT_LIMIT + 5);
    const any = await queryLines('fields message | limit any 3', lines);
    expect(any.rows.map((row) => row.message)).toEqual(['m0', 'm1', 'm2']);
    expect(any.scanned).toBe(3);
  });

  it('a last sort without limit returns the first 10,000 rows of the whole input in its order', async () => {
    const lines = Array.from({ length: DEFAULT_LIMIT + 3000 }, (_, i) =>
      ourLine('00:00', 'INFO', 'x', { v: (i * 7919) % 13000 }),
    );
    const result = await queryLines('fields v | sort v desc', lines);
    expect(result.rows).toHaveLength(DEFAULT_LIMIT);
    expect(result.rows[0]).toEqual({ v: '12999' });
    expect(result.rows[DEFAULT_LIMIT - 1]).toEqual({ v: String(13000 - DEFAULT_LIMIT) });
  });

  it('sort | dedup keeps the first row per value in sort order, and every row without a value', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) =>
      ourLine(
        `${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
        'INFO',
        `m${i}`,
        i % 500 === 0 ? {} : { server: `s${i % 7}`, load: (i * 31) % 1000 },
      ),
    );
    const latest = await queryLines('fields server, message | sort @timestamp desc | dedup server', lines);
    const byServer = await queryLines(
      'fields server, load | sort load desc, server asc | dedup server | limit 3',
      lines,
    );
    // The same answers as sorting everything and keeping the first row per server, worked out here.
    type Record = { i: number; '@timestamp': string; message: string; server?: string; load?: number };
    const records: Record[] = lines.map((line, i) => ({ ...line, i }));
    const expectedLatest = [...records]
      .sort((a, b) => b['@timestamp'].localeCompare(a['@timestamp']) || a.i - b.i)
      .filter(
        (record, index, all) =>
          record.server === undefined || all.findIndex((other) => other.server === record.server) === index,
      )
      .map((record) =>
        record.server === undefined
          ? { message: record.message }
          : { server: record.server, message: record.message },
      );
    expect(latest.rows).toEqual(expectedLatest);
    expect(latest.rows.filter((row) => row.server === undefined)).toHaveLength(6);
    const expectedLoad = records
      .filter((record) => record.server !== undefined)
      .sort(
        (a, b) =>
          (b.load as number) - (a.load as number) ||
          String(a.server).localeCompare(String(b.server)) ||
          a.i - b.i,
      )
      .filter((record, index, all) => all.findIndex((other) => other.server === record.server) === index)
      .slice(0, 3)
      .map((record) => ({ server: record.server, load: String(record.load) }));
    expect(byServer.rows).toEqual(expectedLoad);
  });

  it('a sort keeps the rows of a limit after fields and display too', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) =>
      ourLine('00:00', 'INFO', 'x', { v: (i * 7919) % 5000 }),
    );
    const result = await queryLines(
      'fields v | sort v desc | fields v * 2 as w | display w | limit 2',
      lines,
    );
    expect(result.rows).toEqual([{ w: '9998' }, { w: '9996' }]);
  });

  it('sort + limit keeps the top rows of a large input (bounded) and the same as a full sort', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) =>
      ourLine('00:00', 'INFO', 'x', { v: (i * 7919) % 5000 }),
    );
    const result = await queryLines('fields v | sort v desc | limit 3', lines);
    expect(result.rows).toEqual([{ v: '4999' }, { v: '4998' }, { v: '4997' }]);
  });

  it('--since/--until keep events of [since, until) by their event time', async () => {
    const tmp = tempDir();
    try {
      const file = path.join(tmp.dir, 'app.log.2025-12-13_12');
      fs.writeFileSync(file, LINES.map((line) => JSON.stringify(line)).join('\n'));
      const result = await runQuery('fields message', [file], {
        since: Date.UTC(2025, 11, 13, 12, 0, 2),
        until: Date.UTC(2025, 11, 13, 12, 5),
      });
      expect(result.rows.map((row) => row.message)).toEqual(['quota almost used', 'payment lookup failed']);
    } finally {
      tmp.cleanup();
    }
  });

  it('stdin: @logStream is stdin, a line without a time gets the clock’s time', async () => {
    const stream = Readable.from(['plain line\n{"a":1}\r\n', '\n{"@timestamp":"2025-12-13T12:00:00.000Z"}']);
    const result = await runQuery('fields @timestamp, @logStream, a', [{ stream, name: 'stdin' }], {
      now: () => Date.UTC(2026, 0, 1),
    });
    expect(result.rows).toEqual([
      { '@timestamp': '2026-01-01 00:00:00.000', '@logStream': 'stdin' },
      { '@timestamp': '2026-01-01 00:00:00.000', '@logStream': 'stdin', a: '1' },
      { '@timestamp': '2025-12-13 12:00:00.000', '@logStream': 'stdin' },
    ]);
  });

  it('a file’s lines without a time take its modification time; @ingestionTime is that time', async () => {
    const tmp = tempDir();
    try {
      const file = path.join(tmp.dir, 'plain.log');
      fs.writeFileSync(file, 'no time\n');
      const mtime = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 600));
      fs.utimesSync(file, mtime, mtime);
      const result = await runQuery('fields @timestamp, @ingestionTime, @logStream, @log', [file]);
      expect(result.rows).toEqual([
        {
          '@timestamp': '2025-01-02 03:04:05.600',
          '@ingestionTime': '2025-01-02 03:04:05.600',
          '@logStream': 'plain.log',
          '@log': tmp.dir,
        },
      ]);
    } finally {
      tmp.cleanup();
    }
  });

  it('a line without a time takes the last time before it in its file, as the agent sends it', async () => {
    const tmp = tempDir();
    try {
      const file = path.join(tmp.dir, 'app.log.2025-12-13_12');
      const skipped = Array.from({ length: 300 }, (_, i) =>
        JSON.stringify(ourLine(`01:${String(i % 60).padStart(2, '0')}`, 'INFO', 'GET /')),
      );
      fs.writeFileSync(
        file,
        [
          'plain: first, before any time',
          JSON.stringify(ourLine('00:01', 'INFO', 'GET /')),
          'plain: a stack frame',
          '{"level":"WARN","message":"plain JSON"}',
          // read by the query only through the prefilter's skipped lines: 300 of them, the last at 01:59
          ...skipped,
          JSON.stringify(ourLine('02:00', 'ERROR', 'failed')),
          'plain: at 02:00 too',
          JSON.stringify(ourLine('03:00', 'INFO', 'GET /')),
          'plain: after the last skipped',
          '',
        ].join('\n'),
      );
      const mtime = new Date(Date.UTC(2025, 11, 13, 13));
      fs.utimesSync(file, mtime, mtime);
      const times = async (query: string, since?: number) =>
        (await runQuery(query, [file], { since })).rows.map(
          (row) => `${row['@timestamp']} ${row['@message']}`,
        );
      expect(
        await times('fields @timestamp, @message | filter @message like "plain" | sort @timestamp asc'),
      ).toEqual([
        '2025-12-13 12:00:01.000 plain: a stack frame',
        '2025-12-13 12:00:01.000 {"level":"WARN","message":"plain JSON"}',
        '2025-12-13 12:02:00.000 plain: at 02:00 too',
        '2025-12-13 12:03:00.000 plain: after the last skipped',
        '2025-12-13 13:00:00.000 plain: first, before any time',
      ]);
      // the skipped lines' time: the 300th JSON line is at 01:59
      expect(
        await times(
          'fields @timestamp, @message | filter @message = "plain: after the last skipped" or @message = "plain: at 02:00 too"',
        ),
      ).toEqual([
        '2025-12-13 12:03:00.000 plain: after the last skipped',
        '2025-12-13 12:02:00.000 plain: at 02:00 too',
      ]);
      expect(
        await times(
          'filter @message like "plain:" | fields @timestamp, @message',
          Date.UTC(2025, 11, 13, 12, 0, 30),
        ),
      ).toEqual([
        '2025-12-13 13:00:00.000 plain: first, before any time',
        '2025-12-13 12:03:00.000 plain: after the last skipped',
        '2025-12-13 12:02:00.000 plain: at 02:00 too',
      ]); // not "a stack frame": 12:00:01, before --since
    } finally {
      tmp.cleanup();
    }
  });

  it('stats: a line without a time is binned at the last time before it; a count needs no time', async () => {
    const lines = [ourLine('00:01', 'INFO', 'GET /'), 'plain, no time', ourLine('05:00', 'INFO', 'GET /')];
    expect((await queryLines('stats count(*) as n by bin(5m)', lines)).rows).toEqual([
      { 'bin(5m)': '2025-12-13 12:00:00.000', n: '2' },
      { 'bin(5m)': '2025-12-13 12:05:00.000', n: '1' },
    ]);
    expect((await queryLines('stats count(*) as n, latest(@message) as last', lines)).rows).toEqual([
      { n: '3', last: JSON.stringify(lines[2]) },
    ]);
    expect((await queryLines('stats count(*) as n by level', lines)).rows).toEqual([
      { level: 'INFO', n: '2' },
      { n: '1' },
    ]);
  });

  it('a line that starts with a space or a tab belongs to the event before it, as the agent joins them', async () => {
    const result = await queryLines('fields @timestamp, @message | sort @timestamp asc', [
      '  a first line that starts with spaces: an event of its own',
      ourLine('00:01', 'ERROR', 'failed'),
      'Error: boom',
      '    at f (x.js:1:1)',
      '\tat g (y.js:2:2)',
      ourLine('00:02', 'INFO', 'next'),
    ]);
    expect(result.rows.map((row) => row['@message'])).toEqual([
      JSON.stringify(ourLine('00:01', 'ERROR', 'failed')),
      'Error: boom\n    at f (x.js:1:1)\n\tat g (y.js:2:2)',
      JSON.stringify(ourLine('00:02', 'INFO', 'next')),
      '  a first line that starts with spaces: an event of its own',
    ]);
    expect(result.rows[1]['@timestamp']).toBe('2025-12-13 12:00:01.000');
    expect(result.scanned).toBe(4);
    const stdin = await runQuery('stats count(*) as n', [
      { stream: Readable.from(['{"a":1}\n  {"b":2}\n{"a":3}\n  more']), name: 'stdin' },
    ]);
    expect(stdin.rows).toEqual([{ n: '2' }]);
  });
});
