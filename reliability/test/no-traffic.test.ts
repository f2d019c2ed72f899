import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeTempDirs, tempDir } from '../helpers';
import { ENTRYPOINT, standInAgentBin } from '../sidecar';

/**
 * Nothing the tests run may contact an address off this machine (CONTRACT §5): not the EC2 instance
 * metadata service (169.254.169.254), which the sidecar's supervisor asks off AWS when the region or
 * the credentials are missing. The supervisor, with the stand-in agent, runs for a few seconds in a
 * network namespace of its own (`unshare -n`: only a loopback interface, so an attempt fails there
 * and no packet leaves) under `strace -f`, which records every connect() and sendto() of every process;
 * each address must be loopback or a local socket.
 *
 * The negative control runs the same without `AWS_EC2_METADATA_DISABLED=true` and must see the
 * metadata probe: a watch that sees nothing proves nothing.
 *
 * Needs root (the namespace), util-linux's `unshare` and `strace`; .ci/run installs strace. Without
 * them the test skips locally with a message and fails under CI=true.
 */
afterAll(removeTempDirs);

function missingTools(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root (a network namespace needs it)';
  for (const tool of ['unshare', 'strace'])
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) return 'unshare -n is not allowed here';
  return undefined;
}

const missing = missingTools();
const testWithTools: jest.It =
  missing === undefined
    ? test
    : process.env.CI === 'true'
      ? (((name: string) =>
          test(name, () => {
            throw new Error(`${missing}: CI must run this test (.ci/run installs strace)`);
          })) as unknown as jest.It)
      : (((name: string) => {
          console.warn(`${missing}: skipping "${name}"`);
          return test.skip(name, () => undefined);
        }) as unknown as jest.It);

/** Every address the supervisor and its agent tried to reach, from strace's log. */
function contacted(env: Record<string, string>): { addresses: string[]; stderr: string } {
  const dir = tempDir('no-traffic');
  const logs = path.join(dir, 'logs');
  const state = path.join(dir, 'state');
  const events = path.join(dir, 'events');
  for (const folder of [logs, state, events]) fs.mkdirSync(folder);
  fs.writeFileSync(path.join(logs, 'app.log.2025-12-13_12'), '{"message":"m"}\n');
  const trace = path.join(dir, 'trace');
  // The supervisor runs 4 s (the agent scans, the supervisor makes its passes), then gets SIGTERM.
  const script = `sh "$1" & pid=$!; sleep 4; kill -TERM "$pid"; wait "$pid"`;
  const result = spawnSync(
    'unshare',
    [
      '-n',
      'strace',
      '-f',
      '-qq',
      '-e',
      'trace=connect,sendto,sendmsg',
      '-o',
      trace,
      'sh',
      '-c',
      script,
      'sh',
      ENTRYPOINT,
    ],
    {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: path.join(dir, 'no-home'), // no credentials file
        LOG_FILES: 'app',
        LOGS_DIR: logs,
        STATE_DIR: state,
        SIM_STATE_DIR: state,
        SIM_EVENTS_DIR: events,
        SIM_LOGS_DIR: logs,
        CW_CONFIG_DIR: path.join(dir, 'config'),
        CW_AGENT_BIN: standInAgentBin(),
        AWS_REGION: 'eu-west-1',
        ...env,
      },
    },
  );
  const addresses: string[] = [];
  for (const line of fs.readFileSync(trace, 'utf8').split('\n')) {
    const inet = /sin6?_addr=inet_(?:addr|pton)\((?:AF_INET6?, )?"([^"]+)"/.exec(line);
    if (inet !== null) addresses.push(inet[1]);
  }
  return { addresses, stderr: result.stderr };
}

const loopback = (address: string): boolean =>
  /^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address);

describe('no traffic off this machine (CONTRACT §5)', () => {
  testWithTools(
    'the supervisor and its agent, off AWS with no credentials: no address but loopback is contacted',
    () => {
      const { addresses, stderr } = contacted({ AWS_EC2_METADATA_DISABLED: 'true' });
      expect(stderr).toMatch(/config written/);
      expect(addresses.filter((address) => !loopback(address))).toEqual([]);
    },
    90_000,
  );

  testWithTools(
    'negative control: without AWS_EC2_METADATA_DISABLED the same run probes 169.254.169.254 (caught in the namespace, nothing leaves)',
    () => {
      const { addresses } = contacted({});
      expect(addresses).toContain('169.254.169.254');
    },
    90_000,
  );
});
