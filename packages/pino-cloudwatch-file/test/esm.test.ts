/** The ESM wrapper (`exports.import`), loaded by a real Node process: run `npx tsc -b` first. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

it('exports every name of the CommonJS entry to `import`, the same objects', () => {
  const script = `
    import * as esm from 'pino-cloudwatch-file';
    import { createRequire } from 'node:module';
    const cjs = createRequire(import.meta.url)('pino-cloudwatch-file');
    const names = Object.keys(cjs).filter((name) => name !== 'default' && name !== '__esModule').sort();
    const missing = names.filter((name) => esm[name] !== cjs[name]);
    const extra = Object.keys(esm).filter((name) => name !== 'default' && !(name in cjs));
    console.log(JSON.stringify({ count: names.length, missing, extra, defaultIsCjs: esm.default === cjs.default }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
  });
  const result = JSON.parse(out) as {
    count: number;
    missing: string[];
    extra: string[];
    defaultIsCjs: boolean;
  };
  expect(result).toEqual({ count: result.count, missing: [], extra: [], defaultIsCjs: true });
  expect(result.count).toBeGreaterThan(3);
});
