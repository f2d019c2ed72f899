import fs from 'node:fs';
import path from 'node:path';
import { parseQuery } from './parser';
import { QueryRun } from './pipeline';
import { scanInputs } from './run-query';
import { eventOf, ourLine, tempDir } from './test-helpers';

describe('scanInputs: the reader behind runQuery and the server', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  beforeAll(() => {
    tmp = tempDir();
    file = path.join(tmp.dir, 'app.log.2025-12-13_12');
    // Three chunks of the reader's 1 MiB: progress is told after each.
    const line = JSON.stringify(ourLine('00:01', 'INFO', 'x'.repeat(1000)));
    fs.writeFileSync(file, `${line}\n`.repeat(3 * 1024));
  });
  afterAll(() => tmp.cleanup());

  it('tells the bytes read from each file after each chunk, up to its size', async () => {
    const query = parseQuery('stats count(*) as n');
    const run = new QueryRun(query);
    const reads: number[] = [];
    await scanInputs(query, [file], run, { onRead: (name, bytes) => name === file && reads.push(bytes) });
    expect(reads.length).toBeGreaterThanOrEqual(3);
    expect(reads).toEqual([...reads].sort((a, b) => a - b));
    expect(reads.at(-1)).toBe(fs.statSync(file).size);
    expect(run.finish().rows).toEqual([{ n: '3072' }]);
  });

  it('stops reading when its signal is aborted, and rejects with the reason', async () => {
    const query = parseQuery('stats count(*) as n');
    const controller = new AbortController();
    let reads = 0;
    const scan = scanInputs(query, [file, file], new QueryRun(query), {
      signal: controller.signal,
      onRead: () => {
        if (++reads === 1) controller.abort(new Error('client went away'));
      },
    });
    await expect(scan).rejects.toThrow('client went away');
    expect(reads).toBe(1);
  });
});

describe('every field of a row (a row opened on the page)', () => {
  it('an event: the system fields, the JSON keys flattened (@ doubled), the fields set by commands', () => {
    const event = eventOf(ourLine('00:01', 'ERROR', 'boom', { error: { type: 'Error' }, tags: ['a', null] }));
    event.set('seconds', 2);
    expect(Object.fromEntries(event.fields())).toEqual({
      '@timestamp': expect.anything(),
      '@message': event.message,
      '@logStream': 'app.log.2025-12-13_12',
      '@log': '/logs',
      '@ingestionTime': expect.anything(),
      '@@timestamp': '2025-12-13T12:00:01.000Z',
      level: 'ERROR',
      logger: 'app',
      app: 'cw_demo',
      process: 'main',
      message: 'boom',
      'error.type': 'Error',
      'tags.0': 'a',
      seconds: 2,
    });
  });

  it('QueryRun.finish({ everyField }) gives them per row, as text; stats rows their columns', () => {
    const query = parseQuery('fields message | limit 1');
    const run = new QueryRun(query);
    run.push(eventOf(ourLine('00:01', 'INFO', 'hi', { res: { statusCode: 200 } })));
    const result = run.finish({ everyField: true });
    expect(result.rows).toEqual([{ message: 'hi' }]);
    expect(result.rowFields?.[0]).toMatchObject({
      '@timestamp': '2025-12-13 12:00:01.000',
      'res.statusCode': '200',
      message: 'hi',
    });
    const stats = new QueryRun(parseQuery('stats count(*) as n by level'));
    stats.push(eventOf(ourLine('00:01', 'INFO', 'hi')));
    expect(stats.finish({ everyField: true }).rowFields).toEqual([{ level: 'INFO', n: '1' }]);
    expect(new QueryRun(query).finish().rowFields).toBeUndefined();
  });
});
