/**
 * The subpaths of the exports map (`pino-cloudwatch-file/internal`): each has its types for
 * `import` and `require`, a `typesVersions` entry for TypeScript's older `node10` resolution, and
 * `npm pack` ships every file they point at. That `import` and `require` give the same objects is
 * packaging/test/esm-entries.test.ts. Run `npx tsc -b` first.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

type ExportTarget = string | { [condition: string]: ExportTarget };

const PACKAGE_DIR = path.join(__dirname, '..');
const packageJson = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
  exports: Record<string, ExportTarget>;
  typesVersions: Record<string, Record<string, string[]>>;
};
const SUBPATHS = Object.keys(packageJson.exports).filter((key) => key !== '.' && key !== './package.json');

/** Every file an exports entry points at, whatever the nesting of its conditions. */
const targetsOf = (entry: ExportTarget): string[] =>
  typeof entry === 'string' ? [entry] : Object.values(entry).flatMap(targetsOf);

it('has only the repository-internal subpath besides its main entry (the shared rules are pino-cloudwatch-core)', () => {
  expect(SUBPATHS).toEqual(['./internal']);
});

it.each(SUBPATHS)('%s: types for import and require, and a typesVersions entry', (subpath) => {
  const base = subpath.slice(2);

  expect(packageJson.exports[subpath]).toEqual({
    import: { types: `./esm/${base}.d.mts`, default: `./esm/${base}.mjs` },
    require: { types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` },
  });
  expect(packageJson.typesVersions['*'][base]).toEqual([`./dist/${base}.d.ts`]);
});

it('`npm pack` ships every file the exports map and typesVersions point at', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
  });
  const [{ files }] = JSON.parse(out) as [{ files: { path: string }[] }];
  const packed = new Set(files.map((file) => file.path));

  const targets = [
    ...Object.values(packageJson.exports).flatMap(targetsOf),
    ...Object.values(packageJson.typesVersions['*']).flat(),
  ].map((target) => target.replace(/^\.\//, ''));

  expect(targets.filter((target) => !packed.has(target))).toEqual([]);
});
