import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AGENT_DIR, ENTRYPOINT, hasCommand, itWithTool, REPO_ROOT } from './helpers';

const SHELL_SCRIPTS = ['entrypoint.sh'].map((name) => path.join(AGENT_DIR, name));
const YAML_FILES = ['docker-compose.yml', 'deploy', '.yamllint.yml'];

function run(command: string, args: string[]) {
  return spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8' });
}

describe('linters (Debian tools; .ci/run installs them, CI fails without them)', () => {
  itWithTool('shellcheck')('shell scripts pass shellcheck as POSIX sh', () => {
    const result = run('shellcheck', ['--shell=sh', '--severity=style', ...SHELL_SCRIPTS]);
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  itWithTool('yamllint')('compose file and manifests pass yamllint', () => {
    const result = run('yamllint', ['--strict', '-c', '.yamllint.yml', ...YAML_FILES]);
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('entrypoint.sh is plain POSIX sh', () => {
  // It runs the supervisor from a checkout with whatever sh is there: dash (Debian's sh), bash in
  // POSIX mode, busybox sh.
  const shells = [
    ['dash', ['dash']],
    ['bash --posix', ['bash', '--posix']],
    ['busybox sh', ['busybox', 'sh']],
  ] as const;

  it.each(shells)('renders the same config under %s', (_label, [shell, ...flags]) => {
    if (!hasCommand(shell)) {
      console.warn(`${shell} is not installed: not checking the entrypoint under it.`);
      return;
    }
    const args = [...flags, ENTRYPOINT, '--print-config'];
    const env = { PATH: process.env.PATH, LOG_FILES: 'app,worker', RETENTION_IN_DAYS: '7' };
    const result = spawnSync(shell, args, { encoding: 'utf8', env });
    const reference = spawnSync('sh', [ENTRYPOINT, '--print-config'], { encoding: 'utf8', env });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(reference.stdout);
  });

  it('has a #!/bin/sh shebang and no jq', () => {
    for (const script of SHELL_SCRIPTS) {
      const text = readFileSync(script, 'utf8');
      expect(text.startsWith('#!/bin/sh\n')).toBe(true);
      const code = text.replace(/^\s*#.*$/gm, '');
      expect(code).not.toMatch(/\bjq\b/);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(AGENT_DIR, 'Dockerfile'), 'utf8');

  it('pins the official agent image and the base image', () => {
    const version = /^ARG CW_AGENT_VERSION=(\S+)$/m.exec(dockerfile)?.[1];
    expect(version).toMatch(/^1\.\d{6}\.\d+(b\d+)?$/);
    expect(/^ARG BUSYBOX_VERSION=(\S+)$/m.exec(dockerfile)?.[1]).toMatch(/^\d+\.\d+\.\d+-musl$/);
    // The base images are build arguments (a test gives its own) defaulting to the pinned ones.
    expect(dockerfile).toMatch(
      /^ARG CW_AGENT_IMAGE=public\.ecr\.aws\/cloudwatch-agent\/cloudwatch-agent:\$\{CW_AGENT_VERSION\}$/m,
    );
    expect(dockerfile).toMatch(/^ARG BUSYBOX_IMAGE=busybox:\$\{BUSYBOX_VERSION\}$/m);
    expect(dockerfile).toMatch(/^FROM \$\{CW_AGENT_IMAGE\} AS agent$/m);
    expect(dockerfile).toMatch(/^FROM \$\{BUSYBOX_IMAGE\}$/m);
    expect(dockerfile).not.toMatch(/:latest\b/);
  });

  it('keeps container mode, runs as a non-root user and execs the entrypoint', () => {
    expect(dockerfile).toMatch(/RUN_IN_CONTAINER=True/);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/opt\/cwagent\/entrypoint\.sh"\]$/m);
    for (const file of ['entrypoint.sh', 'healthcheck.sh', 'config.template.json'])
      expect(dockerfile).toContain(file);
  });
});
