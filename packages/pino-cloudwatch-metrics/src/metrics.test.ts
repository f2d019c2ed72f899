import fs from 'node:fs';
import { checkEmf, metricValues } from './emf-schema';
import { createMetrics, Metrics } from './metrics';
import { MetricsError } from './names';
import { checkMetricsOptions } from './options';
import { prng } from 'pino-cloudwatch-test-support';
import { manualClock, memoryDestination } from './test-helpers';

const T0 = Date.UTC(2025, 11, 13, 12, 30, 0); // a minute boundary

function setup(extra: Partial<Parameters<typeof createMetrics>[0]> = {}) {
  const clock = manualClock(T0);
  const out = memoryDestination();
  const reports: string[] = [];
  const metrics = createMetrics({
    namespace: 'cw_demo',
    destination: out,
    dimensions: { Service: 'cw_demo' },
    autoFlush: false,
    clock: clock.now,
    report: (message) => reports.push(message),
    ...extra,
  });
  return { metrics, clock, out, reports };
}

const valuesOf = metricValues;

describe('createMetrics: counters and distributions written as EMF per interval', () => {
  it('sums a counter, keeps every value of a distribution, per dimension values, stamped with the interval start', () => {
    const { metrics, clock, out } = setup();
    const requests = metrics.counter('Requests', { dimensions: ['Route'] });
    const latency = metrics.distribution('Latency', { unit: 'Milliseconds', dimensions: ['Route'] });
    clock.advance(1_000);
    requests.add(1, { Route: 'GET /' });
    latency.record(12.5, { Route: 'GET /' });
    clock.advance(20_000);
    requests.add(1, { Route: 'GET /' });
    latency.record(7, { Route: 'GET /' });
    requests.add(1, { Route: 'GET /slow' });
    latency.record(200.25, { Route: 'GET /slow' });

    metrics.flush(false);
    expect(out.lines).toEqual([]); // the interval has not ended
    clock.set(T0 + 60_000);
    metrics.flush(false);

    const docs = out.documents();
    expect(docs).toHaveLength(2);
    for (const doc of docs) {
      expect(checkEmf(doc)).toEqual([]);
      expect(doc._aws.Timestamp).toBe(T0);
      expect(doc.Service).toBe('cw_demo');
      expect(doc._aws.CloudWatchMetrics[0].Dimensions).toEqual([['Service', 'Route']]);
    }
    const byRoute = Object.fromEntries(docs.map((d) => [d.Route, d]));
    expect(byRoute['GET /']).toMatchObject({ Requests: 2, Latency: [12.5, 7] });
    expect(byRoute['GET /slow']).toMatchObject({ Requests: 1, Latency: 200.25 });
    expect(metrics.stats()).toEqual({ recorded: 6, dropped: {}, lines: 2 });
  });

  it('starts a new interval on the clock: values after the boundary get the next timestamp', () => {
    const { metrics, clock, out } = setup({ intervalMs: 10_000 });
    const requests = metrics.counter('Requests');
    requests.add(1);
    clock.advance(9_999);
    requests.add(1);
    clock.advance(1);
    requests.add(5);
    metrics.flush(true);
    expect(out.documents().map((d) => [d._aws.Timestamp, d.Requests])).toEqual([
      [T0, 2],
      [T0 + 10_000, 5],
    ]);
  });

  it('aggregates high-resolution metrics per second, with StorageResolution 1', () => {
    const { metrics, clock, out } = setup();
    const inFlight = metrics.distribution('InFlight', { storageResolution: 1 });
    inFlight.record(1);
    clock.advance(400);
    inFlight.record(2);
    clock.advance(700);
    inFlight.record(3);
    clock.set(T0 + 60_000);
    metrics.flush(false);
    const docs = out.documents();
    expect(docs.map((d) => [d._aws.Timestamp, d.InFlight])).toEqual([
      [T0, [1, 2]],
      [T0 + 1000, 3],
    ]);
    expect(docs[0]!._aws.CloudWatchMetrics[0].Metrics).toEqual([
      { Name: 'InFlight', Unit: 'None', StorageResolution: 1 },
    ]);
  });

  it('publishes under several dimension sets from the same values', () => {
    const { metrics, out } = setup();
    const errors = metrics.counter('ServerErrors', { dimensions: ['Route'], dimensionSets: [['Route'], []] });
    errors.add(1, { Route: 'GET /error' });
    metrics.flush();
    const [doc] = out.documents();
    expect(doc!._aws.CloudWatchMetrics[0].Dimensions).toEqual([['Service', 'Route'], ['Service']]);
    expect(checkEmf(doc)).toEqual([]);
  });

  it('property: over seeded random traffic, the lines add up to exactly what was recorded', () => {
    for (const seed of [1, 2, 3, 42, 2025]) {
      const random = prng(seed);
      const { metrics, clock, out } = setup({ intervalMs: 5_000, maxBufferedValues: 150 });
      const count = metrics.counter('Requests', {
        dimensions: ['Route', 'Status'],
        dimensionSets: [['Route', 'Status'], []],
      });
      const latency = metrics.distribution('Latency', {
        unit: 'Milliseconds',
        dimensions: ['Route', 'Status'],
      });
      const size = metrics.distribution('Size', {
        unit: 'Bytes',
        dimensions: ['Route', 'Status'],
        storageResolution: 1,
      });
      const expected = new Map<string, { count: number; latency: number[]; size: number[] }>();
      const routes = ['GET /', 'GET /slow', 'POST /orders', 'GET /error'];
      for (let i = 0; i < 3000; i++) {
        clock.advance(Math.floor(random() * 40));
        const dims = {
          Route: routes[Math.floor(random() * routes.length)]!,
          Status: String(200 + Math.floor(random() * 3) * 100),
        };
        const key = `${dims.Route}|${dims.Status}`;
        const entry = expected.get(key) ?? { count: 0, latency: [], size: [] };
        expected.set(key, entry);
        const n = Math.floor(random() * 3);
        count.add(n, dims);
        entry.count += n;
        const ms = Math.round(random() * 1e6) / 1e3;
        latency.record(ms, dims);
        entry.latency.push(ms);
        const bytes = Math.floor(random() * 5000);
        size.record(bytes, dims);
        entry.size.push(bytes);
        if (random() < 0.01) metrics.flush(false);
      }
      metrics.flush(true);
      const actual = new Map<string, { count: number; latency: number[]; size: number[] }>();
      for (const doc of out.documents()) {
        expect(checkEmf(doc)).toEqual([]);
        const key = `${doc.Route}|${doc.Status}`;
        const entry = actual.get(key) ?? { count: 0, latency: [], size: [] };
        actual.set(key, entry);
        entry.count += valuesOf(doc, 'Requests').reduce((a, b) => a + b, 0);
        // Lines of one series come in time order, so the arrays concatenate to the recorded order.
        entry.latency.push(...valuesOf(doc, 'Latency'));
        entry.size.push(...valuesOf(doc, 'Size'));
        expect(doc._aws.Timestamp % 1000).toBe(0);
      }
      expect(
        new Map(
          [...actual].map(([k, v]) => [
            k,
            { ...v, latency: [...v.latency].sort(), size: [...v.size].sort() },
          ]),
        ),
      ).toEqual(
        new Map(
          [...expected].map(([k, v]) => [
            k,
            { ...v, latency: [...v.latency].sort(), size: [...v.size].sort() },
          ]),
        ),
      );
      const stats = metrics.stats();
      expect(stats.recorded).toBe(9000);
      expect(stats.dropped).toEqual({});
      expect(stats.lines).toBe(out.lines.length);
    }
  });

  it('writes a series early when it holds maxBufferedValues values: memory stays bounded, nothing is lost', () => {
    const { metrics, out } = setup({ maxBufferedValues: 250 });
    const latency = metrics.distribution('Latency');
    for (let i = 0; i < 600; i++) latency.record(i);
    expect(out.lines).toHaveLength(6); // two early writes of 250 values, 100 per line, 3 lines each
    metrics.flush();
    const all = out.documents().flatMap((d) => valuesOf(d, 'Latency'));
    expect(all).toEqual(Array.from({ length: 600 }, (_, i) => i));
  });

  it('drops bad runtime values, counts them, and reports each kind once', () => {
    const { metrics, out, reports } = setup();
    const latency = metrics.distribution('Latency', { dimensions: ['Route'] });
    latency.record(Number.NaN, { Route: 'GET /' });
    latency.record(Number.POSITIVE_INFINITY, { Route: 'GET /' });
    latency.record('12' as unknown as number, { Route: 'GET /' });
    latency.record(1, { Route: '' });
    latency.record(1, { Route: 'caf\u00e9' });
    latency.record(1, { Route: 'undefined' });
    latency.record(1, { Route: undefined as unknown as string });
    latency.record(2 ** 400, { Route: 'GET /' });
    latency.record(1, { Route: 'GET /' });
    metrics.flush();
    // The route really named "undefined" keeps its one value; the missing route is dropped.
    expect(out.documents().map((d) => [d.Route, d.Latency])).toEqual([
      ['undefined', 1],
      ['GET /', 1],
    ]);
    const stats = metrics.stats();
    expect(Object.values(stats.dropped).reduce((a, b) => a + b, 0)).toBe(7);
    expect(stats.recorded).toBe(2);
    // One report per kind of problem, each naming the metric.
    expect(reports.length).toBe(Object.keys(stats.dropped).length);
    expect(reports[0]).toMatch(/^dropped: a value of Latency: a value must be finite/);
    latency.record(Number.NaN, { Route: 'GET /' });
    expect(reports.length).toBe(Object.keys(stats.dropped).length);
    expect(metrics.stats().dropped['a value must be finite (CloudWatch refuses NaN and ±Infinity)']).toBe(3);
  });

  it('drops values of an interval outside CloudWatch window (a clock that jumped), and counts them', () => {
    const { metrics, clock, out, reports } = setup();
    const requests = metrics.counter('Requests');
    requests.add(4);
    clock.advance(15 * 24 * 3_600_000);
    metrics.flush();
    expect(out.lines).toEqual([]);
    expect(metrics.stats().dropped).toEqual({ 'timestamp outside CloudWatch window': 1 });
    expect(reports[0]).toMatch(/outside CloudWatch's window/);
  });

  it('a destination that throws never throws into the application: reported once', () => {
    const reports: string[] = [];
    const metrics = createMetrics({
      namespace: 'cw_demo',
      destination: {
        write: () => {
          throw new Error('EPIPE');
        },
      },
      autoFlush: false,
      report: (message) => reports.push(message),
    });
    const requests = metrics.counter('Requests');
    requests.add(1);
    expect(() => metrics.flush()).not.toThrow();
    requests.add(1);
    expect(() => metrics.flush()).not.toThrow();
    expect(reports).toEqual(['cannot write the metrics lines: Error: EPIPE']);
  });

  it('close() writes what is left; values recorded afterwards are dropped and counted', async () => {
    const { metrics, out, reports } = setup();
    const requests = metrics.counter('Requests');
    requests.add(2);
    await metrics.close();
    expect(out.documents().map((d) => d.Requests)).toEqual([2]);
    requests.add(1);
    metrics.flush();
    await metrics.close();
    expect(out.lines).toHaveLength(1);
    expect(metrics.stats().dropped).toEqual({ 'recorded after close()': 1 });
    expect(reports.join('\n')).toMatch(/recorded after close/);
  });

  it('writes on a timer at the end of each interval (real timers, 1 s interval)', async () => {
    const out = memoryDestination();
    const metrics = new Metrics({ namespace: 'cw_demo', destination: out, intervalMs: 1000 });
    const requests = metrics.counter('Requests');
    requests.add(1);
    const deadline = Date.now() + 3000;
    while (out.lines.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(out.documents().map((d) => d.Requests)).toEqual([1]);
    await metrics.close();
  });
});

describe('programming mistakes throw where they are made', () => {
  const base = () => ({ namespace: 'cw_demo', destination: memoryDestination(), autoFlush: false });

  it.each([
    [{ namespace: '' }, /namespace must be a string of 1 to 255/],
    [{ namespace: 'AWS/EC2' }, /must not start with 'AWS\/'/],
    [{ namespace: 'caf\u00e9' }, /may hold only letters/],
    [{ destination: undefined }, /exactly one of file .* and destination/],
    [{ file: './logs/metrics.log' }, /exactly one of file/],
    [{ intervalMs: 7000 }, /intervalMs must be a whole number of seconds that divides a minute/],
    [{ intervalMs: 120_000 }, /intervalMs/],
    [{ dimensions: { Service: '' } }, /dimensions.Service: a dimension value must be printable ASCII/],
    [{ dimensions: { level: 'x' } }, /"level" is a key every log line already has/],
    [{ maxBufferedValues: 10 }, /maxBufferedValues must be a whole number from 100/],
    [{ intervalMS: 1000 }, /option "intervalMS" is not known; did you mean "intervalMs"\?/],
    [{ clock: 5 }, /clock must be a function/],
    [{ app: 'x' }, /fileOptions, app and process go with file/],
  ])('createMetrics(%p) throws', (options, message) => {
    expect(() => createMetrics({ ...base(), ...(options as object) } as never)).toThrow(MetricsError);
    expect(() => createMetrics({ ...base(), ...(options as object) } as never)).toThrow(message);
  });

  it('checkMetricsOptions throws the same, and starts nothing', () => {
    expect(() => checkMetricsOptions({ namespace: 'AWS/EC2', destination: memoryDestination() })).toThrow(
      /must not start with 'AWS\/'/,
    );
    expect(() =>
      checkMetricsOptions({ namespace: 'ok', file: '/nonexistent-dir-for-test/metrics.log' }),
    ).not.toThrow();
    expect(fs.existsSync('/nonexistent-dir-for-test')).toBe(false);
  });

  it('refuses file options the file transport refuses, with its message', () => {
    expect(() =>
      createMetrics({
        namespace: 'x',
        file: '/tmp/m.log',
        fileOptions: { frequency: 1000 },
        autoFlush: false,
      }),
    ).toThrow(/allowShortFrequency/);
  });

  it.each([
    [
      'a unit CloudWatch does not know',
      (m: Metrics) => m.distribution('Latency', { unit: 'ms' as never }),
      /unit must be one of CloudWatch's units/,
    ],
    [
      'storageResolution 5',
      (m: Metrics) => m.counter('Requests', { storageResolution: 5 as never }),
      /storageResolution must be 60 .* or 1/,
    ],
    ['an empty name', (m: Metrics) => m.counter(''), /counter name must be a string of 1 to 255/],
    [
      'a reserved name',
      (m: Metrics) => m.counter('message'),
      /"message" is a key every log line already has/,
    ],
    [
      'a misspelt declaration option',
      (m: Metrics) => m.counter('Requests', { dimension: ['Route'] } as never),
      /counter "Requests": option "dimension" is not known; did you mean "dimensions"\?/,
    ],
    [
      'declaration options that are not an object',
      (m: Metrics) => m.distribution('Latency', 'Milliseconds' as never),
      /distribution "Latency": options must be an object like \{ dimensions: \['Route'\] \}, got "Milliseconds"/,
    ],
    [
      'a name declared twice',
      (m: Metrics) => (m.counter('Requests'), m.distribution('Requests')),
      /declared twice/,
    ],
    [
      '31 dimension keys',
      (m: Metrics) => m.counter('Requests', { dimensions: Array.from({ length: 30 }, (_, i) => `D${i}`) }),
      /31 keys with the default dimensions; CloudWatch allows 30/,
    ],
    [
      'a set naming an undeclared key',
      (m: Metrics) => m.counter('Requests', { dimensions: ['Route'], dimensionSets: [['Status']] }),
      /names "Status", which is not in its dimensions/,
    ],
    [
      'a dimension named like the default one',
      (m: Metrics) => m.counter('Requests', { dimensions: ['Service'] }),
      /default dimension already/,
    ],
    [
      'a dimension named like a metric',
      (m: Metrics) => (m.counter('Route'), m.counter('Requests', { dimensions: ['Route'] })),
      /is the name of a metric/,
    ],
  ])('declaring %s throws', (_what, declare, message) => {
    const metrics = createMetrics({ ...base(), dimensions: { Service: 'cw_demo' } });
    expect(() => declare(metrics)).toThrow(message);
  });

  it('recording without the dimensions object drops the value and reports it once, never throwing', () => {
    const reports: string[] = [];
    const metrics = createMetrics({ ...base(), report: (message: string) => void reports.push(message) });
    const latency = metrics.distribution('Latency', { dimensions: ['Route'] });
    expect(() => latency.record(1, undefined as never)).not.toThrow();
    expect(() => latency.record(2, 'GET /' as never)).not.toThrow();
    expect(() => latency.record(3, undefined as never)).not.toThrow();
    latency.record(4, { Route: 'GET /' });
    expect(metrics.stats().dropped).toEqual({
      'the dimensions must be an object with Route, got undefined': 2,
      'the dimensions must be an object with Route, got string': 1,
    });
    expect(reports).toEqual([
      expect.stringContaining(
        'a value of Latency: the dimensions must be an object with Route, got undefined',
      ),
      expect.stringContaining('a value of Latency: the dimensions must be an object with Route, got string'),
    ]);
  });
});
