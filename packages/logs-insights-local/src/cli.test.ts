import { Readable } from 'node:stream';
import { main } from './cli';

/** `main` with a stdin of `input` and captured output; `isTTY` picks the default format. */
async function run(argv: string[], input = '', isTTY = false) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdin: Readable.from([input]),
    stdout: { write: (text: string) => (stdout += text), isTTY },
    stderr: { write: (text: string) => (stderr += text) },
    now: () => Date.UTC(2025, 11, 13, 13),
  });
  return { code, stdout, stderr };
}

const INPUT = [
  '{"@timestamp":"2025-12-13T12:00:00.000Z","level":"INFO","message":"GET /"}',
  '{"@timestamp":"2025-12-13T12:30:00.000Z","level":"ERROR","message":"boom"}',
  'not json',
].join('\n');

describe('main (in-process)', () => {
  it('prints a table on a terminal and json otherwise', async () => {
    expect((await run(['stats count(*) as n'], INPUT, true)).stdout).toBe(
      'n\n─\n3\n\n1 row, 3 events scanned\n',
    );
    expect(JSON.parse((await run(['stats count(*) as n'], INPUT)).stdout)).toEqual([{ n: '3' }]);
  });

  it('--since relative to the clock; a line without time takes the last time before it, else the time it was read', async () => {
    const result = await run(['fields message, @message', '--since', '-45m'], `first, no time\n${INPUT}`);
    expect(JSON.parse(result.stdout)).toEqual([
      { '@message': 'first, no time' },
      { message: 'boom', '@message': INPUT.split('\n')[1] },
      { '@message': 'not json' },
    ]);
  });

  it('no file and a terminal as stdin is a usage error, not a wait for typed lines; - reads it', async () => {
    const terminal = Object.assign(Readable.from(['{"a":1}\n']), { isTTY: true });
    const io = (out: string[]) => ({
      stdin: terminal,
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => out.push(text) },
    });
    const out: string[] = [];
    expect(await main(['stats count(*) as n'], io(out))).toBe(2);
    expect(out.join('')).toBe(
      'logs-insights: no file given and standard input is a terminal: name files or globs, pipe lines in, or give - to type them\n',
    );
    const typed: string[] = [];
    expect(await main(['stats count(*) as n', '-', '--format', 'csv'], io(typed))).toBe(0);
    expect(typed.join('')).toBe('n\n1\n');
  });

  it('--chart of a query without bin() is a usage error', async () => {
    expect(await run(['stats count(*)', '--chart'], INPUT)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'logs-insights: --chart needs a query with stats ... by bin(...)\n',
    });
  });

  it('a query error is exit 1 with the caret, --help exit 0', async () => {
    const bad = await run(['stats count(*) by'], INPUT);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'logs-insights: the query ends where a value is expected (line 1, column 18)\n  stats count(*) by\n                   ^\n',
    );
    expect((await run(['-h'])).code).toBe(0);
  });
});
