import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configProblems } from './agent-schema';
import {
  AGENT_DIR,
  collectList,
  ENTRYPOINT,
  EX_CONFIG,
  renderConfig,
  runEntrypoint,
  tempDir,
  writeStubAgent,
} from './helpers';

describe('entrypoint.sh --print-config', () => {
  it('renders one entry for /logs/app.log.* into /app/logs by default', () => {
    // Act
    const config = renderConfig();

    // Assess
    expect(configProblems(config)).toEqual([]);
    expect(collectList(config)).toEqual([
      {
        file_path: '/logs/app.log.*',
        log_group_name: '/app/logs',
        log_stream_name: 'app/{local_hostname}',
        timestamp_format: '%Y-%m-%dT%H:%M:%S.%fZ',
        timezone: 'UTC',
        auto_removal: true,
      },
    ]);
    expect(config.agent).toEqual({});
  });

  it.each([
    ['unset', undefined],
    ['empty', ''],
  ])('uses the default group and files when LOG_GROUP_NAME and LOG_FILES are %s', (_label, value) => {
    const [item] = collectList(renderConfig({ LOG_GROUP_NAME: value, LOG_FILES: value }));
    expect(item.log_group_name).toBe('/app/logs');
    expect(item.file_path).toBe('/logs/app.log.*');
  });

  it.each(['/ecs/orders-api', 'orders', 'a', '/prod/api_v2/logs#blue', 'x'.repeat(512)])(
    'writes the custom group name %s unchanged',
    (group) => {
      const config = renderConfig({ LOG_GROUP_NAME: group });
      expect(configProblems(config)).toEqual([]);
      expect(collectList(config)[0].log_group_name).toBe(group);
    },
  );

  it('renders one entry per application file family, never a shared glob', () => {
    // Arrange
    const env = { LOG_FILES: 'app, worker,\tcron-job', LOG_GROUP_NAME: '/shop/prod' };

    // Act
    const config = renderConfig(env);

    // Assess
    expect(configProblems(config)).toEqual([]);
    expect(collectList(config).map((item) => [item.file_path, item.log_stream_name])).toEqual([
      ['/logs/app.log.*', 'app/{local_hostname}'],
      ['/logs/worker.log.*', 'worker/{local_hostname}'],
      ['/logs/cron-job.log.*', 'cron-job/{local_hostname}'],
    ]);
    for (const item of collectList(config)) {
      expect(item.log_group_name).toBe('/shop/prod');
      expect(item.auto_removal).toBe(true);
    }
  });

  it('adds region and retention_in_days (a number) only when they are set', () => {
    const config = renderConfig({
      AWS_REGION: 'eu-west-1',
      RETENTION_IN_DAYS: '30',
      LOG_FILES: 'app,worker',
    });
    expect(configProblems(config)).toEqual([]);
    expect(config.agent).toEqual({ region: 'eu-west-1' });
    expect(collectList(config).map((item) => item.retention_in_days)).toEqual([30, 30]);
  });

  it.each(['{hostname}', '{instance_id}', '{ip_address}', 'api-7f9c.eu'])(
    'accepts LOG_STREAM_HOST=%s',
    (host) => {
      expect(collectList(renderConfig({ LOG_STREAM_HOST: host }))[0].log_stream_name).toBe(`app/${host}`);
    },
  );

  it.each(['us-east-1', 'ap-southeast-5', 'us-gov-west-1', 'cn-northwest-1'])(
    'accepts AWS_REGION=%s',
    (region) => {
      expect(renderConfig({ AWS_REGION: region }).agent).toEqual({ region });
    },
  );

  it('every combination of the optional values renders schema-valid JSON', () => {
    for (const LOG_FILES of ['app', 'app,worker']) {
      for (const AWS_REGION of [undefined, 'eu-central-1']) {
        for (const RETENTION_IN_DAYS of [undefined, '1', '3653']) {
          const config = renderConfig({ LOG_FILES, AWS_REGION, RETENTION_IN_DAYS });
          expect(configProblems(config)).toEqual([]);
        }
      }
    }
  });

  it('prints only the JSON on stdout, exits 0 and writes nothing', () => {
    // Arrange
    const { dir, cleanup } = tempDir('print');
    const configDir = path.join(dir, 'cwagentconfig');
    try {
      // Act
      const result = runEntrypoint(['--print-config'], {
        CW_CONFIG_DIR: configDir,
        CW_AGENT_BIN: path.join(dir, 'must-not-run'),
      });

      // Assess
      expect(result.status).toBe(0);
      expect(() => JSON.parse(result.stdout)).not.toThrow();
      expect(result.stdout.trimStart().startsWith('{')).toBe(true);
      expect(existsSync(configDir)).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('runs from another working directory (finds its template beside itself)', () => {
    const result = runEntrypoint(['--print-config']);
    const fromElsewhere = spawnSync('sh', [ENTRYPOINT, '--print-config'], {
      cwd: '/',
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    expect(fromElsewhere.status).toBe(0);
    expect(fromElsewhere.stdout).toBe(result.stdout);
  });
});

describe('entrypoint.sh rejects bad input with a clear message and exit 78', () => {
  const rejected: Array<[string, Record<string, string>, RegExp]> = [
    ['a double quote', { LOG_GROUP_NAME: '/app/logs"' }, /LOG_GROUP_NAME/],
    ['an injected key', { LOG_GROUP_NAME: '/app/logs","auto_removal":false,"x":"' }, /LOG_GROUP_NAME/],
    ['a single quote', { LOG_GROUP_NAME: "/app/it's" }, /LOG_GROUP_NAME/],
    ['a pipe', { LOG_GROUP_NAME: '/app|logs' }, /LOG_GROUP_NAME/],
    ['an ampersand', { LOG_GROUP_NAME: '/app&logs' }, /LOG_GROUP_NAME/],
    ['a newline', { LOG_GROUP_NAME: '/app/logs\n"x": 1' }, /LOG_GROUP_NAME/],
    ['a ${...} expansion', { LOG_GROUP_NAME: '/app/${HOME}' }, /LOG_GROUP_NAME/],
    ['a $(...) substitution', { LOG_GROUP_NAME: '/app/$(id)' }, /LOG_GROUP_NAME/],
    ['a backslash', { LOG_GROUP_NAME: '/app\\logs' }, /LOG_GROUP_NAME/],
    ['a space', { LOG_GROUP_NAME: '/app logs' }, /LOG_GROUP_NAME/],
    ['blanks only', { LOG_GROUP_NAME: '   ' }, /LOG_GROUP_NAME/],
    ['a non-ASCII letter', { LOG_GROUP_NAME: '/app/lögs' }, /LOG_GROUP_NAME/],
    ['a placeholder', { LOG_GROUP_NAME: '/app/{instance_id}' }, /LOG_GROUP_NAME/],
    ['513 characters', { LOG_GROUP_NAME: 'x'.repeat(513) }, /LOG_GROUP_NAME is 513 characters long/],
    ['the reserved aws/ prefix', { LOG_GROUP_NAME: 'aws/lambda/x' }, /reserves/],
    ['an empty file name', { LOG_FILES: 'app,,worker' }, /LOG_FILES has an empty name/],
    ['a trailing comma', { LOG_FILES: 'app,' }, /LOG_FILES has an empty name/],
    ['a blank file name', { LOG_FILES: ' ' }, /LOG_FILES has an empty name/],
    ['a wildcard file name', { LOG_FILES: '*' }, /LOG_FILES name/],
    ['a dotted file name', { LOG_FILES: 'app.log' }, /LOG_FILES name/],
    ['a path as file name', { LOG_FILES: '../etc/passwd' }, /LOG_FILES name/],
    ['a quoted file name', { LOG_FILES: 'app"' }, /LOG_FILES name/],
    ['a ${...} file name', { LOG_FILES: '${APP}' }, /LOG_FILES name/],
    ['a newline in LOG_FILES', { LOG_FILES: 'app\nworker' }, /LOG_FILES/],
    ['a file name starting with -', { LOG_FILES: '-app' }, /must start with a letter or digit/],
    ['a 65-character file name', { LOG_FILES: 'a'.repeat(65) }, /LOG_FILES name/],
    ['a duplicate file name', { LOG_FILES: 'app,worker,app' }, /lists 'app' twice/],
    ['an unknown retention', { RETENTION_IN_DAYS: '10' }, /RETENTION_IN_DAYS '10'/],
    ['a negative retention', { RETENTION_IN_DAYS: '-1' }, /RETENTION_IN_DAYS/],
    ['a retention with a key', { RETENTION_IN_DAYS: '30, "x": 1' }, /RETENTION_IN_DAYS/],
    ['a bad region', { AWS_REGION: 'Europe' }, /AWS_REGION/],
    ['a region with a quote', { AWS_REGION: 'eu-west-1"' }, /AWS_REGION/],
    ['a stream host with a colon', { LOG_STREAM_HOST: 'host:1' }, /LOG_STREAM_HOST/],
    ['an unknown placeholder', { LOG_STREAM_HOST: '{task_id}' }, /LOG_STREAM_HOST/],
  ];

  it.each(rejected)('%s', (_label, env, message) => {
    // Arrange
    const { dir, cleanup } = tempDir('reject');
    const configDir = path.join(dir, 'cwagentconfig');
    const stubOut = path.join(dir, 'out');
    try {
      // Act
      const result = runEntrypoint([], {
        ...env,
        CW_CONFIG_DIR: configDir,
        CW_AGENT_BIN: writeStubAgent(dir),
        STUB_OUT: stubOut,
      });

      // Assess: a clear message, a non-zero exit, no config written, no agent started
      expect(result.status).toBe(EX_CONFIG);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^cloudwatch-agent: error: /);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(configDir)).toBe(false);
      expect(existsSync(path.join(stubOut, 'record'))).toBe(false);
    } finally {
      cleanup();
    }
  });

  it.each(rejected.slice(0, 6))('%s, with --print-config too', (_label, env) => {
    const result = runEntrypoint(['--print-config'], env);
    expect(result.status).toBe(EX_CONFIG);
    expect(result.stdout).toBe('');
  });

  it('refuses an unknown argument', () => {
    const result = runEntrypoint(['--start']);
    expect(result.status).toBe(EX_CONFIG);
    expect(result.stderr).toMatch(/unknown argument '--start'/);
  });

  it('refuses a template with a placeholder it does not know', () => {
    const { dir, cleanup } = tempDir('template');
    try {
      const template = path.join(dir, 'config.template.json');
      writeFileSync(template, '{"logs": "{{SOMETHING}}"}\n');
      const result = runEntrypoint(['--print-config'], { CW_CONFIG_TEMPLATE: template });
      expect(result.status).toBe(EX_CONFIG);
      expect(result.stderr).toMatch(/placeholder/);
    } finally {
      cleanup();
    }
  });
});

describe('entrypoint.sh starting the agent (stub binary)', () => {
  it('writes the config where the agent reads it and execs the agent', () => {
    // Arrange
    const { dir, cleanup } = tempDir('run');
    const configDir = path.join(dir, 'etc', 'cwagentconfig');
    const stubOut = path.join(dir, 'out');
    mkdirSync(stubOut);
    try {
      // Act
      const result = runEntrypoint([], {
        LOG_GROUP_NAME: '/orders/prod',
        LOG_FILES: 'app,worker',
        RUN_IN_CONTAINER: 'True',
        CW_CONFIG_DIR: configDir,
        CW_AGENT_BIN: writeStubAgent(dir),
        STUB_OUT: stubOut,
      });

      // Assess
      expect(result.status).toBe(0);
      const record = readFileSync(path.join(stubOut, 'record'), 'utf8');
      expect(record).toContain(`pid=${result.pid}`); // same process: exec, not a child
      expect(record).toContain('argc=0');
      expect(record).toContain('RUN_IN_CONTAINER=True');
      expect(readFileSync(path.join(stubOut, 'listing'), 'utf8')).toBe('cwagent.json\n'); // no temp file left
      const seen = JSON.parse(readFileSync(path.join(stubOut, 'seen.json'), 'utf8'));
      expect(seen).toEqual(renderConfig({ LOG_GROUP_NAME: '/orders/prod', LOG_FILES: 'app,worker' }));
      expect(configProblems(seen)).toEqual([]);
      // What it will collect, on stderr, one line per file family
      expect(result.stderr).toMatch(
        /collecting \/logs\/app\.log\.\* -> log group \/orders\/prod, stream app\//,
      );
      expect(result.stderr).toMatch(/collecting \/logs\/worker\.log\.\* -> log group \/orders\/prod/);
    } finally {
      cleanup();
    }
  });

  it('replaces a config left by an earlier start and names other files the agent will merge', () => {
    const { dir, cleanup } = tempDir('rerun');
    const configDir = path.join(dir, 'cwagentconfig');
    const stubOut = path.join(dir, 'out');
    mkdirSync(stubOut);
    const env = { CW_CONFIG_DIR: configDir, CW_AGENT_BIN: writeStubAgent(dir), STUB_OUT: stubOut };
    try {
      expect(runEntrypoint([], { ...env, LOG_GROUP_NAME: '/first' }).status).toBe(0);
      writeFileSync(path.join(configDir, 'metrics.json'), '{}');
      const second = runEntrypoint([], { ...env, LOG_GROUP_NAME: '/second' });
      expect(second.status).toBe(0);
      expect(readdirSync(configDir).sort()).toEqual(['cwagent.json', 'metrics.json']);
      const seen = JSON.parse(readFileSync(path.join(stubOut, 'seen.json'), 'utf8'));
      expect(collectList(seen)[0].log_group_name).toBe('/second');
      expect(second.stderr).toMatch(/metrics\.json is read and merged by the agent too/);
    } finally {
      cleanup();
    }
  });

  it('fails clearly when the config folder cannot be written', () => {
    const { dir, cleanup } = tempDir('readonly');
    try {
      writeFileSync(path.join(dir, 'file'), '');
      const result = runEntrypoint([], {
        CW_CONFIG_DIR: path.join(dir, 'file', 'sub'),
        CW_AGENT_BIN: writeStubAgent(dir),
      });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/cannot create/);
    } finally {
      cleanup();
    }
  });

  it('delivers SIGTERM to the agent itself (exec, no shell in between)', async () => {
    // Arrange
    const { dir, cleanup } = tempDir('signal');
    const stubOut = path.join(dir, 'out');
    mkdirSync(stubOut);
    try {
      const child = spawn('sh', [ENTRYPOINT], {
        env: {
          PATH: process.env.PATH,
          CW_CONFIG_DIR: path.join(dir, 'cwagentconfig'),
          CW_AGENT_BIN: writeStubAgent(dir),
          STUB_OUT: stubOut,
          STUB_WAIT: '1',
        },
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const deadline = Date.now() + 10_000;
      while (!existsSync(path.join(stubOut, 'ready')) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      // Act
      child.kill('SIGTERM');

      // Assess
      expect(await exited).toBe(0);
      expect(readFileSync(path.join(stubOut, 'signal'), 'utf8')).toBe('TERM\n');
    } finally {
      cleanup();
    }
  });
});

describe('config.template.json', () => {
  it('is valid JSON itself, so editors and reviewers can read it as is', () => {
    const template = readFileSync(path.join(AGENT_DIR, 'config.template.json'), 'utf8');
    expect(() => JSON.parse(template)).not.toThrow();
  });
});

describe('docs/agent.md', () => {
  it('shows the config exactly as the entrypoint renders it for LOG_FILES=app,worker', () => {
    const doc = readFileSync(path.join(AGENT_DIR, '..', 'docs', 'agent.md'), 'utf8');
    const shown = /```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(JSON.parse(shown ?? 'null')).toEqual(renderConfig({ LOG_FILES: 'app,worker' }));
  });
});
