/** The ESM wrapper (`exports.import`), loaded by a real Node process: run `npx tsc -b` first. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

it('exports the same API to `import` as to `require`', () => {
  const script = `
    import * as esm from 'pino-cloudwatch-setup';
    import { createRequire } from 'node:module';
    const cjs = createRequire(import.meta.url)('pino-cloudwatch-setup');
    const names = Object.keys(cjs).filter((name) => name !== 'default' && name !== '__esModule').sort();
    const same = names.every((name) => esm[name] === cjs[name]);
    console.log(JSON.stringify({ names, same, defaultIsCjs: esm.default === cjs }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
  });
  expect(JSON.parse(out)).toEqual({
    names: [
      'ENVIRONMENTS',
      'PINO_LEVELS',
      'PYTHON_LEVEL_ALIASES',
      'closeLogging',
      'loggingOptions',
      'normalizeLevel',
      'resolveLoggingConfig',
      'setupLogging',
    ],
    same: true,
    defaultIsCjs: true,
  });
});
