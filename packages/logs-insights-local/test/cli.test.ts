/**
 * The built bin (`bin/cli.js` → `dist/`, run `npx tsc -b` first) as a real process, on real temp
 * files and on stdin.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.join(__dirname, '..', 'bin', 'cli.js');

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const line = (time: string, level: string, message: string, extra: object = {}) =>
  JSON.stringify({
    '@timestamp': `2025-12-13T${time}.000Z`,
    level,
    logger: 'app',
    app: 'cw_demo',
    process: 'main',
    message,
    ...extra,
  });

describe('logs-insights (the bin)', () => {
  let dir: string;
  beforeAll(() => {
    if (!fs.existsSync(path.join(__dirname, '..', 'dist', 'cli.js')))
      throw new Error('dist/ is missing: run `npx tsc -b` first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-insights-cli-'));
    fs.writeFileSync(
      path.join(dir, 'app.log.2025-12-13_11'),
      [
        line('11:58:00', 'INFO', 'GET /', { response_time_ms: 4 }),
        line('11:59:00', 'ERROR', 'boom', { error: { type: 'TypeError' } }),
      ].join('\n') + '\n',
    );
    fs.writeFileSync(
      path.join(dir, 'app.log.2025-12-13_12'),
      [
        line('12:01:00', 'INFO', 'GET /', { response_time_ms: 8 }),
        line('12:07:00', 'ERROR', 'again', { error: { type: 'Error' } }),
      ].join('\n') + '\n',
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the README example: latest errors over a quoted glob, as json when piped', () => {
    const { code, stdout, stderr } = run([
      'fields @timestamp, level, message, error.type | filter level = "ERROR" | sort @timestamp desc | limit 20',
      path.join(dir, 'app.log.*'),
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      { '@timestamp': '2025-12-13 12:07:00.000', level: 'ERROR', message: 'again', 'error.type': 'Error' },
      { '@timestamp': '2025-12-13 11:59:00.000', level: 'ERROR', message: 'boom', 'error.type': 'TypeError' },
    ]);
  });

  it('stdin, --format table and csv', () => {
    const input = fs.readFileSync(path.join(dir, 'app.log.2025-12-13_12'), 'utf8');
    const table = run(['stats count(*) by level', '--format', 'table'], input);
    expect(table.code).toBe(0);
    expect(table.stdout).toBe(
      'level │ count(*)\n──────┼─────────\nINFO  │ 1\nERROR │ 1\n\n2 rows, 2 events scanned\n',
    );
    const csv = run(['stats count(*) by level', '--format=csv'], input);
    expect(csv.stdout).toBe('level,count(*)\nINFO,1\nERROR,1\n');
    // `-` is standard input, among files too
    const mixed = run(
      ['stats count(*) as n by @logStream', path.join(dir, 'app.log.2025-12-13_11'), '-', '--format=csv'],
      input,
    );
    expect(mixed.stdout).toBe('@logStream,n\napp.log.2025-12-13_11,2\nstdin,2\n');
  });

  it('--since/--until and --chart', () => {
    const files = [path.join(dir, 'app.log.2025-12-13_11'), path.join(dir, 'app.log.2025-12-13_12')];
    const ranged = run([
      'fields message',
      ...files,
      '--since',
      '2025-12-13T11:59:00Z',
      '--until',
      '2025-12-13T12:05:00Z',
    ]);
    expect(JSON.parse(ranged.stdout)).toEqual([{ message: 'GET /' }, { message: 'boom' }]);
    const chart = run(['stats count(*) by bin(5m) | sort bin(5m)', ...files, '--chart']);
    expect(chart.code).toBe(0);
    expect(chart.stdout.split('\n')).toEqual([
      'bin(5m)                  count(*)',
      `2025-12-13 11:55:00.000  ${'█'.repeat(50)} 2`,
      `2025-12-13 12:00:00.000  ${'█'.repeat(25)} 1`,
      `2025-12-13 12:05:00.000  ${'█'.repeat(25)} 1`,
      '',
    ]);
  });

  it('exit 1 for a syntax error, with a caret under the column; exit 1 for a refused command', () => {
    const syntax = run(['filter level = = "x"'], '');
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toBe(
      'logs-insights: expected a value, got "=" (line 1, column 16)\n  filter level = = "x"\n                 ^\n',
    );
    const refused = run(['filter x = 1 | anomaly'], '');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('anomaly is a Logs Insights command that logs-insights does not run');
  });

  it('a reader that goes away (| head) ends the output quietly, exit 0', () => {
    const big = path.join(dir, 'big.log');
    fs.writeFileSync(
      big,
      Array.from({ length: 20_000 }, (_, i) => line('12:00:00', 'INFO', `m${i}`)).join('\n'),
    );
    const result = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${BIN}" 'fields message' "${big}" --format csv | head -n 2`,
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(result.stdout).toBe('message\nm0\n');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('exit 2 for usage: bad option, no query, missing file; --help exits 0', () => {
    expect(run(['q', '--format', 'xml']).code).toBe(2);
    expect(run([]).stderr).toBe('logs-insights: no query given (see --help)\n');
    const missing = run(['fields x', path.join(dir, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`logs-insights: cannot read ${path.join(dir, 'nope.log')} (ENOENT)\n`);
    expect(run(['fields x', path.join(dir, 'nope.*')]).stderr).toContain('no file matches');
    expect(run(['fields x', dir])).toMatchObject({
      code: 2,
      stderr: `logs-insights: cannot read ${dir} (EISDIR)\n`,
    });
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: logs-insights '<query>'");
  });
});
