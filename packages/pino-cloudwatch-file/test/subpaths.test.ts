/**
 * The documented subpaths (`pino-cloudwatch-file/levels`, …) that the other packages of the toolkit
 * import: each resolves for `require` and `import` to the same objects, and `npm pack` ships it.
 * Run `npx tsc -b` first.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const PACKAGE_DIR = path.join(__dirname, '..');
const packageJson = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  typesVersions: Record<string, Record<string, string[]>>;
};
const SUBPATHS = Object.keys(packageJson.exports).filter((key) => key !== '.' && key !== './package.json');

it('has the shared subpaths in its exports map', () => {
  expect(SUBPATHS).toEqual(expect.arrayContaining(['./levels']));
});

it.each(SUBPATHS)('%s: the ESM entry has every name of the CommonJS one, the same objects', (subpath) => {
  const specifier = `pino-cloudwatch-file/${subpath.slice(2)}`;
  const script = `
    import * as esm from ${JSON.stringify(specifier)};
    import { createRequire } from 'node:module';
    const cjs = createRequire(import.meta.url)(${JSON.stringify(specifier)});
    const names = Object.keys(cjs).filter((name) => name !== '__esModule').sort();
    const missing = names.filter((name) => esm[name] !== cjs[name]);
    const extra = Object.keys(esm).filter((name) => name !== 'default' && !(name in cjs));
    console.log(JSON.stringify({ count: names.length, missing, extra }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
  });
  const result = JSON.parse(out) as { count: number; missing: string[]; extra: string[] };
  expect(result).toEqual({ count: result.count, missing: [], extra: [] });
  expect(result.count).toBeGreaterThan(0);
});

it('`npm pack` ships every file the exports map and typesVersions point at', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
  });
  const [{ files }] = JSON.parse(out) as [{ files: { path: string }[] }];
  const packed = new Set(files.map((file) => file.path));
  const targets = [
    ...Object.values(packageJson.exports).flatMap((entry) =>
      typeof entry === 'string' ? [entry] : Object.values(entry),
    ),
    ...Object.values(packageJson.typesVersions['*']).flat(),
  ].map((target) => target.replace(/^\.\//, ''));
  expect(targets.filter((target) => !packed.has(target))).toEqual([]);
});
