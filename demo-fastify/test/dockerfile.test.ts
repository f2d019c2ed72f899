/**
 * No Docker engine in CI: the Dockerfile and .dockerignore are checked by reading them — the
 * promises of the issue, and that the build context still holds every file the build needs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const dockerfile = fs.readFileSync(path.join(__dirname, '..', 'Dockerfile'), 'utf8');

/** Instructions, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const stages = instructions
  .join('\n')
  .split(/^FROM /m)
  .slice(1);
const runtime = stages[stages.length - 1];

/** .dockerignore patterns as regular expressions (the subset of Go's filepath.Match used there). */
const ignored = fs
  .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((pattern) => {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*\//g, '§DIRS§')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')
      .replace(/§DIRS§/g, '(?:.*/)?');
    // A pattern matching a folder excludes everything below it.
    return new RegExp(`^${body}(?:/.*)?$`);
  });
const isIgnored = (file: string) => ignored.some((re) => re.test(file));

describe('demo-fastify/Dockerfile', () => {
  it('is multi-stage from a pinned Node 20 slim image', () => {
    expect(stages.map((stage) => stage.split('\n')[0])).toEqual([
      '${NODE_IMAGE} AS manifests',
      '${NODE_IMAGE} AS build',
      '${NODE_IMAGE} AS runtime',
    ]);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20\.\d+\.\d+-bookworm-slim$/m);
  });

  it('builds with dev dependencies, runs with production dependencies of the demo only', () => {
    // Every workspace package's manifest, whatever packages there are, and nothing else.
    expect(stages[0]).toMatch(/^COPY packages\/ packages\/$/m);
    expect(stages[0]).toMatch(/^RUN find packages -type f ! -path 'packages\/\*\/package\.json' -delete /m);
    expect(stages[1]).toMatch(/^COPY --from=manifests \/repo\/packages\/ packages\/$/m);
    expect(stages[1]).toMatch(/^RUN npm ci /m);
    expect(stages[1]).toMatch(/^RUN npx tsc -b demo-fastify /m);
    expect(runtime).toMatch(/^RUN npm ci --omit=dev --workspace demo-fastify /m);
    // From the context only manifests; the code comes compiled from the build stage.
    const copies = runtime.split('\n').filter((line) => line.startsWith('COPY '));
    for (const copy of copies) {
      expect(copy).toMatch(
        /^COPY (\S*package(-lock)?\.json )+\S+$|^COPY --from=manifests \/repo\/packages\/ packages\/$|^COPY --from=build (\/compiled\/packages\/ packages\/|\S+\/dist \S+)$/,
      );
    }
  });

  it('runs as a non-root user, in production, logging to the shared /src/logs', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENV NODE_ENV=production$/m);
    expect(runtime).toMatch(/ENVIRONMENT=production/);
    expect(runtime).toMatch(/LOG_PATH=\/src\/logs\/app\.log/);
    expect(runtime).toMatch(/HOST=0\.0\.0\.0/);
    expect(runtime).toMatch(/chown node:node \/src\/logs/);
  });

  it('exposes 5000, has a HEALTHCHECK, and an init as PID 1 in front of node', () => {
    expect(runtime).toMatch(/^EXPOSE 5000$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .* CMD \["node", "-e", .*\/healthz/m);
    expect(runtime).toMatch(/apt-get install -y --no-install-recommends tini/);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/server\.js"\]$/m);
  });
});

describe('.dockerignore (build context: the repository root)', () => {
  const tracked = execFileSync(
    'git',
    ['ls-files', 'packages', 'demo-fastify', 'package.json', 'package-lock.json', 'tsconfig.base.json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter((file) => file !== '');
  const neededToBuild = (file: string) =>
    /^(package\.json|package-lock\.json|tsconfig\.base\.json)$/.test(file) ||
    /^(packages\/[^/]+|demo-fastify)\/(package\.json|tsconfig\.json|esm\/.*)$/.test(file) ||
    (/^(packages\/[^/]+|demo-fastify)\/src\/.*\.ts$/.test(file) &&
      !/(\.test\.ts|\/test-[^/]*\.ts)$/.test(file));

  it('keeps every file the image build reads', () => {
    const needed = tracked.filter(neededToBuild);
    expect(needed.length).toBeGreaterThan(10);
    expect(needed.filter(isIgnored)).toEqual([]);
  });

  it('leaves out installed modules, build output, logs and tests', () => {
    for (const file of [
      'node_modules/pino/package.json',
      'demo-fastify/node_modules/x',
      'packages/pino-cloudwatch-file/dist/index.js',
      'logs/app.log.2025-12-13_12',
      'demo-fastify/test/app.test.ts',
      'packages/pino-cloudwatch-setup/src/levels.test.ts',
      '.git/HEAD',
    ]) {
      expect([file, isIgnored(file)]).toEqual([file, true]);
    }
  });
});
