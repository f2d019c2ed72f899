import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { main } from './cli';
import { parseQuery } from './parser';
import { QueryError } from './query-error';
import { SAVED_QUERIES } from './saved-queries';
import { MAX_URL_BYTES, type RunningServer, startServer, timeSpanOf } from './serve';
import { ourLine, tempDir } from './test-helpers';

/** A request to the server on 127.0.0.1 with http.request (fetch would not send another Host). */
function request(
  port: number,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: target, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The NDJSON lines of an answer. */
const messages = (body: string) =>
  body
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string } & Record<string, unknown>);

const query = (text: string, range: { since?: string; until?: string } = {}) =>
  `/api/query?${new URLSearchParams({ query: text, ...range })}`;

/** `length` bars, 0 but at the given indexes. */
const bars = (length: number, at: Record<number, number>) => Array.from({ length }, (_, i) => at[i] ?? 0);

const HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">';

describe('logs-insights serve: the server over real HTTP on 127.0.0.1', () => {
  let tmp: ReturnType<typeof tempDir>;
  let server: RunningServer;
  let port: number;
  const NOW = Date.UTC(2025, 11, 13, 13);

  beforeAll(async () => {
    tmp = tempDir();
    const lines = [
      ourLine('00:01', 'INFO', 'GET /', { response_time_ms: 4 }),
      ourLine('00:30', 'WARN', 'quota almost used'),
      ourLine('02:00', 'ERROR', HOSTILE, { error: { type: 'Error' } }),
      ourLine('04:10', 'INFO', 'GET /', { response_time_ms: 9 }),
    ];
    fs.writeFileSync(
      path.join(tmp.dir, 'app.log.2025-12-13_12'),
      lines.map((line) => JSON.stringify(line)).join('\n') + '\n',
    );
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      inputs: [path.join(tmp.dir, 'app.log.*')],
      now: () => NOW,
    });
    port = server.port;
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('listens on 127.0.0.1 and prints that address', () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}/`);
  });

  it('the page and its files from the package, with a strict CSP and nosniff', async () => {
    const page = await request(port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'self';/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // Nothing from elsewhere: every src/href is a path of this server.
    const refs = [...page.body.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(refs.sort()).toEqual(['app.css', 'app.js', 'favicon.svg']);
    expect(page.body).not.toMatch(/<script>|<style>|style="|\son\w+="/);
    expect((await request(port, '/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await request(port, '/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await request(port, '/favicon.svg')).status).toBe(200);
  });

  it('/api/queries: the query pack', async () => {
    const answer = await request(port, '/api/queries');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(answer.body)).toEqual(SAVED_QUERIES);
    expect(SAVED_QUERIES.map((saved) => saved.name)).toContain('errors');
  });

  it('/api/query: start, progress, then the result with the histogram, every field and the discovered fields', async () => {
    const answer = await request(port, query('stats count(*) as n by level | sort n desc'));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const all = messages(answer.body);
    const size = fs.statSync(path.join(tmp.dir, 'app.log.2025-12-13_12')).size;
    expect(all[0]).toEqual({
      type: 'start',
      files: [{ name: path.join(tmp.dir, 'app.log.2025-12-13_12'), bytes: size }],
      totalBytes: size,
    });
    expect(all.filter((message) => message.type === 'progress').at(-1)).toEqual({
      type: 'progress',
      bytesRead: size,
      totalBytes: size,
    });
    const result = all.at(-1)!;
    expect(result).toMatchObject({
      type: 'result',
      columns: ['level', 'n'],
      rows: [
        { level: 'INFO', n: '2' },
        { level: 'WARN', n: '1' },
        { level: 'ERROR', n: '1' },
      ],
      scanned: 4,
      matched: 4,
      bytesRead: size,
      histogram: {
        binMs: 5000,
        start: Date.UTC(2025, 11, 13, 12),
        counts: bars(51, { 0: 1, 6: 1, 24: 1, 50: 1 }),
      },
      fields: [
        ['level', 3],
        ['n', 3],
      ],
    });
  });

  it('the histogram counts the events the filters match; an opened row lists every field', async () => {
    const [, , result] = messages(
      (await request(port, query('filter level = "INFO" | fields message | limit 1'))).body,
    );
    expect(result).toMatchObject({
      rows: [{ message: 'GET /' }],
      matched: 2,
      histogram: { counts: bars(51, { 0: 1, 50: 1 }) },
    });
    const [fields] = result.rowFields as Record<string, string>[];
    expect(fields).toMatchObject({
      '@timestamp': '2025-12-13 12:04:10.000',
      '@@timestamp': '2025-12-13T12:04:10.000Z',
      level: 'INFO',
      response_time_ms: '9',
      '@logStream': 'app.log.2025-12-13_12',
    });
  });

  it('without since/until, the bin is picked from the first time of the first file to the last of the last', () => {
    const file = path.join(tmp.dir, 'app.log.2025-12-13_12');
    expect(timeSpanOf([file])).toBe(4 * 60_000 + 9_000 + 1);
    expect(timeSpanOf([])).toBeUndefined();
  });

  it('since/until (relative to the clock too) narrow the events and set the histogram range', async () => {
    const [, , result] = messages(
      (
        await request(
          port,
          query('stats count(*) as n', { since: '2025-12-13T12:00:30Z', until: '2025-12-13T12:03:00Z' }),
        )
      ).body,
    );
    expect(result).toMatchObject({ rows: [{ n: '2' }] });
    const { histogram } = result as unknown as { histogram: { binMs: number; counts: number[] } };
    expect(histogram.binMs).toBe(5000);
    expect(histogram.counts.reduce((a, b) => a + b)).toBe(2);
    const relative = messages((await request(port, query('stats count(*) as n', { since: '-1h' }))).body);
    expect(relative.at(-1)).toMatchObject({ rows: [{ n: '4' }] });
    const bad = await request(port, query('stats count(*)', { since: 'yesterday' }));
    expect(bad.status).toBe(400);
    expect(messages(bad.body)[0]).toMatchObject({
      type: 'error',
      message: expect.stringMatching(/^since must be/),
    });
  });

  it('a syntax error: 400 with the message and caret the CLI prints, and its line and column', async () => {
    const text = 'filter level = = "x"';
    const answer = await request(port, query(text));
    expect(answer.status).toBe(400);
    let expected = '';
    try {
      parseQuery(text);
    } catch (err) {
      expected = (err as QueryError).describe(text);
    }
    expect(messages(answer.body)).toEqual([
      { type: 'error', message: 'expected a value, got "="', text: expected, line: 1, column: 16 },
    ]);
    expect(expected).toBe(
      'expected a value, got "=" (line 1, column 16)\n  filter level = = "x"\n                 ^',
    );
  });

  it('reads the files again for each query: appended lines and new files of the glob count', async () => {
    const count = async () =>
      (messages((await request(port, query('stats count(*) as n'))).body).at(-1)!.rows as { n: string }[])[0]
        .n;
    expect(await count()).toBe('4');
    fs.appendFileSync(
      path.join(tmp.dir, 'app.log.2025-12-13_12'),
      `${JSON.stringify(ourLine('05:00', 'INFO', 'later'))}\n`,
    );
    fs.writeFileSync(
      path.join(tmp.dir, 'app.log.2025-12-13_13'),
      `${JSON.stringify(ourLine('05:01', 'INFO', 'next hour'))}\n`,
    );
    try {
      expect(await count()).toBe('6');
    } finally {
      fs.rmSync(path.join(tmp.dir, 'app.log.2025-12-13_13'));
      const file = path.join(tmp.dir, 'app.log.2025-12-13_12');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split('\n').slice(0, 4).join('\n') + '\n');
    }
  });

  it('hostile event text stays data: a JSON string in the answer, never markup', async () => {
    const answer = await request(port, query('filter level = "ERROR" | fields message'));
    const result = messages(answer.body).at(-1)!;
    expect(result.rows).toEqual([{ message: HOSTILE }]);
    expect(answer.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses another Host (DNS rebinding): only literal addresses, localhost, and its own port', async () => {
    const as = (host: string) => request(port, '/api/queries', { headers: { host } });
    expect((await as(`evil.example:${port}`)).status).toBe(403);
    expect((await as('evil.example')).status).toBe(403);
    expect((await as(`127.0.0.1:${port + 1}`)).status).toBe(403);
    const refused = await as(`rebind.attacker.test:${port}`);
    expect(refused.body).toBe(
      'this server answers requests for its own address only (Host header refused)\n',
    );
    expect(refused.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((await as(`localhost:${port}`)).status).toBe(200);
    expect((await as(`127.0.0.1:${port}`)).status).toBe(200);
  });

  it('404 as plain text that does not echo the path; only GET; no body; a bounded address', async () => {
    const missing = await request(port, `/${encodeURIComponent(HOSTILE)}`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
    expect(missing.body).toBe('not found\n');
    expect((await request(port, '/api/nope')).status).toBe(404);
    const post = await request(port, query('stats count(*)'), { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await request(port, '/', { method: 'PUT' })).status).toBe(405);
    expect((await request(port, '/api/query', { method: 'HEAD' })).status).toBe(405);
    expect(
      (await request(port, '/', { method: 'GET', body: 'x', headers: { 'content-length': '1' } })).status,
    ).toBe(413);
    expect((await request(port, query('x'.repeat(MAX_URL_BYTES)))).status).toBe(414);
  });
});

describe('logs-insights serve (the CLI)', () => {
  /** `main` with captured output; `signal` stops the server. */
  async function run(argv: string[], signal?: AbortSignal) {
    let stdout = '';
    let stderr = '';
    const code = await main(['serve', ...argv], {
      stdin: Readable.from([]),
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      signal,
    });
    return { code, stdout, stderr };
  }
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  beforeAll(() => {
    tmp = tempDir();
    file = path.join(tmp.dir, 'app.log');
    fs.writeFileSync(file, `${JSON.stringify(ourLine('00:01', 'INFO', 'hi'))}\n`);
  });
  afterAll(() => tmp.cleanup());

  it.each([
    [
      ['--port', 'http', 'x.log'],
      '--port must be a whole number from 0 to 65535 (0: any free port), got "http"',
    ],
    [['--port=70000', 'x.log'], '--port must be a whole number from 0 to 65535'],
    [['--port'], '--port needs a value'],
    [[], 'serve needs files or globs to read'],
    [['-'], 'serve reads files again for each query: it does not read standard input (-)'],
    [['--verbose', 'x.log'], 'unknown option "--verbose"'],
  ])('usage error, exit 2: %j', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`logs-insights serve: ${message}`);
  });

  it('a file that cannot be read or a glob that matches nothing is a usage error', async () => {
    expect(await run([path.join(tmp.dir, 'nope.log')])).toMatchObject({
      code: 2,
      stderr: `logs-insights serve: cannot read ${path.join(tmp.dir, 'nope.log')} (ENOENT)\n`,
    });
    expect((await run([path.join(tmp.dir, 'nope.*')])).stderr).toContain('no file matches');
  });

  it('a port already taken is a usage error naming --port', async () => {
    const taken = await startServer({ host: '127.0.0.1', port: 0, inputs: [file] });
    try {
      const result = await run(['--port', String(taken.port), file]);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toContain(`port ${taken.port} is taken: choose another with --port`);
    } finally {
      await taken.close();
    }
  });

  it('prints its address on 127.0.0.1 without a warning; stops when told, exit 0', async () => {
    const controller = new AbortController();
    const stdout: string[] = [];
    const running = main(['serve', '--port', '0', file], {
      stdin: Readable.from([]),
      stdout: { write: (text: string) => stdout.push(text) },
      stderr: { write: (text: string) => stdout.push(`stderr: ${text}`) },
      signal: controller.signal,
    });
    while (stdout.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stdout).toEqual([
      expect.stringMatching(/^logs-insights serve: http:\/\/127\.0\.0\.1:\d+\/ \(Ctrl-C stops\)\n$/),
    ]);
    const port = Number(/:(\d+)\//.exec(stdout[0])![1]);
    expect((await request(port, '/api/queries')).status).toBe(200);
    controller.abort();
    expect(await running).toBe(0);
  });

  it('--host off loopback warns that the log lines become readable from the network', async () => {
    const controller = new AbortController();
    controller.abort(); // stop as soon as it listens: the warning is what is checked
    const result = await run(['--host', '0.0.0.0', '--port', '0', file], controller.signal);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^logs-insights serve: warning: listening on 0\.0\.0\.0, not on loopback: anyone who can reach this machine on port \d+ can read the log lines of these files \(there is no login\)\. Leave out --host to listen on 127\.0\.0\.1 only\.\n$/,
    );
    expect(result.stdout).toMatch(/^logs-insights serve: http:\/\/0\.0\.0\.0:\d+\//);
  });

  it('--help lists serve; serve --help its options', async () => {
    let out = '';
    const io = {
      stdin: Readable.from([]),
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: () => 0 },
    };
    expect(await main(['--help'], io)).toBe(0);
    expect(out).toContain('logs-insights serve [--port N] [--host H] <file or glob ...>');
    expect(await run(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('--host <h>') });
  });
});
