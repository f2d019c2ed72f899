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

  it('pins the official agent image and the build stage image', () => {
    const version = /^ARG CW_AGENT_VERSION=(\S+)$/m.exec(dockerfile)?.[1];
    expect(version).toMatch(/^1\.\d{6}\.\d+(b\d+)?$/);
    expect(/^ARG GOLANG_VERSION=(\S+)$/m.exec(dockerfile)?.[1]).toMatch(/^\d+\.\d+-bookworm$/);
    // The base images are build arguments (a test gives its own) defaulting to the pinned ones.
    expect(dockerfile).toMatch(
      /^ARG CW_AGENT_IMAGE=public\.ecr\.aws\/cloudwatch-agent\/cloudwatch-agent:\$\{CW_AGENT_VERSION\}$/m,
    );
    expect(dockerfile).toMatch(/^ARG GOLANG_IMAGE=golang:\$\{GOLANG_VERSION\}$/m);
    expect(dockerfile).toMatch(/^FROM \$\{CW_AGENT_IMAGE\} AS agent$/m);
    expect(dockerfile).toMatch(/^FROM \$\{GOLANG_IMAGE\} AS build$/m);
    expect(dockerfile).not.toMatch(/:latest\b/);
  });

  it('builds the supervisor static and makes the official agent image, shell-less, its final stage', () => {
    expect(dockerfile).toMatch(/CGO_ENABLED=0 go build -trimpath -ldflags=-s/);
    const stages = dockerfile.match(/^FROM .*$/gm) ?? [];
    expect(stages[stages.length - 1]).toBe('FROM ${CW_AGENT_IMAGE}');
    // No shell in the final stage: nothing after its FROM may RUN.
    expect(dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))).not.toMatch(/^RUN /m);
  });

  it('keeps container mode, runs as a non-root user, runs the supervisor and checks health with it', () => {
    expect(dockerfile).toMatch(/RUN_IN_CONTAINER=True/);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/opt\/cwagent\/cwagent-supervisor"\]$/m);
    expect(dockerfile).toMatch(
      /^HEALTHCHECK .*CMD \["\/opt\/cwagent\/cwagent-supervisor", "healthcheck"\]$/m,
    );
    expect(dockerfile).toContain('config.template.json');
  });
});
