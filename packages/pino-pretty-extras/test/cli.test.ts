import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The CLI runs from the built package: build first (`npm test` does).
const CLI = join(__dirname, '..', 'bin', 'cli.js');
const ESC = '\u001b[';

const RECORDS = [
  '{"level":30,"time":1765629045123,"pid":7,"hostname":"box","name":"app","msg":"GET /","user_id":123,"response_time_ms":45}',
  'plain text from somewhere else',
  '{"level":50,"time":1765629045123,"pid":7,"hostname":"box","name":"app","msg":"failed","err":{"type":"Error","message":"boom","stack":"Error: boom\\n    at handler (/app/a.js:1:1)"}}',
].join('\n');

describe('pino-pretty-extras CLI', () => {
  let dir: string;
  let input: string;

  beforeAll(() => {
    if (!existsSync(join(__dirname, '..', 'dist', 'cli.js'))) throw new Error('build the package first');
    dir = mkdtempSync(join(tmpdir(), 'ppe-cli-'));
    input = join(dir, 'app.ndjson');
    writeFileSync(input, `${RECORDS}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the CLI with the file piped to stdin and a clean colour environment. */
  function run(
    args: string[],
    env: Record<string, string> = {},
    input = `${RECORDS}\n`,
  ): ReturnType<typeof spawnSync> {
    const { NO_COLOR: _n, FORCE_COLOR: _f, ...rest } = process.env;
    return spawnSync(process.execPath, [CLI, ...args], {
      input,
      env: { ...rest, TZ: 'Europe/Paris', ...env },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  }

  it('prints a piped file in local time, one line per record, plain text lines as they came', () => {
    const result = run([]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      '2025-12-13 13:30:45 [INFO] app - GET / | user_id=123 response_time_ms=45\n' +
        'plain text from somewhere else\n' +
        '2025-12-13 13:30:45 [ERROR] app - failed | err.type=Error err.message=boom\n' +
        '    Error: boom\n' +
        '        at handler (/app/a.js:1:1)\n',
    );
  });

  it('takes the same options as the transport', () => {
    const result = run(['--utc', '--levelLabels', 'python', '--include=pid', '--ignore', 'response_time_ms']);
    expect((result.stdout as string).split('\n')[0]).toBe(
      '2025-12-13 12:30:45 [INFO] app - GET / | pid=7 user_id=123',
    );
  });

  it('reads a file given as stdin', () => {
    const result = spawnSync(`"${process.execPath}" "${CLI}" --utc < "${input}"`, {
      shell: true,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(result.stdout.split('\n')[0]).toBe(
      '2025-12-13 12:30:45 [INFO] app - GET / | user_id=123 response_time_ms=45',
    );
  });

  it('colours with --colorize, and with FORCE_COLOR', () => {
    const expected = `2025-12-13 13:30:45 ${ESC}32m[INFO]${ESC}39m app - GET /${ESC}90m | user_id=123 response_time_ms=45${ESC}39m`;
    expect((run(['-c']).stdout as string).split('\n')[0]).toBe(expected);
    expect((run([], { FORCE_COLOR: '1' }).stdout as string).split('\n')[0]).toBe(expected);
  });

  it('prints no colour with NO_COLOR, even with FORCE_COLOR', () => {
    const result = run([], { NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(result.stdout).not.toContain(ESC);
    expect((result.stdout as string).split('\n')[0]).toBe(
      '2025-12-13 13:30:45 [INFO] app - GET / | user_id=123 response_time_ms=45',
    );
  });

  it('escapes terminal control in lines that are not records, unless --raw', () => {
    const input = 'lib says \u001b[2J\u001b]0;pwned\u0007 \u009b2J\n';
    expect(run([], {}, input).stdout).toBe('lib says \\u001b[2J\\u001b]0;pwned\\u0007 \\u009b2J\n');
    expect(run(['--raw'], {}, input).stdout).toBe(input);
  });

  describe('long lines', () => {
    const MIB = 1024 * 1024;
    const MARKER = (max: number): string => `…[line cut at ${max} bytes]`;

    it('cuts a line longer than 1 MiB with a marker, and prints the lines after it', () => {
      // Prepare: a 3 MiB record, a normal one, and an unterminated 2 MiB line at the end
      const long = `{"level":30,"time":0,"msg":"${'x'.repeat(3 * MIB)}"}`;
      const input = `${long}\n{"level":30,"time":0,"msg":"after"}\n${'é'.repeat(MIB)}`;

      // Act
      const result = run(['--utc'], {}, input);

      // Assess
      expect(result.status).toBe(0);
      const lines = (result.stdout as string).split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toBe(long.slice(0, MIB) + MARKER(MIB));
      expect(lines[1]).toBe('1970-01-01 00:00:00 [INFO] after');
      expect(lines[2]).toBe('é'.repeat(MIB / 2) + MARKER(MIB));
      expect(lines[3]).toBe('');
    });

    it('takes --maxLineBytes, and holds no more than that of a 20 MB line', () => {
      const input = `${'\u001b'.repeat(20 * MIB)}\nnext\n`;
      const result = run(['--maxLineBytes', '8'], {}, input);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(`${'\\u001b'.repeat(8)}${MARKER(8)}\nnext\n`);
    });
  });

  it('exits with 2 and names the option on a bad option', () => {
    const result = run(['--maxDepth', 'deep']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'pino-pretty-extras: option "maxDepth" must be a positive integer; got "deep"\n',
    );
  });

  it('prints help', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: node app.js | pino-pretty-extras [options]');
  });
});
