/**
 * The file family, for real: EMF lines written by pino-cloudwatch-file into `metrics.log.<period>` in a
 * temporary folder, read back from disk.
 */
import { EXPECTED_CORE_KEYS } from 'pino-cloudwatch-test-support';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMetrics } from 'pino-cloudwatch-metrics';
import { checkEmf, metricValues, type EmfDocument } from 'pino-cloudwatch-metrics/internal';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-metrics-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const readLines = (file: string) =>
  fs
    .readFileSync(path.join(dir, file), 'utf8')
    .split('\n')
    .filter((line) => line !== '');

describe('EMF lines in their own file family (pino-cloudwatch-file)', () => {
  it('writes metrics.log.<hour> lines: the transport header first, then a valid EMF document', async () => {
    const metrics = createMetrics({
      namespace: 'cw_demo',
      file: path.join(dir, 'metrics.log'),
      app: 'cw_demo',
      process: 'web-1',
      dimensions: { Service: 'cw_demo' },
      autoFlush: false,
    });
    const requests = metrics.counter('Requests', { dimensions: ['Route'] });
    const latency = metrics.distribution('Latency', { unit: 'Milliseconds', dimensions: ['Route'] });
    for (let i = 0; i < 150; i++) {
      requests.add(1, { Route: 'GET /' });
      latency.record(i + 0.5, { Route: 'GET /' });
    }
    await metrics.close();

    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^metrics\.log\.\d{4}-\d{2}-\d{2}_\d{2}$/);
    const lines = readLines(files[0]!);
    expect(lines).toHaveLength(2); // 150 values: 100 + 50
    const docs = lines.map((line) => JSON.parse(line) as EmfDocument);
    for (const [i, doc] of docs.entries()) {
      expect(Object.keys(doc).slice(0, 7)).toEqual([...EXPECTED_CORE_KEYS, '_aws']);
      expect(doc).toMatchObject({
        level: 'INFO',
        logger: 'metrics',
        app: 'cw_demo',
        process: 'web-1',
        message: '',
      });
      expect(doc['@timestamp']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(checkEmf(doc)).toEqual([]);
      // What the agent looks for to switch the stream to EMF (CONTRACT §6.12).
      expect(
        lines[i]!.startsWith('{') && lines[i]!.endsWith('}') && lines[i]!.includes('"CloudWatchMetrics"'),
      ).toBe(true);
    }
    expect(docs[0]!.Requests).toBe(150);
    expect([...metricValues(docs[0]!, 'Latency'), ...metricValues(docs[1]!, 'Latency')]).toEqual(
      Array.from({ length: 150 }, (_, i) => i + 0.5),
    );
  });

  it('sizes lines under the transport maxEventBytes: split, never truncated', async () => {
    const maxEventBytes = 2048;
    const metrics = createMetrics({
      namespace: 'cw_demo',
      file: path.join(dir, 'metrics.log'),
      fileOptions: { maxEventBytes },
      dimensions: { Service: 'cw_demo', Route: 'GET /' + 'x'.repeat(200) },
      autoFlush: false,
    });
    const names = Array.from({ length: 12 }, (_, i) => `LatencyOfStep${i}`);
    const series = names.map((name) => metrics.distribution(name, { unit: 'Milliseconds' }));
    const recorded = names.map(() => [] as number[]);
    for (let i = 0; i < 300; i++) {
      series.forEach((s, j) => {
        const value = 123_456.789_012 + i * 7 + j;
        s.record(value);
        recorded[j]!.push(value);
      });
    }
    await metrics.close();
    const [file] = fs.readdirSync(dir);
    const lines = readLines(file!);
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(maxEventBytes);
      const doc = JSON.parse(line) as EmfDocument;
      expect(doc.truncated).toBeUndefined();
      expect(checkEmf(doc)).toEqual([]);
    }
    const docs = lines.map((line) => JSON.parse(line) as EmfDocument);
    names.forEach((name, j) => {
      const values = docs.flatMap((d) =>
        d[name] === undefined ? [] : Array.isArray(d[name]) ? d[name] : [d[name]],
      );
      expect(values).toEqual(recorded[j]);
    });
  });

  it('never touches the application files beside it', async () => {
    fs.writeFileSync(path.join(dir, 'app.log.2025-12-13_12'), '{"message":"app line"}\n');
    const metrics = createMetrics({
      namespace: 'cw_demo',
      file: path.join(dir, 'metrics.log'),
      autoFlush: false,
    });
    metrics.counter('Requests').add(1);
    await metrics.close();
    expect(fs.readFileSync(path.join(dir, 'app.log.2025-12-13_12'), 'utf8')).toBe('{"message":"app line"}\n');
    expect(fs.readdirSync(dir).sort()).toEqual([
      'app.log.2025-12-13_12',
      expect.stringMatching(/^metrics\.log\./),
    ]);
  });

  it('writes nothing and creates no file when nothing was recorded', async () => {
    const metrics = createMetrics({
      namespace: 'cw_demo',
      file: path.join(dir, 'metrics.log'),
      autoFlush: false,
    });
    metrics.counter('Requests');
    await metrics.close();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('a folder that cannot be written', () => {
  it('never throws into the application: recording and close() go on, the transport reports on stderr', () => {
    const notAFolder = path.join(dir, 'not-a-folder');
    fs.writeFileSync(notAFolder, '');
    const script = `
      const { createMetrics } = require('pino-cloudwatch-metrics');
      const metrics = createMetrics({ namespace: 'cw_demo', file: ${JSON.stringify(path.join(notAFolder, 'metrics.log'))}, autoFlush: false });
      metrics.counter('Requests').add(1);
      metrics.close().then(() => console.log(JSON.stringify(metrics.stats())));
    `;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: __dirname });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ recorded: 1, dropped: {}, lines: 1 });
    expect(run.stderr).toMatch(/pino-cloudwatch-file: cannot open .*not-a-folder\/metrics\.log\..*ENOTDIR/);
  });
});
