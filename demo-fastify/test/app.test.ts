import fs from 'node:fs';
import path from 'node:path';
import { closeLogging, setupLogging } from 'pino-cloudwatch-setup';
import { buildApp, DEMO_USER_ID } from '../src/app';
import { loggingConfig, readConfig } from '../src/config';
import { CORE_KEYS, ISO_UTC, type LogRecord, memoryDestination, readHourlyFiles, tempDir } from './helpers';

// app.inject uses light-my-request, which require()s the ESM-only `cookie` 2. Node (>= 20.19)
// loads it with require(esm); Jest's own module registry cannot before Node 24.9. So Jest is
// handed the very module Node loads: the real `cookie`, not a stand-in.
jest.mock('cookie', () => {
  // `process` of the main context (vm.runInThisContext runs outside Jest's sandbox).
  const nodeProcess = jest
    .requireActual<typeof import('node:vm')>('node:vm')
    .runInThisContext('process') as NodeJS.Process;
  return nodeProcess.getBuiltinModule('node:module').createRequire(__filename)('cookie');
});

/** The app with its logger writing raw pino records into memory. */
function appWithMemoryLogs() {
  const out = memoryDestination();
  const logger = setupLogging(loggingConfig(readConfig({})), {}, out);
  const app = buildApp({ logger });
  const byMessage = (msg: string) => out.records.filter((record) => record.msg === msg);
  return { app, records: out.records, byMessage };
}

describe('routes (app.inject, records captured in-process)', () => {
  let ctx: ReturnType<typeof appWithMemoryLogs>;
  beforeEach(() => (ctx = appWithMemoryLogs()));
  afterEach(() => ctx.app.close());

  it('GET / answers ok and logs "GET /" with user_id and a measured response_time_ms', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });

    const [record] = ctx.byMessage('GET /');
    expect(record).toMatchObject({ level: 30, name: 'app', reqId: 'req-1', user_id: DEMO_USER_ID });
    expect(typeof record.response_time_ms).toBe('number');
    expect(record.response_time_ms).toBeGreaterThanOrEqual(0);
  });

  it('GET /?user_id= logs that user; a bad one is a 400', async () => {
    await ctx.app.inject('/?user_id=42');
    expect(ctx.byMessage('GET /')[0]).toMatchObject({ user_id: 42 });
    expect((await ctx.app.inject('/?user_id=abc')).statusCode).toBe(400);
  });

  it('a 4xx validation error is one WARN record: message, status and error_code, no stack', async () => {
    const response = await ctx.app.inject('/?user_id=abc');
    expect(response.statusCode).toBe(400);

    const [record] = ctx.byMessage('querystring/user_id must be integer');
    expect(record).toMatchObject({
      level: 40,
      reqId: 'req-1',
      res: { statusCode: 400 },
      error_code: 'FST_ERR_VALIDATION',
    });
    expect(JSON.stringify(record)).not.toContain('stack');
    expect(record).not.toHaveProperty('err');
    // Nothing about this request is logged above WARN: a client's mistake is not the service's error.
    expect(ctx.records.filter((r) => (r.level as number) > 40)).toEqual([]);
  });

  it('keeps Fastify’s own request logs, each with reqId', async () => {
    await ctx.app.inject('/');
    await ctx.app.inject('/');
    expect(ctx.byMessage('incoming request')).toEqual([
      expect.objectContaining({
        level: 30,
        reqId: 'req-1',
        req: expect.objectContaining({ method: 'GET', url: '/' }),
      }),
      expect.objectContaining({ reqId: 'req-2' }),
    ]);
    expect(ctx.byMessage('request completed')).toEqual([
      expect.objectContaining({ reqId: 'req-1', res: { statusCode: 200 }, responseTime: expect.any(Number) }),
      expect.objectContaining({ reqId: 'req-2' }),
    ]);
    // Every record of a request carries its id.
    const perRequest = ctx.records.filter((record) => record.req !== undefined || record.res !== undefined);
    expect(perRequest.every((record) => typeof record.reqId === 'string')).toBe(true);
  });

  it('numbers requests in decimal, as the docs show: req-1 … req-9, req-10, req-11', async () => {
    for (let i = 0; i < 11; i++) await ctx.app.inject('/');
    expect(ctx.byMessage('incoming request').map((record) => record.reqId)).toEqual(
      Array.from({ length: 11 }, (_, i) => `req-${i + 1}`),
    );
  });

  it('each app counts its own requests from req-1', async () => {
    await ctx.app.inject('/');
    const other = appWithMemoryLogs();
    await other.app.inject('/');
    await other.app.close();
    expect(other.byMessage('incoming request')[0]).toMatchObject({ reqId: 'req-1' });
  });

  it('rounds responseTime of "request completed" to the microsecond, like response_time_ms', async () => {
    await ctx.app.inject('/');
    await ctx.app.inject('/slow?ms=5');
    await ctx.app.inject('/?user_id=abc');
    const times = ctx.byMessage('request completed').map((record) => record.responseTime);
    expect(times).toHaveLength(3);
    for (const time of times) expect(String(time)).toMatch(/^\d+(\.\d{1,3})?$/);
  });

  it('GET /warn logs a WARN record with extras', async () => {
    const response = await ctx.app.inject('/warn');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'warned' });
    expect(ctx.byMessage('quota almost used')).toEqual([
      expect.objectContaining({
        level: 40,
        reqId: 'req-1',
        user_id: DEMO_USER_ID,
        quota_used_pct: 93,
        quota_limit: 1000,
      }),
    ]);
  });

  it('GET /error answers 500 and logs an ERROR record with the structured error and its cause', async () => {
    const response = await ctx.app.inject('/error');
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ statusCode: 500, message: 'payment lookup failed' });

    const errors = ctx.records.filter((record) => record.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      msg: 'payment lookup failed',
      reqId: 'req-1',
      res: { statusCode: 500 },
      err: {
        type: 'Error',
        message: 'payment lookup failed',
        code: 'DEMO_PAYMENT_LOOKUP',
        stack: expect.stringContaining('payment lookup failed'),
        cause: { type: 'Error', message: 'connect ECONNREFUSED 10.0.0.7:5432', code: 'ECONNREFUSED' },
      },
    });
  });

  it('GET /slow?ms= waits, then logs how long it took', async () => {
    const response = await ctx.app.inject('/slow?ms=30');
    expect(response.json()).toEqual({ status: 'ok', waited_ms: 30 });
    const [record] = ctx.byMessage('slow work done');
    expect(record).toMatchObject({ waited_ms: 30 });
    expect(record.response_time_ms as number).toBeGreaterThanOrEqual(25);
    expect((await ctx.app.inject('/slow?ms=60000')).statusCode).toBe(400);
  });

  it('GET /healthz answers ok without a single log record', async () => {
    const response = await ctx.app.inject('/healthz');
    expect(response.json()).toEqual({ status: 'ok' });
    expect(ctx.records).toEqual([]);
  });

  it('an unknown route is a 404, logged at info', async () => {
    expect((await ctx.app.inject('/nope')).statusCode).toBe(404);
    expect(ctx.byMessage('Route GET:/nope not found')).toHaveLength(1);
  });
});

describe('the environment switch, with the real transports', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  async function run(env: 'local' | 'production', more: NodeJS.ProcessEnv = { PROCESS_ID: 'api' }) {
    const logDir = path.join(tmp.dir, 'logs');
    const consoleFile = path.join(tmp.dir, 'console.txt');
    const config = readConfig({ ENVIRONMENT: env, LOG_PATH: path.join(logDir, 'app.log'), ...more });
    const logger = setupLogging({
      ...loggingConfig(config),
      colorize: false,
      console: { destination: consoleFile },
    });
    const app = buildApp({ logger });
    await app.inject('/');
    await app.inject('/warn');
    await app.inject('/error');
    await app.inject('/?user_id=abc');
    await app.close();
    await closeLogging(logger);
    return { logDir, console: fs.readFileSync(consoleFile, 'utf8') };
  }

  it('local: console lines only, no log folder', async () => {
    const { logDir, console } = await run('local');
    expect(fs.existsSync(logDir)).toBe(false);
    expect(console).toMatch(/\[INFO\] app - GET \/ \| reqId=req-1 user_id=123 response_time_ms=[\d.]+\n/);
    expect(console).toMatch(/\[WARN\] app - quota almost used \| reqId=req-2 user_id=123 quota_used_pct=93/);
    expect(console).toMatch(/\[ERROR\] app - payment lookup failed \| reqId=req-3/);
    // A client's mistake: one WARN line, nothing printed under it.
    expect(console).toMatch(
      /\[WARN\] app - querystring\/user_id must be integer \| reqId=req-4 res.statusCode=400 error_code=FST_ERR_VALIDATION\n\d{4}-\d{2}-\d{2} /,
    );
    // Fastify's own line, with the time rounded: `responseTime=0.734`, not `0.7378869999993185`.
    expect(console).toMatch(
      /\[INFO\] app - request completed \| reqId=req-1 res.statusCode=200 responseTime=\d+(\.\d{1,3})?\n/,
    );
  });

  it('production: hourly files whose lines have the CloudWatch shape', async () => {
    const { logDir } = await run('production');
    const { files, records } = readHourlyFiles(logDir);
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(fs.readdirSync(logDir)).toEqual(files);

    for (const record of records) {
      expect(Object.keys(record).slice(0, CORE_KEYS.length)).toEqual(CORE_KEYS);
      expect(record).toMatchObject({
        '@timestamp': expect.stringMatching(ISO_UTC),
        logger: 'app',
        app: 'cw_demo',
        process: 'api',
      });
    }
    const find = (message: string) => records.find((record) => record.message === message) as LogRecord;
    expect(find('GET /')).toMatchObject({
      level: 'INFO',
      reqId: 'req-1',
      user_id: 123,
      response_time_ms: expect.any(Number),
    });
    expect(find('quota almost used')).toMatchObject({ level: 'WARN', reqId: 'req-2', quota_used_pct: 93 });
    expect(find('payment lookup failed')).toMatchObject({
      level: 'ERROR',
      reqId: 'req-3',
      error: {
        type: 'Error',
        message: 'payment lookup failed',
        code: 'DEMO_PAYMENT_LOOKUP',
        stack: expect.any(String),
        cause: { type: 'Error', message: 'connect ECONNREFUSED 10.0.0.7:5432', code: 'ECONNREFUSED' },
      },
    });
    expect(find('querystring/user_id must be integer')).toEqual(
      expect.objectContaining({ level: 'WARN', reqId: 'req-4', error_code: 'FST_ERR_VALIDATION' }),
    );
    expect(find('querystring/user_id must be integer')).not.toHaveProperty('error');
    expect(records.filter((record) => record.message === 'incoming request')).toHaveLength(4);
    expect(records.filter((record) => record.message === 'request completed')).toHaveLength(4);
  });
});

describe('the docs show what the demo writes with its defaults', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  const ROOT = path.join(__dirname, '..', '..');
  const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
  /** Measured values differ from run to run; everything else must be the same. */
  const measured = (line: string) =>
    line
      .replace(/"@timestamp":"[^"]+"/, '"@timestamp":"…"')
      .replace(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} /, '… ')
      .replace(/(response_time_ms|responseTime)(=|":)[\d.]+/g, '$1$2…');

  it('README.md: the JSON line of GET /, and demo-fastify/README.md: its console lines', async () => {
    const logDir = path.join(tmp.dir, 'logs');
    const consoleFile = path.join(tmp.dir, 'console.txt');
    const config = readConfig({ ENVIRONMENT: 'production', LOG_PATH: path.join(logDir, 'app.log') });
    const logger = setupLogging({
      ...loggingConfig(config),
      colorize: false,
      console: { destination: consoleFile },
    });
    const app = buildApp({ logger });
    await app.inject({ url: '/', headers: { host: 'localhost:5000' }, remoteAddress: '127.0.0.1' });
    await app.inject({ url: '/?user_id=abc', headers: { host: 'localhost:5000' } });
    await app.close();
    await closeLogging(logger);

    const fileLines = fs
      .readFileSync(path.join(logDir, readHourlyFiles(logDir).files[0]), 'utf8')
      .split('\n')
      .map(measured);
    const readmeSample = read('README.md').match(/^\{"@timestamp".*"message":"GET \/".*$/m);
    expect(readmeSample).not.toBeNull();
    expect(fileLines).toContain(measured((readmeSample as RegExpMatchArray)[0]));

    const consoleLines = fs.readFileSync(consoleFile, 'utf8').split('\n').map(measured);
    const demoReadme = read('demo-fastify/README.md');
    for (const message of [
      'GET / |',
      'request completed | reqId=req-1',
      'querystring/user_id must be integer',
    ]) {
      const sample = demoReadme.split('\n').find((line) => /^\d{4}-/.test(line) && line.includes(message));
      expect([message, sample && measured(sample)]).toEqual([message, expect.any(String)]);
      expect(consoleLines).toContain(measured(sample as string));
    }
  });
});
