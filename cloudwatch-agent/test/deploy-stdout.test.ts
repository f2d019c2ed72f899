import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { itWithTool, REPO_ROOT } from './helpers';

/**
 * The deployments without a sidecar (docs/deploy.md, "Files or stdout"): the demo with
 * LOG_OUTPUT=stdout under Docker's awslogs driver (compose, ECS) and under FireLens (ECS). What each
 * must say for the lines to arrive whole and as they are written.
 */
const read = (file: string): string => readFileSync(path.join(REPO_ROOT, file), 'utf8');

interface Container {
  name: string;
  environment?: Array<{ name: string; value: string }>;
  mountPoints?: unknown[];
  firelensConfiguration?: { type: string; options?: Record<string, string> };
  logConfiguration?: { logDriver: string; options: Record<string, string> };
}

const envOf = (container: Container): Record<string, string> =>
  Object.fromEntries((container.environment ?? []).map(({ name, value }) => [name, value]));

/** The app's environment: the demo in production with its JSON lines on stdout and no files. */
function checkStdoutApp(env: Record<string, string>): void {
  expect(env).toMatchObject({ ENVIRONMENT: 'production', LOG_OUTPUT: 'stdout', PORT: '5000' });
  expect(env).not.toHaveProperty('LOG_PATH');
}

describe('deploy/ecs/task-definition-stdout.json (awslogs)', () => {
  const task = JSON.parse(read('deploy/ecs/task-definition-stdout.json')) as {
    containerDefinitions: Container[];
    volumes?: unknown[];
  };
  const [api] = task.containerDefinitions;

  test('one container, no volume, no sidecar: the demo writes its JSON lines to stdout', () => {
    expect(task.containerDefinitions.map((c) => c.name)).toEqual(['api']);
    expect(task.volumes ?? []).toEqual([]);
    expect(api.mountPoints ?? []).toEqual([]);
    checkStdoutApp(envOf(api));
  });

  test('the awslogs driver blocks rather than drops, and asks CloudWatch for the EMF metrics', () => {
    expect(api.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: expect.objectContaining({
        'awslogs-group': '/app/logs',
        'awslogs-format': 'json/emf',
        mode: 'blocking',
      }) as Record<string, string>,
    });
  });
});

describe('deploy/ecs/task-definition-firelens.json (FireLens, Fluent Bit)', () => {
  const task = JSON.parse(read('deploy/ecs/task-definition-firelens.json')) as {
    containerDefinitions: Container[];
  };
  const byName = new Map(task.containerDefinitions.map((c) => [c.name, c]));

  test('a Fluent Bit log router that adds no ECS fields to the lines', () => {
    expect(byName.get('log_router')?.firelensConfiguration).toEqual({
      type: 'fluentbit',
      options: { 'enable-ecs-log-metadata': 'false' },
    });
  });

  test("the app's lines go to CloudWatch as they are (log_key), EMF extracted", () => {
    const api = byName.get('api')!;
    checkStdoutApp(envOf(api));
    expect(api.logConfiguration).toEqual({
      logDriver: 'awsfirelens',
      options: expect.objectContaining({
        Name: 'cloudwatch_logs',
        log_group_name: '/app/logs',
        log_key: 'log',
        log_format: 'json/emf',
      }) as Record<string, string>,
    });
  });
});

describe('deploy/compose/stdout.yml (awslogs on one host)', () => {
  const compose = parse(read('deploy/compose/stdout.yml')) as {
    services: Record<
      string,
      {
        environment: Record<string, string>;
        logging: { driver: string; options: Record<string, string> };
        volumes?: unknown;
      }
    >;
  };

  test('the API alone, JSON lines to stdout, the awslogs driver blocking, EMF on', () => {
    expect(Object.keys(compose.services)).toEqual(['api']);
    const { api } = compose.services;
    checkStdoutApp(api.environment);
    expect(api.volumes).toBeUndefined();
    expect(api.logging.driver).toBe('awslogs');
    expect(api.logging.options).toMatchObject({ 'awslogs-format': 'json/emf', mode: 'blocking' });
  });

  itWithTool('docker-compose')('passes `docker-compose config`', () => {
    const result = spawnSync('docker-compose', ['-f', 'deploy/compose/stdout.yml', 'config', '-q'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_REGION: 'eu-west-1' },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
