/**
 * The demo's request metrics end to end in one process: real HTTP requests on 127.0.0.1, the EMF lines
 * the metrics write into metrics.log.* in a temporary folder, each checked against the EMF
 * specification's schema and added up against the requests made.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setupLogging } from 'pino-cloudwatch-setup';
import { checkEmf, type EmfDocument, metricValues } from 'pino-cloudwatch-metrics/internal';
import { buildApp } from '../src/app';
import { ConfigError, loggingConfig, readConfig } from '../src/config';
import { DEMO_METRICS, readMetricsConfig, startRequestMetrics, UNMATCHED_ROUTE } from '../src/metrics';
import { memoryDestination, tempDir } from './helpers';
import { METRICS_FILE, readMetricsFiles } from './metrics-helpers';

/** Per Route (the per-route dimension set's lines), the sum of each metric and the latency count. */
function totals(docs: EmfDocument[]) {
  const byRoute = new Map<string, { requests: number; latencies: number; client: number; server: number }>();
  for (const doc of docs) {
    const route = doc.Route as string;
    const entry = byRoute.get(route) ?? { requests: 0, latencies: 0, client: 0, server: 0 };
    byRoute.set(route, entry);
    const sum = (name: string) => metricValues(doc, name).reduce((a, b) => a + b, 0);
    entry.requests += sum(DEMO_METRICS.requests);
    entry.latencies += metricValues(doc, DEMO_METRICS.latency).length;
    entry.client += sum(DEMO_METRICS.clientErrors);
    entry.server += sum(DEMO_METRICS.serverErrors);
  }
  return Object.fromEntries(byRoute);
}

describe('demo request metrics (EMF)', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('real requests become metrics.log.* lines that pass the EMF schema and add up to the requests made', async () => {
    const config = readConfig({ ENVIRONMENT: 'production', LOG_PATH: path.join(tmp.dir, 'app.log') });
    const metricsConfig = readMetricsConfig(config, {})!;
    expect(metricsConfig).toEqual({
      file: path.join(tmp.dir, 'metrics.log'),
      namespace: 'cw_demo',
      service: 'cw_demo',
      app: 'cw_demo',
      process: 'main',
    });
    const logs = memoryDestination();
    const app = buildApp({ logger: setupLogging(loggingConfig(config), {}, logs) });
    const metrics = startRequestMetrics(app, metricsConfig, { autoFlush: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

    const made: [string, number][] = [
      ['/', 200],
      ['/?user_id=7', 200],
      ['/', 200],
      ['/warn', 200],
      ['/error', 500],
      ['/error', 500],
      ['/slow?ms=5', 200],
      ['/?user_id=abc', 400],
      ['/nowhere', 404],
      ['/nowhere/else', 404],
      ['/healthz', 200],
    ];
    for (const [url, status] of made) expect((await fetch(`${base}${url}`)).status).toBe(status);
    await app.close();
    await metrics.close();

    const docs = readMetricsFiles(tmp.dir);
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      expect(checkEmf(doc)).toEqual([]);
      expect(doc).toMatchObject({ level: 'INFO', logger: 'metrics', app: 'cw_demo', Service: 'cw_demo' });
      expect(doc._aws.CloudWatchMetrics[0]!.Namespace).toBe('cw_demo');
      expect(doc._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Service', 'Route'], ['Service']]);
    }
    expect(totals(docs)).toEqual({
      'GET /': { requests: 4, latencies: 4, client: 1, server: 0 },
      'GET /warn': { requests: 1, latencies: 1, client: 0, server: 0 },
      'GET /error': { requests: 2, latencies: 2, client: 0, server: 2 },
      'GET /slow': { requests: 1, latencies: 1, client: 0, server: 0 },
      [`GET ${UNMATCHED_ROUTE}`]: { requests: 2, latencies: 2, client: 2, server: 0 },
    });
    // The health probe is not user traffic: not measured.
    expect(docs.some((doc) => doc.Route === 'GET /healthz')).toBe(false);
    const slow = docs.find((doc) => doc.Route === 'GET /slow')!;
    expect(metricValues(slow, DEMO_METRICS.latency)[0]).toBeGreaterThanOrEqual(4); // a 5 ms timer, measured by Fastify
    // Nothing of it in the application's log records, and no other file beside the metrics.
    expect(fs.readdirSync(tmp.dir).filter((name) => !METRICS_FILE.test(name))).toEqual([]);
    expect(logs.records.some((record) => '_aws' in record)).toBe(false);
  });

  it('local mode: no metrics at all', () => {
    expect(readMetricsConfig(readConfig({}), {})).toBeUndefined();
  });

  it('METRICS_PATH and METRICS_NAMESPACE: defaults from LOG_PATH and APP; bad values stop the start', () => {
    const config = readConfig({ ENVIRONMENT: 'production', APP: 'shop', LOG_PATH: '/var/log/shop/app.log' });
    expect(readMetricsConfig(config, {})).toMatchObject({
      file: '/var/log/shop/metrics.log',
      namespace: 'shop',
    });
    expect(
      readMetricsConfig(config, { METRICS_PATH: '/data/emf.log', METRICS_NAMESPACE: 'Shop/Web' }),
    ).toMatchObject({
      file: '/data/emf.log',
      namespace: 'Shop/Web',
    });
    expect(() => readMetricsConfig(config, { METRICS_NAMESPACE: 'AWS/Shop' })).toThrow(ConfigError);
    expect(() => readMetricsConfig(config, { METRICS_NAMESPACE: 'AWS/Shop' })).toThrow(
      /METRICS_NAMESPACE.*AWS\//,
    );
    expect(() => readMetricsConfig(config, { METRICS_PATH: ' ' })).toThrow(/METRICS_PATH is set but empty/);
    expect(() => readMetricsConfig(config, { METRICS_PATH: `${tmp.dir}/` })).toThrow(ConfigError);
  });
});
