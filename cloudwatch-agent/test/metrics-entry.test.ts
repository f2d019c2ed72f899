/**
 * METRICS_FILES: the CloudWatch metrics (EMF) families get entries and streams of their own, never
 * shared with the application's logs (an EMF line switches its whole stream to the agent's lossy
 * EMF queue). The real entrypoint, --print-config and a start against the stub agent.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createMetrics } from 'pino-cloudwatch-metrics';
import { configProblems } from './agent-schema';
import { agentEventTime } from './agent-timestamp';
import { collectList, EX_CONFIG, renderConfig, runEntrypoint, tempDir, writeStubAgent } from './helpers';

describe('entrypoint.sh METRICS_FILES', () => {
  it('adds one entry per metrics family, with its own stream, after the log families', () => {
    const config = renderConfig({
      LOG_FILES: 'app,worker',
      METRICS_FILES: 'metrics',
      LOG_GROUP_NAME: '/shop/prod',
    });
    expect(configProblems(config)).toEqual([]);
    const items = collectList(config);
    expect(items.map((item) => [item.file_path, item.log_stream_name, item.auto_removal])).toEqual([
      ['/logs/app.log.*', 'app/{local_hostname}', false],
      ['/logs/worker.log.*', 'worker/{local_hostname}', false],
      ['/logs/metrics.log.*', 'metrics/{local_hostname}', false],
    ]);
    // Every stream is one family's: the EMF stream is shared with nothing.
    expect(new Set(items.map((item) => item.log_stream_name)).size).toBe(items.length);
    expect(items[2]).toMatchObject({
      log_group_name: '/shop/prod',
      timestamp_format: '%Y-%m-%dT%H:%M:%S.%fZ',
      timezone: 'UTC',
    });
  });

  it('takes several names, trimmed, and LOG_STREAM_HOST for their streams', () => {
    const items = collectList(
      renderConfig({ METRICS_FILES: ' metrics ,\tbatch-metrics', LOG_STREAM_HOST: 'web-1' }),
    );
    expect(items.map((item) => [item.file_path, item.log_stream_name])).toEqual([
      ['/logs/app.log.*', 'app/web-1'],
      ['/logs/metrics.log.*', 'metrics/web-1'],
      ['/logs/batch-metrics.log.*', 'batch-metrics/web-1'],
    ]);
  });

  it.each([
    ['unset', undefined],
    ['empty', ''],
  ])('adds nothing when METRICS_FILES is %s', (_label, value) => {
    expect(collectList(renderConfig({ METRICS_FILES: value })).map((item) => item.file_path)).toEqual([
      '/logs/app.log.*',
    ]);
  });

  it.each([
    [
      'app',
      /METRICS_FILES lists 'app', which LOG_FILES lists too: EMF lines must have a stream of their own/,
    ],
    ['metrics,metrics', /METRICS_FILES lists 'metrics' twice/],
    ['metrics,', /METRICS_FILES has an empty name/],
    ['metrics.log', /METRICS_FILES name 'metrics.log' is not a plain base name/],
    ['-metrics', /METRICS_FILES name '-metrics' must start with a letter or digit/],
    ['metrics\nx', /METRICS_FILES .* spans several lines/],
  ])('refuses METRICS_FILES=%j with a message naming it (exit 78)', (value, message) => {
    const result = runEntrypoint(['--print-config'], { METRICS_FILES: value });
    expect(result.status).toBe(EX_CONFIG);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('gives a leftover metrics file its own exact entry, in the metrics stream', () => {
    const { dir, cleanup } = tempDir('metrics-leftover');
    try {
      writeFileSync(path.join(dir, 'metrics.log.2025-12-13_11'), '{"_aws":{}}\n');
      writeFileSync(path.join(dir, 'metrics.log.2025-12-13_12'), '{"_aws":{}}\n');
      const items = collectList(renderConfig({ METRICS_FILES: 'metrics', LOGS_DIR: dir }));
      expect(items.map((item) => [item.file_path, item.log_stream_name, item.auto_removal])).toEqual([
        [`${dir}/app.log.*`, 'app/{local_hostname}', false],
        [`${dir}/metrics.log.*`, 'metrics/{local_hostname}', false],
        [`${dir}/metrics.log.2025-12-13_11`, 'metrics/{local_hostname}', false],
      ]);
    } finally {
      cleanup();
    }
  });

  it('a start says which family holds metrics, and the agent gets that config', () => {
    const { dir, cleanup } = tempDir('metrics-start');
    try {
      const configDir = path.join(dir, 'config');
      const stubOut = path.join(dir, 'out');
      mkdirSync(configDir);
      mkdirSync(stubOut);
      const env = { METRICS_FILES: 'metrics', AWS_REGION: 'eu-west-1' };
      const result = runEntrypoint([], {
        ...env,
        CW_CONFIG_DIR: configDir,
        CW_AGENT_BIN: writeStubAgent(dir),
        STUB_OUT: stubOut,
      });
      expect(result.status).toBe(0);
      expect(result.stderr).toMatch(/collecting \/logs\/app\.log\.\* -> log group \/app\/logs, stream app\//);
      expect(result.stderr).toMatch(
        /collecting \/logs\/metrics\.log\.\* \(CloudWatch metrics, EMF\) -> log group \/app\/logs, stream metrics\/\{local_hostname\}/,
      );
      const seen = JSON.parse(readFileSync(path.join(stubOut, 'seen.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(seen).toEqual(renderConfig(env));
    } finally {
      cleanup();
    }
  });

  it("the agent's timestamp_format finds the event time in a line pino-cloudwatch-metrics writes", async () => {
    const { dir, cleanup } = tempDir('metrics-line');
    try {
      const metrics = createMetrics({
        namespace: 'cw_demo',
        file: path.join(dir, 'metrics.log'),
        autoFlush: false,
      });
      metrics.distribution('Latency', { unit: 'Milliseconds' }).record(12.5);
      await metrics.close();
      const [item] = collectList(renderConfig({ METRICS_FILES: 'metrics' })).slice(1);
      const { readdirSync } = await import('node:fs');
      const [file] = readdirSync(dir);
      const line = readFileSync(path.join(dir, file!), 'utf8').trimEnd();
      const time = agentEventTime(line, item!.timestamp_format, item!.timezone);
      expect(time?.toISOString()).toBe((JSON.parse(line) as { '@timestamp': string })['@timestamp']);
      // What the agent checks to send the stream as EMF.
      expect(line.startsWith('{') && line.endsWith('}') && line.includes('"CloudWatchMetrics"')).toBe(true);
    } finally {
      cleanup();
    }
  });
});

describe('the deployments collect the API metrics in their own stream', () => {
  const root = path.join(__dirname, '..', '..');
  const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
  type EnvList = { name: string; value: string }[];
  const fromList = (list: EnvList) => Object.fromEntries(list.map(({ name, value }) => [name, value]));

  /** The agent's entries for this environment, and the one that takes the API's metrics file. */
  function check(apiEnv: Record<string, string>, agentEnv: Record<string, string>): void {
    // The API writes its metrics beside LOG_PATH unless METRICS_PATH says otherwise (demo-fastify/src/metrics.ts).
    const metricsPath =
      apiEnv.METRICS_PATH ?? path.posix.join(path.posix.dirname(apiEnv.LOG_PATH!), 'metrics.log');
    expect(path.posix.dirname(metricsPath)).toBe(path.posix.dirname(apiEnv.LOG_PATH!));
    const items = collectList(
      renderConfig({ LOG_FILES: agentEnv.LOG_FILES, METRICS_FILES: agentEnv.METRICS_FILES }),
    );
    const seen = `/logs/${path.posix.basename(metricsPath)}.2025-12-13_12`;
    const takers = items.filter((item) =>
      new RegExp(`^${item.file_path.replace(/[.]/g, '\\.').replace('*', '[^/]*')}$`).test(seen),
    );
    expect(takers).toHaveLength(1);
    expect(takers[0]!.log_stream_name).toBe('metrics/{local_hostname}');
    const appStream = items.find((item) => item.file_path === '/logs/app.log.*')!.log_stream_name;
    expect(takers[0]!.log_stream_name).not.toBe(appStream);
  }

  it('docker-compose.yml', async () => {
    const { parse } = await import('yaml');
    const compose = parse(read('docker-compose.yml')) as {
      services: Record<string, { environment: Record<string, string> }>;
    };
    check(compose.services.api!.environment, compose.services['cloudwatch-agent']!.environment);
  });

  it('deploy/ecs/task-definition.json', () => {
    const task = JSON.parse(read('deploy/ecs/task-definition.json')) as {
      containerDefinitions: { name: string; environment: EnvList }[];
    };
    const env = (name: string) =>
      fromList(task.containerDefinitions.find((c) => c.name === name)!.environment);
    const api = task.containerDefinitions.find((c) => c.name !== 'cloudwatch-agent')!.name;
    check(env(api), env('cloudwatch-agent'));
  });

  it('deploy/kubernetes/deployment.yaml', async () => {
    const { parseAllDocuments } = await import('yaml');
    type Container = { name: string; env?: EnvList };
    const deployment = parseAllDocuments(read('deploy/kubernetes/deployment.yaml'))
      .map(
        (doc) =>
          doc.toJS() as {
            kind?: string;
            spec?: { template: { spec: { containers: Container[]; initContainers?: Container[] } } };
          },
      )
      .find((doc) => doc.kind === 'Deployment')!;
    const spec = deployment.spec!.template.spec;
    const all = [...spec.containers, ...(spec.initContainers ?? [])];
    const agent = all.find((c) => c.name === 'cloudwatch-agent')!;
    const api = all.find((c) => c.name !== 'cloudwatch-agent')!;
    check(fromList(api.env ?? []), fromList(agent.env ?? []));
  });
});
