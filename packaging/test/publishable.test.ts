/**
 * Each package's tarball, as `npm publish` would upload it: its types are right in every module
 * resolution mode (@arethetypeswrong/cli), its package.json is right for Node and bundlers
 * (publint), and it carries what a user and the registry need. Run `npx tsc -b` first (`npm test`
 * does).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  INSTALL_TIMEOUT_MS,
  PACKAGE_DIRS,
  type PackageJson,
  type Packed,
  REPO_ROOT,
  ROOT_PACKAGE,
  packAll,
  readJson,
  removeTempDirs,
  tempDir,
} from '../pack';

/**
 * publint's messages that are accepted, by package, with the reason. `USE_TYPE` suggests
 * `"type": "commonjs"`. pino-pretty-extras leaves it out: with it, Node 20 loads that transport
 * target in pino's worker by another path, and pino's config message then reaches the worker after
 * the first lines more often (its transport test, which logs a custom level and ends at once, fails
 * most runs). It can take it once that wait no longer depends on timing.
 */
const ACCEPTED_PUBLINT_CODES: Record<string, string[]> = {
  'packages/pino-pretty-extras': ['USE_TYPE'],
};

let packed: Packed[] = [];

beforeAll(() => {
  packed = packAll(tempDir('publishable'));
}, INSTALL_TIMEOUT_MS);

afterAll(removeTempDirs);

const each = (): Packed[] => packed;
const manifestOf = (pkg: Packed): PackageJson =>
  readJson<PackageJson>(path.join(REPO_ROOT, pkg.dir, 'package.json'));

it('packs every package under packages/', () => {
  expect(packed.map((pkg) => pkg.dir)).toEqual(PACKAGE_DIRS);
  expect(packed.length).toBeGreaterThanOrEqual(3);
});

describe.each(PACKAGE_DIRS)('%s', (dir) => {
  const pkg = (): Packed => each().find((candidate) => candidate.dir === dir) as Packed;

  it('has no problem with its types in any resolution mode (attw: node10, node16 from CJS and ESM, bundler)', () => {
    const attw = spawnSync(
      path.join(REPO_ROOT, 'node_modules/.bin/attw'),
      [pkg().tarball, '--format', 'json', '--no-definitely-typed'],
      { encoding: 'utf8' },
    );
    const result = JSON.parse(attw.stdout) as {
      analysis: { entrypoints: Record<string, unknown>; problems: { kind: string; entrypoint?: string }[] };
    };

    expect(result.analysis.problems).toEqual([]);
    expect(attw.status).toBe(0);
    // Every subpath of the exports map was checked, not only the main entry.
    const subpaths = Object.keys(manifestOf(pkg()).exports ?? {});
    expect(Object.keys(result.analysis.entrypoints).sort()).toEqual(subpaths.sort());
  });

  it('has no publint message (errors, warnings, suggestions) beyond the accepted ones', () => {
    const script = `
      import fs from 'node:fs';
      import { publint } from 'publint';
      import { formatMessage } from 'publint/utils';
      const file = fs.readFileSync(${JSON.stringify(pkg().tarball)});
      const tarball = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
      const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion' });
      const out = messages.map((m) => ({ code: m.code, type: m.type, text: formatMessage(m, pkg, { color: false }) }));
      console.log(JSON.stringify(out));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const messages = JSON.parse(run.stdout) as { code: string; type: string; text: string }[];

    const accepted = ACCEPTED_PUBLINT_CODES[dir] ?? [];
    expect(messages.filter((message) => !accepted.includes(message.code))).toEqual([]);
  });

  it('ships its builds, README.md, LICENSE and CHANGELOG.md, and no tests or build state', () => {
    const files = pkg().files;

    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']));
    expect(files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'esm/index.mjs', 'esm/index.d.mts']),
    );
    expect(files.filter((file) => /\.tsbuildinfo$|\.test\.|(^|\/)test-|(^|\/)test\//.test(file))).toEqual([]);
  });

  it('ships no stale build output: every dist/*.js comes from a shipped src/*.ts (else: rm -rf dist && npx tsc -b)', () => {
    const files = new Set(pkg().files);
    const compiled = [...files].filter((file) => /^dist\/.*\.js$/.test(file));

    expect(
      compiled.filter((file) => !files.has(file.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))),
    ).toEqual([]);
  });

  it('ships the sources its source maps and declaration maps point at', () => {
    const root = path.join(REPO_ROOT, dir);
    const files = new Set(pkg().files);
    const maps = [...files].filter((file) => file.endsWith('.map'));
    const missing = maps.flatMap((map) => {
      const { sources } = readJson<{ sources: string[] }>(path.join(root, map));
      return sources
        .map((source) => path.posix.join(path.posix.dirname(map), source))
        .filter((source) => !files.has(source))
        .map((source) => `${map} → ${source}`);
    });

    expect(maps.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('has the registry metadata: license, repository folder, homepage, bugs, public access, prepack build', () => {
    const manifest = manifestOf(pkg());

    expect(manifest).toMatchObject({
      license: 'MIT',
      repository: { type: 'git', url: ROOT_PACKAGE.repository?.url, directory: dir },
      bugs: ROOT_PACKAGE.bugs,
      publishConfig: { access: 'public' },
      scripts: { prepack: 'rm -rf dist && tsc -b' },
    });
    expect(manifest.private).toBeUndefined();
    expect(manifest.homepage).toMatch(new RegExp(`/${dir}#readme$`));
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(fs.readFileSync(path.join(REPO_ROOT, dir, 'LICENSE'), 'utf8')).toBe(
      fs.readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8'),
    );
  });

  it("depends on the toolkit's other packages at their own version (^x.y.z), so the tarballs or the registry satisfy it", () => {
    const dependencies = manifestOf(pkg()).dependencies ?? {};
    const siblings = each().filter((other) => other.name in dependencies);

    expect(Object.fromEntries(siblings.map((other) => [other.name, dependencies[other.name]]))).toEqual(
      Object.fromEntries(siblings.map((other) => [other.name, `^${other.version}`])),
    );
  });
});
