/**
 * deploy/cloudwatch/: the dashboard body and the two alarms parse, have the shape CloudWatch takes,
 * and every metric they name — namespace, metric name, dimension set and values — is one the demo
 * really writes (its EMF lines after real requests, read back from disk).
 */
import fs from 'node:fs';
import path from 'node:path';
import { setupLogging } from 'pino-cloudwatch-setup';
import { checkEmf, type EmfDocument } from 'pino-cloudwatch-metrics/internal';
import { buildApp } from '../src/app';
import { loggingConfig, readConfig } from '../src/config';
import { readMetricsConfig, startRequestMetrics } from '../src/metrics';
import { memoryDestination, REPO_ROOT, tempDir } from './helpers';
import { readMetricsFiles } from './metrics-helpers';

const DIR = path.join(REPO_ROOT, 'deploy', 'cloudwatch');
const readJson = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8'));

/** `namespace|metric|Dim=value,…` (dimensions sorted) of every metric the documents publish. */
function published(docs: EmfDocument[]): Set<string> {
  const out = new Set<string>();
  for (const doc of docs) {
    for (const directive of doc._aws.CloudWatchMetrics) {
      for (const set of directive.Dimensions) {
        for (const { Name } of directive.Metrics) {
          out.add(
            identity(
              directive.Namespace,
              Name,
              set.map((key) => [key, doc[key] as string]),
            ),
          );
        }
      }
    }
  }
  return out;
}

function identity(namespace: string, metric: string, dimensions: [string, string][]): string {
  const dims = [...dimensions].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
  return `${namespace}|${metric}|${dims.join(',')}`;
}

/** The statistics CloudWatch takes for these metrics. */
const STAT = /^(Sum|SampleCount|Average|Minimum|Maximum|p\d{1,2}(\.\d+)?|tm\d{1,2}|IQM)$/;

let metrics: Set<string>;
let docs: EmfDocument[];

beforeAll(async () => {
  const tmp = tempDir();
  try {
    const config = readConfig({ ENVIRONMENT: 'production', LOG_PATH: path.join(tmp.dir, 'app.log') });
    const app = buildApp({ logger: setupLogging(loggingConfig(config), {}, memoryDestination()) });
    const recorder = startRequestMetrics(app, readMetricsConfig(config, {})!, { autoFlush: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    for (const url of ['/', '/warn', '/error', '/slow?ms=1', '/nowhere']) await fetch(`${base}${url}`);
    await app.close();
    await recorder.close();
    docs = readMetricsFiles(tmp.dir);
  } finally {
    tmp.cleanup();
  }
  for (const doc of docs) expect(checkEmf(doc)).toEqual([]);
  metrics = published(docs);
});

interface MetricWidget {
  type: string;
  properties: { title: string; region: string; metrics: unknown[][]; period?: number; stat?: string };
}

describe('deploy/cloudwatch/dashboard.json', () => {
  const body = readJson('dashboard.json') as { widgets: MetricWidget[] };

  it('is a dashboard body of metric widgets, each with a title, a region and metrics', () => {
    expect(body.widgets.length).toBeGreaterThanOrEqual(4);
    for (const widget of body.widgets) {
      expect(widget.type).toBe('metric');
      expect(widget.properties.title).toEqual(expect.any(String));
      expect(widget.properties.region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
      expect(widget.properties.metrics.length).toBeGreaterThan(0);
    }
  });

  it('names only metrics the demo writes, with their dimension sets and values', () => {
    let checked = 0;
    for (const widget of body.widgets) {
      const ids = new Set<string>();
      const expressions: string[] = [];
      for (const row of widget.properties.metrics) {
        const last = row[row.length - 1];
        const options = (typeof last === 'object' && last !== null ? last : {}) as {
          id?: string;
          stat?: string;
          expression?: string;
        };
        if (options.id !== undefined) ids.add(options.id);
        if (options.expression !== undefined) {
          expressions.push(options.expression);
          continue;
        }
        const [namespace, name, ...rest] = row.filter((item) => typeof item === 'string') as string[];
        const dims: [string, string][] = [];
        for (let i = 0; i < rest.length; i += 2) dims.push([rest[i]!, rest[i + 1]!]);
        expect(metrics).toContain(identity(namespace!, name!, dims));
        expect(options.stat ?? widget.properties.stat).toMatch(STAT);
        checked++;
      }
      for (const expression of expressions) {
        const search =
          /^SEARCH\('\{([^}]*)\} MetricName="([^"]+)"((?: \w+="[^"]*")*)', '([^']+)', (\d+)\)$/.exec(
            expression,
          );
        if (search) {
          const [namespace, ...keys] = search[1]!.split(',');
          const values = [...search[3]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!] as const);
          // Some metric the demo writes has exactly these dimension keys and these values.
          const match = [...metrics].some((id) => {
            const [ns, metric, dimText] = id.split('|');
            const dims = new Map(dimText!.split(',').map((pair) => pair.split('=') as [string, string]));
            return (
              ns === namespace &&
              metric === search[2] &&
              dims.size === keys.length &&
              keys.every((key) => dims.has(key)) &&
              values.every(([key, value]) => dims.get(key) === value)
            );
          });
          expect({ expression, match }).toEqual({ expression, match: true });
          expect(search[4]).toMatch(STAT);
        } else {
          // Metric math: every id it uses is a row of the widget.
          for (const id of expression.match(/\b[a-z]\w*\b/g) ?? []) expect(ids).toContain(id);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});

/** What `aws cloudwatch put-metric-alarm --cli-input-json` takes (PutMetricAlarm's members). */
const ALARM_KEYS = [
  'AlarmName',
  'AlarmDescription',
  'ActionsEnabled',
  'OKActions',
  'AlarmActions',
  'InsufficientDataActions',
  'MetricName',
  'Namespace',
  'Statistic',
  'ExtendedStatistic',
  'Dimensions',
  'Period',
  'Unit',
  'EvaluationPeriods',
  'DatapointsToAlarm',
  'Threshold',
  'ComparisonOperator',
  'TreatMissingData',
  'EvaluateLowSampleCountPercentile',
  'Metrics',
  'Tags',
  'ThresholdMetricId',
];

interface Alarm {
  [key: string]: unknown;
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value: string }[];
  Metrics?: {
    Id: string;
    Expression?: string;
    ReturnData?: boolean;
    MetricStat?: {
      Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] };
      Stat: string;
      Period: number;
    };
  }[];
}

describe.each(['alarm-p99-latency.json', 'alarm-5xx-rate.json'])('deploy/cloudwatch/%s', (file) => {
  const alarm = readJson(file) as Alarm;

  it('has only PutMetricAlarm members, and the ones every alarm needs', () => {
    for (const key of Object.keys(alarm)) expect(ALARM_KEYS).toContain(key);
    expect(alarm).toMatchObject({
      AlarmName: expect.any(String),
      EvaluationPeriods: expect.any(Number),
      Threshold: expect.any(Number),
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.Metrics === undefined).toBe(alarm.MetricName !== undefined);
  });

  it('watches metrics the demo writes', () => {
    if (alarm.MetricName !== undefined) {
      const dims = alarm.Dimensions!.map(({ Name, Value }) => [Name, Value] as [string, string]);
      expect(metrics).toContain(identity(alarm.Namespace!, alarm.MetricName, dims));
      expect(alarm.ExtendedStatistic ?? alarm.Statistic).toMatch(STAT);
      expect(alarm.Period).toBe(60);
      return;
    }
    const ids = new Set(alarm.Metrics!.map((m) => m.Id));
    expect(alarm.Metrics!.filter((m) => m.ReturnData === true)).toHaveLength(1);
    for (const query of alarm.Metrics!) {
      if (query.MetricStat) {
        const { Metric, Stat, Period } = query.MetricStat;
        const dims = Metric.Dimensions.map(({ Name, Value }) => [Name, Value] as [string, string]);
        expect(metrics).toContain(identity(Metric.Namespace, Metric.MetricName, dims));
        expect(Stat).toMatch(STAT);
        expect(Period).toBe(60);
      } else {
        for (const id of query.Expression!.match(/\b[a-z]\w*\b/g) ?? []) expect(ids).toContain(id);
      }
    }
  });
});
