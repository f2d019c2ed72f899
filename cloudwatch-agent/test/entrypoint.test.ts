import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { configProblems } from './agent-schema';
import {
  AGENT_DIR,
  baseEnv,
  collectList,
  type Env,
  ENTRYPOINT,
  EX_CONFIG,
  IMDS_PATH,
  renderConfig,
  runEntrypoint,
  runEntrypointAsync,
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
        auto_removal: false, // the sidecar deletes files, not the agent
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
      expect(item.auto_removal).toBe(false);
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
    ['a relative LOGS_DIR', { LOGS_DIR: 'logs' }, /LOGS_DIR 'logs' must be an absolute folder/],
    ['LOGS_DIR at the root', { LOGS_DIR: '/' }, /LOGS_DIR '\/' must be an absolute folder other than \//],
    ['a LOGS_DIR with a space', { LOGS_DIR: '/my logs' }, /LOGS_DIR '\/my logs' may hold only/],
    ['a LOGS_DIR with a wildcard', { LOGS_DIR: '/logs/*' }, /LOGS_DIR/],
    ['a LOGS_DIR with a quote', { LOGS_DIR: '/logs"' }, /LOGS_DIR/],
    ['a LOGS_DIR with ..', { LOGS_DIR: '/srv/../logs' }, /LOGS_DIR '\/srv\/..\/logs' must be a plain path/],
    ['a LOGS_DIR with //', { LOGS_DIR: '/srv//logs' }, /must be a plain path/],
    ['a relative STATE_DIR', { STATE_DIR: 'state' }, /STATE_DIR 'state' must be an absolute folder/],
    [
      'a STOP_WAIT_SECONDS with a unit',
      { STOP_WAIT_SECONDS: '20s' },
      /STOP_WAIT_SECONDS '20s' is not a whole number/,
    ],
    [
      'a STOP_WAIT_SECONDS over 600',
      { STOP_WAIT_SECONDS: '601' },
      /STOP_WAIT_SECONDS '601' is more than 600/,
    ],
    ['a negative LEFTOVER_QUIET_SECONDS', { LEFTOVER_QUIET_SECONDS: '-1' }, /LEFTOVER_QUIET_SECONDS/],
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

  it('refuses a template whose collect_list item has no {{FILE_PATH}} or "{{AUTO_REMOVAL}}" (the leftover entries need both)', () => {
    const { dir, cleanup } = tempDir('template-old');
    try {
      const template = path.join(dir, 'config.template.json');
      const current = readFileSync(path.join(AGENT_DIR, 'config.template.json'), 'utf8');
      writeFileSync(template, current.replace('{{FILE_PATH}}', '/logs/{{APP}}.log.*'));
      const noPath = runEntrypoint(['--print-config'], { CW_CONFIG_TEMPLATE: template });
      expect(noPath.status).toBe(EX_CONFIG);
      expect(noPath.stderr).toMatch(/has no \{\{FILE_PATH\}\} placeholder/);
      writeFileSync(template, current.replace('"{{AUTO_REMOVAL}}"', 'true'));
      const noRemoval = runEntrypoint(['--print-config'], { CW_CONFIG_TEMPLATE: template });
      expect(noRemoval.status).toBe(EX_CONFIG);
      expect(noRemoval.stderr).toMatch(/has no "\{\{AUTO_REMOVAL\}\}" placeholder/);
    } finally {
      cleanup();
    }
  });

  it('accepts LOGS_DIR with trailing slashes and seconds with leading zeros', () => {
    const config = renderConfig({
      LOGS_DIR: '/srv/app-logs//',
      STOP_WAIT_SECONDS: '010',
      LEFTOVER_QUIET_SECONDS: '0',
    });
    expect(collectList(config)[0].file_path).toBe('/srv/app-logs/app.log.*');
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
  it('writes the config where the agent reads it, runs the agent as its child and exits with its status', () => {
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
        AWS_REGION: 'eu-west-1',
        RUN_IN_CONTAINER: 'True',
        CW_CONFIG_DIR: configDir,
        CW_AGENT_BIN: writeStubAgent(dir),
        STUB_OUT: stubOut,
        STUB_EXIT: '3',
      });

      // Assess
      expect(result.status).toBe(3); // the agent's own status
      const record = readFileSync(path.join(stubOut, 'record'), 'utf8');
      expect(record).not.toContain(`pid=${result.pid}\n`); // a child: the entrypoint stays as its supervisor
      expect(record).toContain('argc=0');
      expect(record).toContain('RUN_IN_CONTAINER=True');
      expect(readFileSync(path.join(stubOut, 'listing'), 'utf8')).toBe('cwagent.json\n'); // no temp file left
      const seen = JSON.parse(readFileSync(path.join(stubOut, 'seen.json'), 'utf8'));
      expect(seen).toEqual(
        renderConfig({ LOG_GROUP_NAME: '/orders/prod', LOG_FILES: 'app,worker', AWS_REGION: 'eu-west-1' }),
      );
      expect(configProblems(seen)).toEqual([]);
      // What it will collect, on stderr, one line per file family
      expect(result.stderr).toMatch(
        /collecting \/logs\/app\.log\.\* -> log group \/orders\/prod, stream app\//,
      );
      expect(result.stderr).toMatch(/collecting \/logs\/worker\.log\.\* -> log group \/orders\/prod/);
      expect(result.stderr).toMatch(/the agent exited with status 3\n$/);
    } finally {
      cleanup();
    }
  });

  it('never writes through a symlink planted in the config folder', () => {
    // Arrange: links at the old fixed temp name and at the config's own name, to files outside
    const { dir, cleanup } = tempDir('planted');
    const configDir = path.join(dir, 'cwagentconfig');
    const stubOut = path.join(dir, 'out');
    mkdirSync(configDir);
    mkdirSync(stubOut);
    const victimTemp = path.join(dir, 'victim-temp');
    const victimConfig = path.join(dir, 'victim-config');
    writeFileSync(victimTemp, 'keep me\n');
    writeFileSync(victimConfig, 'keep me too\n');
    symlinkSync(victimTemp, path.join(configDir, '.cwagent.json.tmp'));
    symlinkSync(victimConfig, path.join(configDir, 'cwagent.json'));
    try {
      // Act
      const result = runEntrypoint([], {
        CW_CONFIG_DIR: configDir,
        CW_AGENT_BIN: writeStubAgent(dir),
        STUB_OUT: stubOut,
        AWS_REGION: 'eu-west-1',
      });

      // Assess: the targets are untouched, the config is a regular file of its own
      expect(result.status).toBe(0);
      expect(readFileSync(victimTemp, 'utf8')).toBe('keep me\n');
      expect(readFileSync(victimConfig, 'utf8')).toBe('keep me too\n');
      const config = path.join(configDir, 'cwagent.json');
      expect(lstatSync(config).isSymbolicLink()).toBe(false);
      expect(lstatSync(config).mode & 0o777).toBe(0o644);
      expect(configProblems(JSON.parse(readFileSync(config, 'utf8')))).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('replaces a config left by an earlier start and names other files the agent will merge', () => {
    const { dir, cleanup } = tempDir('rerun');
    const configDir = path.join(dir, 'cwagentconfig');
    const stubOut = path.join(dir, 'out');
    mkdirSync(stubOut);
    const env = {
      CW_CONFIG_DIR: configDir,
      CW_AGENT_BIN: writeStubAgent(dir),
      STUB_OUT: stubOut,
      AWS_REGION: 'eu-west-1',
    };
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
        AWS_REGION: 'eu-west-1',
      });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/cannot create/);
    } finally {
      cleanup();
    }
  });

  it('passes SIGTERM on to the agent (at once when there is nothing left to upload) and exits with its status', async () => {
    // Arrange
    const { dir, cleanup } = tempDir('signal');
    const stubOut = path.join(dir, 'out');
    mkdirSync(stubOut);
    try {
      const child = spawn('sh', [ENTRYPOINT], {
        env: {
          ...baseEnv(),
          AWS_REGION: 'eu-west-1',
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

describe('entrypoint.sh: where credentials and the region come from', () => {
  /**
   * Starts the entrypoint with a stub agent and the instance metadata probe pointed at a local
   * server (AWS_EC2_METADATA_SERVICE_ENDPOINT) answering `imds` (a status; undefined: the probe is
   * switched off as in every other test); returns the result, what the stub saw and the paths the
   * server was asked.
   */
  async function start(env: Env, args: string[] = [], imds?: number) {
    const { dir, cleanup } = tempDir('aws');
    const stubOut = path.join(dir, 'out');
    mkdirSync(stubOut);
    const probes: string[] = [];
    const server = createServer((request, response) => {
      probes.push(request.url ?? '');
      response.writeHead(imds ?? 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const result = await runEntrypointAsync(args, {
        CW_CONFIG_DIR: path.join(dir, 'cwagentconfig'),
        CW_AGENT_BIN: writeStubAgent(dir),
        STUB_OUT: stubOut,
        AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}`,
        ...(imds === undefined ? {} : { AWS_EC2_METADATA_DISABLED: undefined }),
        ...env,
      });
      const read = (name: string) =>
        existsSync(path.join(stubOut, name)) ? readFileSync(path.join(stubOut, name), 'utf8') : undefined;
      return {
        result,
        agentStarted: read('record') !== undefined,
        seen: read('seen.json'),
        probes,
        lines: result.stderr.trim().split('\n'),
      };
    } finally {
      await new Promise((resolve) => server.close(resolve));
      cleanup();
    }
  }

  /** A HOME folder with `.aws/credentials` holding `text`. */
  function homeWithCredentials(text: string): { home: string; cleanup: () => void } {
    const { dir, cleanup } = tempDir('home');
    mkdirSync(path.join(dir, '.aws'));
    writeFileSync(path.join(dir, '.aws', 'credentials'), text);
    return { home: dir, cleanup };
  }

  const PROFILE =
    '[AmazonCloudWatchAgent]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n';

  it('stops with one line naming AWS_REGION when it is missing off AWS', async () => {
    // Act: no region, no ECS/Kubernetes variables, instance metadata answers as no EC2 does
    const { result, agentStarted, seen, probes, lines } = await start({}, [], 404);

    // Assess
    expect(result.status).toBe(EX_CONFIG);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^cloudwatch-agent: error: AWS_REGION is not set, and off AWS .* set AWS_REGION/,
    );
    expect(agentStarted).toBe(false);
    expect(seen).toBeUndefined();
    expect(probes).toEqual([IMDS_PATH]);
  });

  it('with AWS_EC2_METADATA_DISABLED=true never asks the instance metadata: off AWS', async () => {
    // Act: a metadata server that would say EC2, switched off by the AWS SDKs' variable
    const { result, agentStarted, probes } = await start({ AWS_EC2_METADATA_DISABLED: 'true' }, [], 200);

    // Assess
    expect(probes).toEqual([]);
    expect(result.status).toBe(EX_CONFIG);
    expect(result.stderr).toMatch(/AWS_REGION is not set, and off AWS/);
    expect(agentStarted).toBe(false);
  });

  it('starts without a credentials file off AWS and says so in one line', async () => {
    const { result, agentStarted, lines } = await start({ AWS_REGION: 'eu-west-1' });

    expect(result.status).toBe(0);
    expect(agentStarted).toBe(true);
    const warnings = lines.filter((line) => /credentials/.test(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^cloudwatch-agent: warning: no AWS credentials: there is no \/nonexistent-home\/\.aws\/credentials/,
    );
    expect(warnings[0]).toMatch(/\[AmazonCloudWatchAgent\] profile/);
    expect(warnings[0]).toMatch(/deploy\/compose\/aws-credentials\.yml/);
  });

  it.each([
    [
      'has no [AmazonCloudWatchAgent] profile',
      '[default]\naws_access_key_id = AKIAEXAMPLE\n',
      /has no \[AmazonCloudWatchAgent\] profile/,
    ],
    ['is empty', '', /has no \[AmazonCloudWatchAgent\] profile/],
  ])('warns when the credentials file %s', async (_label, text, message) => {
    const { home, cleanup } = homeWithCredentials(text);
    try {
      const { result, agentStarted, lines } = await start({ AWS_REGION: 'eu-west-1', HOME: home });
      expect(result.status).toBe(0);
      expect(agentStarted).toBe(true);
      const warnings = lines.filter((line) => /credentials/.test(line));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(message);
    } finally {
      cleanup();
    }
  });

  it('warns when a folder stands where the credentials file should be', async () => {
    const { dir: home, cleanup } = tempDir('home');
    mkdirSync(path.join(home, '.aws', 'credentials'), { recursive: true });
    try {
      const { result, lines } = await start({ AWS_REGION: 'eu-west-1', HOME: home });
      expect(result.status).toBe(0);
      expect(lines.filter((line) => /credentials is a folder/.test(line))).toHaveLength(1);
    } finally {
      cleanup();
    }
  });

  it('with AWS_REGION and a credentials file neither warns nor asks the instance metadata', async () => {
    const { home, cleanup } = homeWithCredentials(
      `[default]\nregion = x\n\n  [ AmazonCloudWatchAgent ]\n${PROFILE}`,
    );
    try {
      const { result, agentStarted, probes, lines } = await start(
        { AWS_REGION: 'eu-west-1', HOME: home },
        [],
        200,
      );
      expect(result.status).toBe(0);
      expect(agentStarted).toBe(true);
      expect(probes).toEqual([]);
      expect(lines.filter((line) => /credentials|AWS_REGION/.test(line))).toEqual([]);
      expect(lines[0]).toMatch(/region: eu-west-1/);
    } finally {
      cleanup();
    }
  });

  it.each<[string, Env, string]>([
    ['ECS (task metadata)', { ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/abc' }, 'ECS'],
    ['ECS (task role)', { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc' }, 'ECS'],
    [
      'Kubernetes with IRSA',
      {
        AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
        AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/x',
      },
      'Kubernetes with an IAM role',
    ],
    ['Kubernetes with RUN_WITH_IRSA', { RUN_WITH_IRSA: 'True' }, 'Kubernetes with an IAM role'],
    [
      'EKS Pod Identity',
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials' },
      'Kubernetes with an IAM role',
    ],
    ['EC2 (RUN_IN_AWS=True)', { RUN_IN_AWS: 'True' }, 'EC2'],
  ])('on %s needs neither AWS_REGION nor a credentials file', async (_label, env, platform) => {
    const { result, agentStarted, probes, lines } = await start(env, [], 200);
    expect(result.status).toBe(0);
    expect(agentStarted).toBe(true);
    expect(probes).toEqual([]); // known from the environment: no network call
    expect(lines.filter((line) => /credentials|AWS_REGION/.test(line))).toEqual([]);
    expect(lines[0]).toContain(`region: found by the agent on ${platform}`);
  });

  it.each([
    ['IMDSv1 answers 200', 200],
    ['IMDSv2 answers 401 without a token', 401],
  ])('on EC2 (%s) needs neither AWS_REGION nor a credentials file', async (_label, answer) => {
    const { result, agentStarted, probes, lines } = await start({}, [], answer);
    expect(result.status).toBe(0);
    expect(agentStarted).toBe(true);
    expect(probes).toEqual([IMDS_PATH]);
    expect(lines.filter((line) => /credentials|AWS_REGION/.test(line))).toEqual([]);
    expect(lines[0]).toContain('region: found by the agent on EC2');
  });

  it('does not take another answer at the metadata address (403: Google, a proxy) for EC2', async () => {
    const { result, probes } = await start({}, [], 403);
    expect(probes).toEqual([IMDS_PATH]);
    expect(result.status).toBe(EX_CONFIG);
    expect(result.stderr).toMatch(/AWS_REGION is not set/);
  });

  it('--print-config neither needs AWS_REGION nor asks the instance metadata', async () => {
    const { result, probes, agentStarted } = await start({}, ['--print-config'], 200);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(probes).toEqual([]);
    expect(agentStarted).toBe(false);
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
