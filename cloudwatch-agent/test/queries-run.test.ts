/**
 * The query pack proves itself: every query of `cloudwatch-agent/queries/*.txt` (as the file is,
 * comments and all) and every query block of docs/ runs unchanged with `logs-insights-local`
 * against lines the demo really wrote — the built `demo-fastify/dist/server.js` in production mode
 * as a child process, real HTTP on 127.0.0.1, real hourly files — and returns the rows the events
 * call for. The expected rows are computed here from the JSON lines themselves, in plain code, so
 * the query engine is checked against an independent reading of the same events. Run
 * `npx tsc -b` first (npm test does).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type QueryResult, runQuery } from 'logs-insights-local';
import { AGENT_DIR, REPO_ROOT } from './helpers';

const SERVER = path.join(REPO_ROOT, 'demo-fastify', 'dist', 'server.js');
const QUERY_DIR = path.join(AGENT_DIR, 'queries');
const HOURLY = /^app\.log\.\d{4}-\d{2}-\d{2}_\d{2}$/;
/** The trace id of lines-of-trace.txt: the second `/error` request carries it in a `traceparent`. */
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

type Line = Record<string, unknown> & { '@timestamp': string; level: string; message: string };

/** `2025-12-13T12:30:45.123Z` as Logs Insights shows a time: `2025-12-13 12:30:45.123`. */
const shown = (iso: string) => iso.replace('T', ' ').replace('Z', '');

/** The query blocks of docs/*.md: fenced blocks without a language whose first word is a command. */
function docQueries(): { where: string; query: string }[] {
  const found: { where: string; query: string }[] = [];
  for (const page of fs.readdirSync(path.join(REPO_ROOT, 'docs')).filter((name) => name.endsWith('.md'))) {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'docs', page), 'utf8').split('\n');
    let open: { line: number; lang: string; body: string[] } | undefined;
    text.forEach((line, i) => {
      const fence = /^```(.*)$/.exec(line);
      if (fence && open === undefined) open = { line: i + 1, lang: fence[1].trim(), body: [] };
      else if (fence && open !== undefined) {
        const query = open.body.join('\n');
        if (open.lang === '' && /^(fields|filter|stats|parse|sort|display|dedup|limit)\b/.test(query)) {
          found.push({ where: `docs/${page}:${open.line}`, query });
        }
        open = undefined;
      } else open?.body.push(line);
    });
  }
  return found;
}

describe('the query pack on lines the demo wrote', () => {
  let dir: string;
  let files: string[];
  let lines: Line[];
  const results = new Map<string, QueryResult>();

  beforeAll(async () => {
    if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npx tsc -b\` first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cwagent-queries-'));
    const server: ChildProcessWithoutNullStreams = spawn(process.execPath, [SERVER], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NO_COLOR: '1',
        ENVIRONMENT: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_PATH: path.join(dir, 'logs', 'app.log'),
        PROCESS_ID: 'pack',
      },
    });
    let stdout = '';
    let stderr = '';
    server.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    server.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    try {
      const port = await new Promise<string>((resolve, reject) => {
        const started = Date.now();
        const poll = () => {
          const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
          if (match) return resolve(match[1]);
          if (server.exitCode !== null || Date.now() - started > 30_000) {
            return reject(new Error(`the demo did not start:\n${stdout}\n${stderr}`));
          }
          setTimeout(poll, 20);
        };
        poll();
      });
      const base = `http://127.0.0.1:${port}`;
      const statuses: number[] = [];
      for (const url of [
        '/',
        '/?user_id=7',
        '/?user_id=42',
        '/warn',
        '/error',
        `/error#${TRACE_ID}`,
        '/?user_id=abc',
        '/slow?ms=1100',
        '/nowhere',
      ]) {
        const [route, traceId] = url.split('#');
        const headers: Record<string, string> =
          traceId === undefined ? {} : { traceparent: `00-${traceId}-00f067aa0ba902b7-01` };
        statuses.push((await fetch(`${base}${route}`, { headers })).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 500, 500, 400, 200, 404]);
    } finally {
      server.kill('SIGTERM');
    }
    // A server that does not stop within 20 s is killed, so a failed run leaves no process behind.
    const killer = setTimeout(() => server.kill('SIGKILL'), 20_000);
    const code = await exited;
    clearTimeout(killer);
    expect(code).toBe(0);

    const logDir = path.join(dir, 'logs');
    files = fs
      .readdirSync(logDir)
      .filter((name) => HOURLY.test(name))
      .sort()
      .map((name) => path.join(logDir, name));
    lines = files.flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Line),
    );
    for (const file of fs.readdirSync(QUERY_DIR)) {
      results.set(file, await runQuery(fs.readFileSync(path.join(QUERY_DIR, file), 'utf8'), files));
    }
  }, 60_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const result = (file: string) => {
    const found = results.get(file);
    if (!found) throw new Error(`no result for ${file}`);
    return found;
  };

  it('the demo wrote its lines into hourly files', () => {
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(lines.filter((line) => line.message === 'request completed').length).toBeGreaterThanOrEqual(8);
  });

  it('errors.txt: the ERROR and FATAL lines, newest first, with the error fields and the stream', () => {
    const errors = lines.filter((line) => line.level === 'ERROR' || line.level === 'FATAL');
    expect(errors.length).toBeGreaterThanOrEqual(2);
    const expected = errors
      .map((line, i) => ({ line, i }))
      .sort((a, b) => b.line['@timestamp'].localeCompare(a.line['@timestamp']) || a.i - b.i)
      .map(({ line }) => {
        const error = line.error as Record<string, string> | undefined;
        const row: Record<string, string> = {
          '@timestamp': shown(line['@timestamp']),
          app: String(line.app),
          process: String(line.process),
          logger: String(line.logger),
          message: line.message,
          '@logStream': path.basename(
            files.find((file) => fs.readFileSync(file, 'utf8').includes(JSON.stringify(line['@timestamp'])))!,
          ),
        };
        if (error?.type !== undefined) row['error.type'] = error.type;
        if (error?.message !== undefined) row['error.message'] = error.message;
        return row;
      });
    expect(result('errors.txt').columns).toEqual([
      '@timestamp',
      'app',
      'process',
      'logger',
      'message',
      'error.type',
      'error.message',
      '@logStream',
    ]);
    expect(result('errors.txt').rows).toEqual(expected);
    expect(result('errors.txt').rows).toContainEqual(
      expect.objectContaining({ app: 'cw_demo', process: 'pack', 'error.message': 'payment lookup failed' }),
    );
  });

  it('errors-by-app-logger.txt: a count per app and logger with the latest message', () => {
    const errors = lines.filter((line) => line.level === 'ERROR' || line.level === 'FATAL');
    const groups = new Map<string, { app: string; logger: string; errors: number; last: Line }>();
    for (const line of errors) {
      const key = `${String(line.app)}\u0000${String(line.logger)}`;
      const group = groups.get(key) ?? {
        app: String(line.app),
        logger: String(line.logger),
        errors: 0,
        last: line,
      };
      group.errors++;
      if (line['@timestamp'] >= group.last['@timestamp']) group.last = line;
      groups.set(key, group);
    }
    const expected = [...groups.values()]
      .sort((a, b) => b.errors - a.errors)
      .map((group) => ({
        app: group.app,
        logger: group.logger,
        errors: String(group.errors),
        last_message: group.last.message,
      }));
    expect(result('errors-by-app-logger.txt').rows).toEqual(expected);
    expect(Number(result('errors-by-app-logger.txt').rows[0].errors)).toBeGreaterThanOrEqual(2);
  });

  it('latency-by-route.txt: requests and nearest-rank percentiles per app, method and route', () => {
    const timed = lines.filter((line) => typeof line.response_time_ms === 'number');
    const groups = new Map<string, { row: Record<string, string>; values: number[] }>();
    for (const line of timed) {
      const match = /^(?<method>[A-Z]+) (?<route>\S+)/.exec(line.message);
      const row: Record<string, string> = { app: String(line.app) };
      if (match?.groups) Object.assign(row, match.groups);
      const key = JSON.stringify(row);
      const group = groups.get(key) ?? { row, values: [] };
      group.values.push(line.response_time_ms as number);
      groups.set(key, group);
    }
    const pct = (values: number[], p: number) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
    };
    const expected = [...groups.values()]
      .map(({ row, values }) => ({
        ...row,
        requests: String(values.length),
        p50_ms: String(pct(values, 50)),
        p95_ms: String(pct(values, 95)),
        p99_ms: String(pct(values, 99)),
        max_ms: String(Math.max(...values)),
      }))
      .sort((a, b) => Number(b.p95_ms) - Number(a.p95_ms));
    const rows = result('latency-by-route.txt').rows;
    expect(rows).toEqual(expected);
    expect(rows).toContainEqual(
      expect.objectContaining({ app: 'cw_demo', method: 'GET', route: '/', requests: '3' }),
    );
    // The slow request's line ("slow work done") is not a "METHOD /route" message: its own group, first.
    expect(Number(rows[0].p95_ms)).toBeGreaterThanOrEqual(1100);
  });

  it('slow-requests.txt: the request over 1 s', () => {
    const slow = lines
      .filter((line) => typeof line.response_time_ms === 'number' && (line.response_time_ms as number) > 1000)
      .sort((a, b) => (b.response_time_ms as number) - (a.response_time_ms as number));
    expect(slow.length).toBe(1);
    expect(result('slow-requests.txt').rows).toEqual(
      slow.map((line) => ({
        '@timestamp': shown(line['@timestamp']),
        app: 'cw_demo',
        process: 'pack',
        message: 'slow work done',
        response_time_ms: String(line.response_time_ms),
        '@logStream': expect.stringMatching(HOURLY),
      })),
    );
  });

  it('requests-by-status.txt: request counts per 5 minutes and status', () => {
    const completed = lines.filter((line) => line.message === 'request completed');
    const counts = new Map<string, number>();
    for (const line of completed) {
      const time = Date.parse(line['@timestamp']);
      const period = shown(new Date(time - (time % 300_000)).toISOString());
      const status = String((line.res as { statusCode: number }).statusCode);
      const key = `${period}\u0000${status}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const expected = [...counts.entries()]
      .map(([key, n]) => {
        const [period, status] = key.split('\u0000');
        return { period, status, requests: String(n) };
      })
      .sort((a, b) => b.period.localeCompare(a.period) || Number(a.status) - Number(b.status));
    expect(result('requests-by-status.txt').columns).toEqual(['period', 'status', 'requests']);
    expect(result('requests-by-status.txt').rows).toEqual(expected);
    const total = (status: string) =>
      result('requests-by-status.txt')
        .rows.filter((row) => row.status === status)
        .reduce((sum, row) => sum + Number(row.requests), 0);
    expect([total('200'), total('400'), total('404'), total('500')]).toEqual([5, 1, 1, 2]);
  });

  it('record-time-vs-event-time.txt: @timestamp is the line’s own @timestamp, delivered after it was written', () => {
    const rows = result('record-time-vs-event-time.txt').rows;
    expect(rows.length).toBe(Math.min(50, lines.length));
    const newest = [...lines].sort((a, b) => b['@timestamp'].localeCompare(a['@timestamp']));
    expect(rows.map((row) => row['@timestamp'])).toEqual(
      newest.slice(0, 50).map((line) => shown(line['@timestamp'])),
    );
    for (const row of rows) {
      expect(row['@timestamp']).toBe(shown(row['@@timestamp']));
      // @ingestionTime is the file's modification time, which the kernel stamps with its coarse
      // clock (up to a tick, a few ms, behind the time pino read for the last line).
      expect(Number(row.delivery_ms)).toBeGreaterThan(-20);
      expect(row.app).toBe('cw_demo');
    }
  });

  it('lines-of-trace.txt: every line of the traced request, its flushed debug record included, oldest first', () => {
    const traced = lines.filter((line) => line.trace_id === TRACE_ID);
    expect(traced.map((line) => [line.level, line.message])).toEqual([
      ['INFO', 'incoming request'],
      ['DEBUG', 'loading order'],
      ['ERROR', 'payment lookup failed'],
      ['INFO', 'request completed'],
    ]);
    expect(result('lines-of-trace.txt').rows.map((row) => [row.level, row.message, row.buffered])).toEqual(
      traced.map((line) => [
        line.level,
        line.message,
        // Logs Insights shows a JSON true as 1.
        line.buffered === true ? '1' : undefined,
      ]),
    );
  });

  it.each(docQueries())('$where runs unchanged and answers as its query file does', async ({ query }) => {
    const file = fs
      .readdirSync(QUERY_DIR)
      .find((name) => fs.readFileSync(path.join(QUERY_DIR, name), 'utf8').includes(query.trim()));
    const answer = await runQuery(query, files);
    expect(answer.rows.length).toBeGreaterThan(0);
    if (file !== undefined) expect(answer).toEqual(result(file));
  });

  it('docs/ shows every query of the pack', () => {
    expect(docQueries().length).toBeGreaterThanOrEqual(fs.readdirSync(QUERY_DIR).length);
  });
});
