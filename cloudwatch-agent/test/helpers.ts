import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const AGENT_DIR = path.resolve(__dirname, '..');
export const REPO_ROOT = path.resolve(AGENT_DIR, '..');
export const ENTRYPOINT = path.join(AGENT_DIR, 'entrypoint.sh');

/** The path the supervisor asks at the EC2 instance metadata address to learn whether it runs on EC2. */
export const IMDS_PATH = '/latest/meta-data/';

/**
 * The environment every entrypoint run starts from: the instance metadata probe switched off
 * (AWS_EC2_METADATA_DISABLED, the AWS SDKs' switch), so no test ever contacts 169.254.169.254,
 * and a HOME without `.aws`, so the developer's own LOG_GROUP_NAME, AWS_REGION, credentials file
 * or network never leak into a test. A test of the probe points it at a local server instead
 * (AWS_EC2_METADATA_SERVICE_ENDPOINT).
 */
export function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent-home',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Exit status of the supervisor for a bad value (EX_CONFIG). */
export const EX_CONFIG = 78;

/** A temp folder removed by `cleanup()`. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `cwagent-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Stands in for start-amazon-cloudwatch-agent: records its pid, argv, the environment the
 * agent relies on and the config folder as it finds it (each start is also a line in `starts`),
 * then exits with STUB_EXIT (default 0) — or, with STUB_WAIT set, waits for SIGTERM and records
 * it. With STUB_UPLOAD=<seconds> it "uploads" while it waits: from that long after its start, five
 * times a second, it writes the agent's state file (offset = size) of each file its config
 * collects — an exact `file_path`, or the newest match (by name) of a wildcard — in STATE_DIR.
 */
const STUB_AGENT = `#!/bin/sh
out=$STUB_OUT
{
  echo "pid=$$"
  echo "argc=$#"
  echo "RUN_IN_CONTAINER=\${RUN_IN_CONTAINER-}"
} >"$out/record"
echo "$$" >>"$out/starts"
ls -A "$CW_CONFIG_DIR" >"$out/listing"
cp "$CW_CONFIG_DIR/cwagent.json" "$out/seen.json"
cp "$CW_CONFIG_DIR/cwagent.json" "$out/seen-$(wc -l <"$out/starts" | tr -d ' ').json"
if [ -z "\${STUB_WAIT-}" ]; then
  exit "\${STUB_EXIT:-0}"
fi
trap 'echo TERM >>"$out/signal"; exit 0' TERM
echo ready >"$out/ready"
upload() {
  sed -n 's/^ *"file_path": "\\(.*\\)",$/\\1/p' "$CW_CONFIG_DIR/cwagent.json" | while IFS= read -r pattern; do
    file=
    for match in $pattern; do [ -f "$match" ] && file=$match; done
    [ -n "$file" ] || continue
    size=$(wc -c <"$file" | tr -d ' ')
    printf '%s\\n%s\\n0-%s' "$size" "$file" "$size" >"$STATE_DIR/$(printf '%s' "$file" | tr '/ :' '___')"
  done
}
ticks=0
while :; do
  sleep 0.2 & wait $!
  ticks=$((ticks + 1))
  if [ -n "\${STUB_UPLOAD-}" ] && [ "$ticks" -ge "$((STUB_UPLOAD * 5))" ]; then upload; fi
done
`;

export function writeStubAgent(dir: string): string {
  const file = path.join(dir, 'start-amazon-cloudwatch-agent');
  writeFileSync(file, STUB_AGENT);
  chmodSync(file, 0o755);
  return file;
}

export type Env = Record<string, string | undefined>;

/** `baseEnv()` plus `env`; an undefined value leaves the variable out. */
export function entrypointEnv(env: Env = {}): Record<string, string> {
  const clean = baseEnv();
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete clean[key];
    else clean[key] = value;
  }
  return clean;
}

/** Runs the real entrypoint with `sh` in `entrypointEnv(env)`. */
export function runEntrypoint(args: string[], env: Env = {}): SpawnSyncReturns<string> {
  return spawnSync('sh', [ENTRYPOINT, ...args], {
    env: entrypointEnv(env),
    encoding: 'utf8',
    timeout: 10_000,
  });
}

/** `runEntrypoint` without blocking this process (so a server in it can answer the entrypoint). */
export function runEntrypointAsync(
  args: string[],
  env: Env = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [ENTRYPOINT, ...args], {
      env: entrypointEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** `--print-config` for these variables, parsed; throws with the script's stderr on failure. */
export function renderConfig(env: Env = {}): Record<string, unknown> {
  const result = runEntrypoint(['--print-config'], env);
  if (result.status !== 0) throw new Error(`entrypoint.sh failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

export interface CollectListItem {
  file_path: string;
  log_group_name: string;
  log_stream_name: string;
  timestamp_format: string;
  timezone: string;
  auto_removal: boolean;
  retention_in_days?: number;
}

export function collectList(config: Record<string, unknown>): CollectListItem[] {
  const logs = config.logs as { logs_collected: { files: { collect_list: CollectListItem[] } } };
  return logs.logs_collected.files.collect_list;
}

/** True when `command` is on PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

/**
 * `it` for a test that needs a Debian tool: runs when the tool exists; in CI a missing tool
 * fails the test (with how to install it); locally it skips with that message.
 */
export function itWithTool(command: string): (name: string, fn: jest.ProvidesCallback) => void {
  if (hasCommand(command)) return (name, fn) => it(name, fn);
  const hint = `${command} is not installed (apt-get install ${command}; .ci/run installs it)`;
  if (process.env.CI) {
    return (name) =>
      it(name, () => {
        throw new Error(`${hint}: required in CI.`);
      });
  }
  console.warn(`${hint}: skipping its checks.`);
  return (name, fn) => it.skip(name, fn);
}

/** A glob of the agent's file_path (only `*` is used) as an anchored regex. */
export function globToRegex(glob: string): RegExp {
  const escaped = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]*')}$`);
}
