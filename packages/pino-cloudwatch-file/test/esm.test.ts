/**
 * The ESM entries (`exports[subpath].import`, thin wrappers over the CommonJS build) against the
 * CommonJS ones (`exports[subpath].require`), for every subpath of the exports map, loaded by a
 * real Node process: the same names, the same objects. Run `npx tsc -b` first.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const PACKAGE_DIR = path.join(__dirname, '..');
const { name: PACKAGE, exports: EXPORTS } = JSON.parse(
  fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'),
) as { name: string; exports: Record<string, unknown> };
const SUBPATHS = Object.keys(EXPORTS).filter((subpath) => subpath !== './package.json');

/** What `import x from …` gives: `cjs.default` (the factory), the whole module, or nothing. */
const DEFAULT_EXPORT: Record<string, 'cjs.default' | 'module' | 'none'> = { '.': 'cjs.default' };

interface Comparison {
  names: string[];
  missing: string[];
  extra: string[];
  defaultExport: string;
}

/** Loads `specifier` with `import` and with `require` in one Node process and compares them. */
function compare(specifier: string): Comparison {
  const script = `
    import * as esm from ${JSON.stringify(specifier)};
    import { createRequire } from 'node:module';
    const cjs = createRequire(import.meta.url)(${JSON.stringify(specifier)});
    const names = Object.keys(cjs).filter((name) => name !== 'default' && name !== '__esModule').sort();
    const missing = names.filter((name) => !(name in esm) || esm[name] !== cjs[name]);
    const extra = Object.keys(esm).filter((name) => name !== 'default' && !names.includes(name));
    const defaultExport = !('default' in esm)
      ? 'none'
      : esm.default === cjs
        ? 'module'
        : 'default' in cjs && esm.default === cjs.default
          ? 'cjs.default'
          : 'something else';
    console.log(JSON.stringify({ names, missing, extra, defaultExport }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
  });
  return JSON.parse(out) as Comparison;
}

it.each(SUBPATHS)('%s: `import` has every name of `require`, the same objects, and no other', (subpath) => {
  const specifier = subpath === '.' ? PACKAGE : `${PACKAGE}/${subpath.slice(2)}`;

  const result = compare(specifier);

  expect(result).toEqual({
    names: result.names,
    missing: [],
    extra: [],
    defaultExport: DEFAULT_EXPORT[subpath] ?? 'none',
  });
  expect(result.names.length).toBeGreaterThan(0);
});

it('exports the documented API from its main entry, and nothing else (the pieces it is built from are `/internal`)', () => {
  // A name added here is a promise to users: the README documents it and a release keeps it.
  expect(compare(PACKAGE).names).toEqual(['CONFIG_WAIT_MS', 'OPTION_NAMES', 'validateOptions']);
});
