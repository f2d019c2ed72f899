import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { collectList, globToRegex, itWithTool, renderConfig, REPO_ROOT, type Env } from './helpers';

const STATE_DIR = '/opt/aws/amazon-cloudwatch-agent/logs/state';
const AGENT_LOGS_DIR = '/logs';

/** What one deployment says about the app, the agent and the volumes they share. */
interface Pairing {
  appEnv: Record<string, string>;
  agentEnv: Env;
  /** volume name -> mount path, per container */
  appMounts: Record<string, string>;
  agentMounts: Record<string, string>;
}

/**
 * The checks every deployment must pass: the agent sees the app's LOG_PATH folder at /logs
 * through the same volume, the file family it renders matches the app's files, and the
 * upload state is on a volume of its own.
 */
function checkPairing({ appEnv, agentEnv, appMounts, agentMounts }: Pairing): void {
  // The demo's environment (production mode writes the hourly files)
  expect(appEnv).toMatchObject({ ENVIRONMENT: 'production', PROCESS_ID: 'api', PORT: '5000' });
  const logPath = appEnv.LOG_PATH;
  expect(logPath).toBe('/src/logs/app.log');

  // One shared volume: the app's LOG_PATH folder is the agent's /logs
  const sharedVolume = Object.keys(appMounts).find((volume) => appMounts[volume] === path.dirname(logPath));
  expect(sharedVolume).toBeDefined();
  expect(agentMounts[sharedVolume!]).toBe(AGENT_LOGS_DIR);

  // The state volume exists and is the agent's alone
  const stateVolume = Object.keys(agentMounts).find((volume) => agentMounts[volume] === STATE_DIR);
  expect(stateVolume).toBeDefined();
  expect(stateVolume).not.toBe(sharedVolume);
  expect(appMounts[stateVolume!]).toBeUndefined();

  // The agent's own rendering of this environment collects exactly the app's files
  const list = collectList(renderConfig(agentEnv));
  const appFile = `${logPath}.2025-12-13_12`;
  const seenByAgent = path.posix.join(AGENT_LOGS_DIR, path.basename(appFile));
  expect(list.filter((item) => globToRegex(item.file_path).test(seenByAgent))).toHaveLength(1);
  expect(list.every((item) => path.posix.dirname(item.file_path) === AGENT_LOGS_DIR)).toBe(true);
  expect(list[0].log_group_name).toBe('/app/logs');
}

function read(relative: string): string {
  return readFileSync(path.join(REPO_ROOT, relative), 'utf8');
}

/** The supervisor's default wait on SIGTERM for the files' ends to be uploaded. */
const DEFAULT_STOP_WAIT_SECONDS = Number(
  /^\s*defaultStopWaitSeconds\s*=\s*(\d+)$/m.exec(read('cloudwatch-agent/supervisor/settings.go'))?.[1],
);
/** After that wait the agent itself stops: a final flush of what it still holds. */
const AGENT_STOP_MARGIN_SECONDS = 10;

/** What the agent's stop needs from a grace period, for its environment. */
function agentStopSeconds(env: Env): number {
  const wait =
    env.STOP_WAIT_SECONDS === undefined ? DEFAULT_STOP_WAIT_SECONDS : Number(env.STOP_WAIT_SECONDS);
  return wait + AGENT_STOP_MARGIN_SECONDS;
}

it('the supervisor has a default stop wait', () => {
  expect(DEFAULT_STOP_WAIT_SECONDS).toBeGreaterThan(0);
});

/** Compose volume entries (short "name:/path[:mode]" or long form) as name -> target. */
function composeMounts(volumes: unknown[]): Record<string, string> {
  const mounts: Record<string, string> = {};
  for (const volume of volumes) {
    if (typeof volume === 'string') {
      const [source, target] = volume.split(':');
      mounts[source] = target;
    } else {
      const { source, target } = volume as { source: string; target: string };
      mounts[source] = target;
    }
  }
  return mounts;
}

/** `${NAME:-default}` as compose resolves it when NAME is unset; other text unchanged. */
function composeDefault(value: unknown): string {
  return String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
}

function seconds(duration: string): number {
  const match = /^(\d+)(s|m)$/.exec(duration);
  if (!match) throw new Error(`unexpected duration ${duration}`);
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
}

interface ComposeService {
  environment: Record<string, unknown>;
  volumes: unknown[];
  ports?: string[];
  healthcheck?: { test: string[] };
  restart?: string;
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }>;
  build?: unknown;
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as {
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
  };
  const { api, 'cloudwatch-agent': agent } = compose.services;

  it('has the api and the agent sidecar sharing the logs volume, with a state volume', () => {
    const env = (service: ComposeService) =>
      Object.fromEntries(
        Object.entries(service.environment).map(([key, value]) => [key, composeDefault(value)]),
      );
    checkPairing({
      appEnv: env(api),
      agentEnv: env(agent),
      appMounts: composeMounts(api.volumes),
      agentMounts: composeMounts(agent.volumes),
    });
  });

  it('declares its volumes as named volumes', () => {
    const used = [...Object.keys(composeMounts(api.volumes)), ...Object.keys(composeMounts(agent.volumes))];
    for (const name of used.filter((source) => !source.startsWith('$') && !source.startsWith('/'))) {
      expect(compose.volumes).toHaveProperty([name]);
    }
    expect(Object.keys(compose.volumes).sort()).toEqual(['cwagent-state', 'logs']);
  });

  it('defaults LOG_GROUP_NAME to /app/logs and lets the user override it', () => {
    expect(agent.environment.LOG_GROUP_NAME).toBe('${LOG_GROUP_NAME:-/app/logs}');
    expect(agent.environment.LOG_FILES).toBe('app');
  });

  it('serves the demo on port 5000 from the demo image', () => {
    expect(api.ports).toContain('${API_PORT:-5000}:5000');
    expect(api.build).toEqual({ context: '.', dockerfile: 'demo-fastify/Dockerfile' });
    expect(agent.build).toBe('./cloudwatch-agent');
  });

  it('starts without a credentials file: it mounts none and sets no region of its own', () => {
    // A bind mount of a missing file fails (or makes a folder); on EC2 the instance role is used.
    for (const service of [api, agent]) {
      expect(service.volumes.every((volume) => typeof volume === 'string')).toBe(true);
      expect(JSON.stringify(service.volumes)).not.toMatch(/\.aws/);
    }
    // No silent default: unset stays empty, and the entrypoint says what is missing off AWS.
    expect(agent.environment.AWS_REGION).toBe('${AWS_REGION:-}');
  });

  it('mounts the credentials file read-only where the non-root agent looks for it, when asked to', () => {
    const override = parse(read('deploy/compose/aws-credentials.yml')) as {
      services: Record<string, { volumes: unknown[] }>;
    };
    expect(Object.keys(override.services)).toEqual(['cloudwatch-agent']);
    expect(override.services['cloudwatch-agent'].volumes).toEqual([
      {
        type: 'bind',
        source: '${HOME}/.aws/credentials',
        target: '/home/cwagent/.aws/credentials',
        read_only: true,
      },
    ]);
    const dockerfile = read('cloudwatch-agent/Dockerfile');
    expect(dockerfile).toMatch(/HOME=\/home\/cwagent/);
  });

  it('has healthchecks, restart policies and stop grace periods long enough for a flush', () => {
    for (const service of [api, agent]) {
      expect(service.healthcheck?.test[0]).toBe('CMD');
      expect(service.restart).toBe('unless-stopped');
      expect(seconds(service.stop_grace_period ?? '10s')).toBeGreaterThanOrEqual(30);
    }
    // The agent's grace covers the entrypoint's wait for the files' ends, then the agent's own stop
    const agentEnv = Object.fromEntries(
      Object.entries(agent.environment).map(([key, value]) => [key, composeDefault(value)]),
    );
    expect(seconds(agent.stop_grace_period ?? '10s')).toBeGreaterThanOrEqual(agentStopSeconds(agentEnv));
    expect(agent.healthcheck?.test).toEqual(['CMD', '/opt/cwagent/cwagent-supervisor', 'healthcheck']);
    // Started after the agent, stopped before it
    expect(api.depends_on).toEqual({ 'cloudwatch-agent': { condition: 'service_started' } });
  });

  itWithTool('docker-compose')('passes `docker-compose config`, with defaults and overrides', () => {
    const run = (env: Env, files = ['docker-compose.yml']) =>
      spawnSync('docker-compose', [...files.flatMap((file) => ['-f', file]), 'config'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: '/home/someone', ...env },
      });
    const withDefaults = run({});
    expect(withDefaults.stderr).not.toMatch(/ERROR|WARN/);
    expect(withDefaults.status).toBe(0);
    const resolved = parse(withDefaults.stdout) as { services: Record<string, ComposeService> };
    expect(resolved.services['cloudwatch-agent'].environment).toMatchObject({
      LOG_GROUP_NAME: '/app/logs',
      LOG_FILES: 'app',
      AWS_REGION: '',
    });

    // With the credentials override: the file mount is added, the volumes stay
    const withCredentials = run({}, ['docker-compose.yml', 'deploy/compose/aws-credentials.yml']);
    expect(withCredentials.stderr).not.toMatch(/ERROR|WARN/);
    expect(withCredentials.status).toBe(0);
    const merged = (parse(withCredentials.stdout) as { services: Record<string, ComposeService> }).services;
    expect(merged['cloudwatch-agent'].volumes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'bind',
          source: '/home/someone/.aws/credentials',
          target: '/home/cwagent/.aws/credentials',
          read_only: true,
        }),
        'logs:/logs:rw',
        'cwagent-state:/opt/aws/amazon-cloudwatch-agent/logs/state:rw',
      ]),
    );
    expect(merged.api.volumes).toEqual(resolved.services.api.volumes);

    const overridden = run({
      LOG_GROUP_NAME: '/shop/prod',
      AWS_REGION: 'eu-west-1',
      RETENTION_IN_DAYS: '14',
    });
    expect(overridden.status).toBe(0);
    const agentEnv = (parse(overridden.stdout) as { services: Record<string, ComposeService> }).services[
      'cloudwatch-agent'
    ].environment as Env;
    expect(agentEnv).toMatchObject({ LOG_GROUP_NAME: '/shop/prod', AWS_REGION: 'eu-west-1' });
    // And the entrypoint accepts what compose hands it
    const [item] = collectList(renderConfig(agentEnv));
    expect(item).toMatchObject({ log_group_name: '/shop/prod', retention_in_days: 14 });
  });
});

interface EcsContainer {
  name: string;
  essential: boolean;
  environment: Array<{ name: string; value: string }>;
  mountPoints: Array<{ sourceVolume: string; containerPath: string; readOnly?: boolean }>;
  dependsOn?: Array<{ containerName: string; condition: string }>;
  healthCheck?: { command: string[] };
  stopTimeout?: number;
  portMappings?: Array<{ containerPort: number }>;
}

describe('deploy/ecs/task-definition.json', () => {
  const task = JSON.parse(read('deploy/ecs/task-definition.json')) as {
    volumes: Array<{ name: string }>;
    containerDefinitions: EcsContainer[];
    taskRoleArn?: string;
  };
  const container = (name: string) => task.containerDefinitions.find((item) => item.name === name)!;
  const env = (item: EcsContainer) =>
    Object.fromEntries(item.environment.map(({ name, value }) => [name, value]));
  const mounts = (item: EcsContainer) =>
    Object.fromEntries(
      item.mountPoints.map(({ sourceVolume, containerPath }) => [sourceVolume, containerPath]),
    );

  it('runs the app and the agent sidecar sharing a task volume, with a state volume', () => {
    const api = container('api');
    const agent = container('cloudwatch-agent');
    checkPairing({
      appEnv: env(api),
      agentEnv: env(agent),
      appMounts: mounts(api),
      agentMounts: mounts(agent),
    });
    for (const volume of [...Object.keys(mounts(api)), ...Object.keys(mounts(agent))]) {
      expect(task.volumes.map(({ name }) => name)).toContain(volume);
    }
    expect(api.portMappings).toEqual([{ containerPort: 5000, protocol: 'tcp' }]);
  });

  it('uses the task role for credentials and stops the app before the agent', () => {
    expect(task.taskRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
    const api = container('api');
    const agent = container('cloudwatch-agent');
    expect(api.dependsOn).toEqual([{ containerName: 'cloudwatch-agent', condition: 'START' }]);
    for (const item of [api, agent]) {
      expect(item.stopTimeout).toBeGreaterThanOrEqual(30);
      expect(item.healthCheck?.command[0]).toBe('CMD');
    }
    // ECS stops containers in reverse dependency order, each with its own stopTimeout (at most 120)
    expect(agent.stopTimeout).toBeGreaterThanOrEqual(agentStopSeconds(env(agent)));
    expect(agent.stopTimeout).toBeLessThanOrEqual(120);
    // No credentials file and no region: on ECS both come from the task
    expect(agent.mountPoints.some(({ containerPath }) => containerPath.includes('.aws'))).toBe(false);
  });

  it('grants the agent exactly the CloudWatch Logs calls it makes', () => {
    const policy = JSON.parse(read('deploy/ecs/task-role-policy.json')) as {
      Statement: Array<{ Action: string[] }>;
    };
    expect(policy.Statement.flatMap(({ Action }) => Action).sort()).toEqual([
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:DescribeLogGroups',
      'logs:PutLogEvents',
      'logs:PutRetentionPolicy',
    ]);
  });
});

interface K8sContainer {
  name: string;
  restartPolicy?: string;
  env?: Array<{ name: string; value: string }>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
  ports?: Array<{ containerPort: number }>;
}

describe('deploy/kubernetes/deployment.yaml', () => {
  const documents = parseAllDocuments(read('deploy/kubernetes/deployment.yaml')).map((doc) => doc.toJS());
  const deployment = documents.find((doc) => doc.kind === 'Deployment') as {
    spec: {
      template: {
        spec: {
          serviceAccountName: string;
          terminationGracePeriodSeconds: number;
          securityContext: { fsGroup: number; runAsUser: number };
          initContainers: K8sContainer[];
          containers: K8sContainer[];
          volumes: Array<{ name: string; emptyDir?: object }>;
        };
      };
    };
  };
  const pod = deployment.spec.template.spec;
  const env = (item: K8sContainer) =>
    Object.fromEntries((item.env ?? []).map(({ name, value }) => [name, value]));
  const mounts = (item: K8sContainer) =>
    Object.fromEntries(item.volumeMounts.map(({ name, mountPath }) => [name, mountPath]));

  it('runs the agent as a native sidecar sharing an emptyDir with the app, with a state volume', () => {
    const agent = pod.initContainers.find((item) => item.name === 'cloudwatch-agent')!;
    const api = pod.containers.find((item) => item.name === 'api')!;
    expect(agent.restartPolicy).toBe('Always');
    checkPairing({
      appEnv: env(api),
      agentEnv: env(agent),
      appMounts: mounts(api),
      agentMounts: mounts(agent),
    });
    for (const volume of pod.volumes) expect(volume.emptyDir).toBeDefined();
    const declared = pod.volumes.map(({ name }) => name);
    for (const name of [...Object.keys(mounts(api)), ...Object.keys(mounts(agent))])
      expect(declared).toContain(name);
    expect(api.ports?.[0].containerPort).toBe(5000);
  });

  it('lets the non-root agent delete the app files and gives both time to flush', () => {
    expect(pod.securityContext).toMatchObject({ runAsUser: 1000, fsGroup: 1000 });
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
    // One grace period for the pod: the app's shutdown (30 s budgeted, as the manifest says; the
    // demo's own hard stop is 10 s), then the native sidecar gets SIGTERM: the entrypoint's wait for
    // the files' ends plus the agent's stop.
    const agent = pod.initContainers.find((item) => item.name === 'cloudwatch-agent')!;
    const APP_SHUTDOWN_SECONDS = 30;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
      APP_SHUTDOWN_SECONDS + agentStopSeconds(env(agent)),
    );
    const account = documents.find((doc) => doc.kind === 'ServiceAccount');
    expect(account.metadata.name).toBe(pod.serviceAccountName);
  });
});
