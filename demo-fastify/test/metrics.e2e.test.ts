/**
 * The built server (`dist/server.js`, run `npx tsc -b` first) as a real process in production mode:
 * its metrics of the last minute are only in memory until SIGTERM, which must write them into
 * metrics.log.* before the process exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkEmf, metricValues } from 'pino-cloudwatch-metrics/internal';
import { DEMO_METRICS } from '../src/metrics';
import { serverPerTest } from './helpers';
import { readMetricsFiles } from './metrics-helpers';

describe('server.ts metrics as a real process', () => {
  const scope = serverPerTest();

  it('SIGTERM writes the current minute: the lines add up to the requests made', async () => {
    const { server, base, logDir } = await scope.serve({ METRICS_NAMESPACE: 'cw_demo_e2e' });
    for (let i = 0; i < 120; i++) expect((await fetch(`${base}/`)).status).toBe(200);
    expect((await fetch(`${base}/error`)).status).toBe(500);
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
    expect(server.stderr()).toBe('');

    const docs = readMetricsFiles(logDir);
    for (const doc of docs) expect(checkEmf(doc)).toEqual([]);
    const sum = (route: string, name: string) =>
      docs
        .filter((d) => d.Route === route)
        .reduce((total, d) => total + metricValues(d, name).reduce((a, b) => a + b, 0), 0);
    const count = (route: string, name: string) =>
      docs.filter((d) => d.Route === route).reduce((total, d) => total + metricValues(d, name).length, 0);
    expect(sum('GET /', DEMO_METRICS.requests)).toBe(120);
    expect(count('GET /', DEMO_METRICS.latency)).toBe(120);
    expect(sum('GET /error', DEMO_METRICS.serverErrors)).toBe(1);
    expect(docs.every((d) => d._aws.CloudWatchMetrics[0]!.Namespace === 'cw_demo_e2e')).toBe(true);
    // The application's files are elsewhere in the family app.log.*: no EMF line among them.
    const appLines = fs
      .readdirSync(logDir)
      .filter((name) => name.startsWith('app.log.'))
      .flatMap((name) => fs.readFileSync(path.join(logDir, name), 'utf8').split('\n'));
    expect(appLines.length).toBeGreaterThan(100);
    expect(appLines.some((line) => line.includes('"CloudWatchMetrics"'))).toBe(false);
  });
});
