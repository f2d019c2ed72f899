import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Query } from './ast';
import { DEFAULT_BIN_MS, binFor, histogramOf, histogramQuery } from './histogram';
import { expandInputs } from './inputs';
import { parseQuery } from './parser';
import { QueryRun } from './pipeline';
import { lineAt, QueryError } from './query-error';
import { scanInputs, type EventSink } from './run-query';
import { SAVED_QUERIES } from './saved-queries';
import { hostAllowed } from './serve-host';
import { parseTimeArg } from './time-range';
import { eventTimeOf, type LogEvent } from './event';

export interface ServeSettings {
  /** The address to listen on. */
  readonly host: string;
  /** The port; 0 for any free one. */
  readonly port: number;
  /** Files and globs, expanded again for each query (new hourly files come in). */
  readonly inputs: readonly string[];
  /** The clock, for relative times (`-1h`). Default `Date.now`. */
  readonly now?: () => number;
}

export interface RunningServer {
  /** `http://127.0.0.1:7400/`: the page. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends the queries under way. */
  close(): Promise<void>;
}

/** The page's files, served from the package (`web/`): nothing comes from anywhere else. */
const WEB_DIR = path.join(__dirname, '..', 'web');
const STATIC_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/** Every response: only this origin's own files, never framed, never sniffed into another type. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/** The longest request line target taken (a long query fits many times over). */
export const MAX_URL_BYTES = 16 * 1024;
/** Queries read at the same time; more wait for none and get a 503. */
export const MAX_RUNNING_QUERIES = 4;
/** At most this often a progress line while a query reads. */
const PROGRESS_EVERY_MS = 100;

/** Starts the server; resolves once it listens (rejects with the listen error: EADDRINUSE, EACCES). */
export async function startServer(settings: ServeSettings): Promise<RunningServer> {
  const assets = new Map(
    Object.entries(STATIC_FILES).map(([route, { file, type }]) => [
      route,
      { body: fs.readFileSync(path.join(WEB_DIR, file)), type },
    ]),
  );
  const running = new Set<AbortController>();
  let port = settings.port;
  const server = http.createServer({ maxHeaderSize: 2 * MAX_URL_BYTES }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      // After setup nothing is thrown at the user: the request ends with the error as text.
      if (!res.headersSent) send(res, 500, `internal error: ${(err as Error).message}\n`);
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, settings.host, port))
      return send(res, 403, 'this server answers requests for its own address only (Host header refused)\n');
    if ((req.url ?? '').length > MAX_URL_BYTES) return send(res, 414, 'the address is too long\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      res.setHeader('connection', 'close');
      return send(res, 405, 'only GET\n');
    }
    if (Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined) {
      res.setHeader('connection', 'close');
      return send(res, 413, 'requests have no body here\n');
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const asset = assets.get(url.pathname);
    if (asset !== undefined) return send(res, 200, asset.body, asset.type);
    if (url.pathname === '/api/queries')
      return send(res, 200, JSON.stringify(SAVED_QUERIES), 'application/json; charset=utf-8');
    if (url.pathname === '/api/query') {
      if (req.method !== 'GET') {
        res.setHeader('allow', 'GET');
        return send(res, 405, 'only GET\n');
      }
      if (running.size >= MAX_RUNNING_QUERIES)
        return send(res, 503, `at most ${MAX_RUNNING_QUERIES} queries run at a time\n`);
      const controller = new AbortController();
      running.add(controller);
      try {
        await answerQuery(url.searchParams, res, settings, controller);
      } finally {
        running.delete(controller);
      }
      return;
    }
    send(res, 404, 'not found\n');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const shown = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const controller of running) controller.abort(new Error('the server is closing'));
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Plain text (or a file): the text of an error is never HTML, whatever it holds. */
function send(
  res: http.ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** One line of the answer's NDJSON stream. */
type Message =
  | { type: 'start'; files: { name: string; bytes: number }[]; totalBytes: number }
  | { type: 'progress'; bytesRead: number; totalBytes: number }
  | { type: 'error'; message: string; text: string; line?: number; column?: number }
  | ({ type: 'result' } & Record<string, unknown>);

/**
 * `GET /api/query?query=…&since=…&until=…`: an NDJSON stream — `start` (the files and their
 * sizes), `progress` (bytes read) while the files are read, then `result` or `error`. A query that
 * cannot run is a 400 with its `error` line (the message with the caret, as the CLI prints it).
 * The client going away stops the reading.
 */
async function answerQuery(
  params: URLSearchParams,
  res: http.ServerResponse,
  settings: ServeSettings,
  controller: AbortController,
): Promise<void> {
  const text = params.get('query') ?? '';
  const now = (settings.now ?? Date.now)();
  const fail = (status: number, message: Message) => {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'content-type': 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(`${JSON.stringify(message)}\n`);
  };
  let since: number | undefined;
  let until: number | undefined;
  let query: Query;
  try {
    for (const name of ['since', 'until'] as const) {
      const value = params.get(name)?.trim();
      if (value === undefined || value === '') continue;
      const ms = parseTimeArg(name, value, now);
      if (name === 'since') since = ms;
      else until = ms;
    }
    if (since !== undefined && until !== undefined && since >= until)
      throw new Error('since must be before until (the range would hold no event)');
    if (text.trim() === '') throw new QueryError('the query is empty');
    query = parseQuery(text);
  } catch (err) {
    const message = (err as Error).message;
    if (err instanceof QueryError) {
      const at = err.offset < 0 ? undefined : lineAt(text, err.offset);
      return fail(400, {
        type: 'error',
        message,
        text: err.describe(text),
        line: at?.line,
        column: at?.column,
      });
    }
    return fail(400, { type: 'error', message, text: message });
  }
  let files: { name: string; bytes: number }[];
  try {
    files = expandInputs(settings.inputs).map((name) => ({ name, bytes: fs.statSync(name).size }));
  } catch (err) {
    const error = err as NodeJS.ErrnoException;
    const message =
      typeof error.path === 'string' ? `cannot read ${error.path} (${error.code})` : error.message;
    return fail(200, { type: 'error', message, text: message });
  }
  const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
  });
  const write = (message: Message) => res.write(`${JSON.stringify(message)}\n`);
  write({ type: 'start', files, totalBytes });
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the page went away'));
  });

  // The histogram counts the events the query matches, per bin, in the same pass.
  const from = since;
  const to = until ?? (since !== undefined ? now : undefined);
  const span =
    from !== undefined && to !== undefined ? to - from : timeSpanOf(files.map((file) => file.name));
  const countedBin = span === undefined ? DEFAULT_BIN_MS : binFor(span);
  const run = new QueryRun(query);
  const bins = new QueryRun(histogramQuery(query, countedBin));
  const sink: EventSink = {
    push(event: LogEvent) {
      bins.push(event);
      run.push(event);
    },
    skip() {
      bins.skip();
      run.skip();
    },
    get wantsMore() {
      return run.wantsMore || bins.wantsMore;
    },
  };
  const read = new Map<string, number>();
  let lastProgress = 0;
  const started = Date.now();
  try {
    await scanInputs(
      query,
      files.map((file) => file.name),
      sink,
      {
        since,
        until,
        now: settings.now,
        needsTime: true,
        signal: controller.signal,
        onRead: (file, bytes) => {
          read.set(file, bytes);
          const at = Date.now();
          if (at - lastProgress < PROGRESS_EVERY_MS) return;
          lastProgress = at;
          let bytesRead = 0;
          for (const value of read.values()) bytesRead += value;
          write({ type: 'progress', bytesRead, totalBytes });
        },
      },
    );
    const result = run.finish({ everyField: true });
    const histogram = histogramOf(bins.finish().rows, countedBin, from, to);
    let bytesRead = 0;
    for (const value of read.values()) bytesRead += value;
    write({
      type: 'result',
      columns: result.columns,
      rows: result.rows,
      rowFields: result.rowFields,
      scanned: result.scanned,
      matched: histogram.counts.reduce((sum, count) => sum + count, 0),
      histogram,
      fields: discoveredFields(result.rowFields ?? []),
      bytesRead,
      elapsedMs: Date.now() - started,
    });
  } catch (err) {
    if (controller.signal.aborted) return void res.destroy();
    const error = err as NodeJS.ErrnoException;
    const message =
      err instanceof QueryError
        ? err.describe(text)
        : typeof error.code === 'string' && typeof error.path === 'string'
          ? `cannot read ${error.path} (${error.code})`
          : error.message;
    write({ type: 'error', message, text: message });
  }
  res.end();
}

/** How much of a file's start and end `timeSpanOf` reads. */
const EDGE_BYTES = 64 * 1024;

/**
 * About how long the files span, to pick the histogram's bin before reading them: from the first
 * time in the head of the first file to the last time in the tail of the last (files in time
 * order, as the globs of our hourly families give them). `undefined` when a time is missing.
 */
export function timeSpanOf(files: readonly string[]): number | undefined {
  if (files.length === 0) return undefined;
  const edge = (file: string, fromEnd: boolean): string[] => {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.min(size, EDGE_BYTES);
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, fromEnd ? size - length : 0);
      return buffer.toString('utf8').split('\n');
    } finally {
      fs.closeSync(fd);
    }
  };
  const first = edge(files[0], false)
    .map(eventTimeOf)
    .find((time) => time !== undefined);
  const last = edge(files[files.length - 1], true)
    .reverse()
    .map(eventTimeOf)
    .find((time) => time !== undefined);
  return first === undefined || last === undefined || last <= first ? undefined : last - first + 1;
}

/** The fields of the rows and how many rows have each, most common first (the console's discovered fields). */
export function discoveredFields(rows: ReadonlyArray<Readonly<Record<string, string>>>): [string, number][] {
  const counts = new Map<string, number>();
  for (const row of rows) for (const name of Object.keys(row)) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
