/**
 * End to end: the built `dist/server.js` as a child process (run `npx tsc -b` first), real HTTP on
 * 127.0.0.1 with a port chosen by the OS, a real signal, real files.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  CORE_KEYS,
  serverPerTest,
  ISO_UTC,
  type LogRecord,
  occupyPort,
  readHourlyFiles,
  type Started,
} from './helpers';

describe('server.ts as a real process', () => {
  const scope = serverPerTest();
  let server: Started;

  it('production: serves, stops on SIGTERM after in-flight requests, exits 0 with every record on disk', async () => {
    const { server, base, logDir } = await scope.serve({ PROCESS_ID: 'e2e' });
    await server.waitFor(/CloudWatch JSON log files go to (\S+) as app\.log\.YYYY-MM-DD_HH/);
    expect(server.stdout()).toContain(`CloudWatch JSON log files go to ${logDir} as app.log.YYYY-MM-DD_HH`);

    expect(await (await fetch(`${base}/`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/?user_id=7`)).status).toBe(200);
    expect(await (await fetch(`${base}/warn`)).json()).toEqual({ status: 'warned' });
    expect((await fetch(`${base}/error`)).status).toBe(500);

    // A request still running when SIGTERM arrives must complete, and its records must be kept.
    const slow = fetch(`${base}/slow?ms=600`);
    await server.waitFor(/incoming request \| reqId=req-5 /);
    server.child.kill('SIGTERM');
    const slowResponse = await slow;
    expect(slowResponse.status).toBe(200);
    // Sent while closing: the kept-alive connection is closed so `app.close()` need not wait for it.
    expect(slowResponse.headers.get('connection')).toBe('close');
    expect(await slowResponse.json()).toEqual({ status: 'ok', waited_ms: 600 });
    expect(await server.exit).toBe(0);
    expect(server.stderr()).toBe('');

    // The console: one human line per record.
    const consoleLines = server.stdout().trimEnd().split('\n');
    const line = (pattern: RegExp) => expect(consoleLines.some((l) => pattern.test(l))).toBe(true);
    line(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \[INFO\] app - GET \/ \| reqId=req-1 user_id=123 response_time_ms=[\d.]+$/,
    );
    line(/\[INFO\] app - GET \/ \| reqId=req-2 user_id=7 /);
    line(/\[WARN\] app - quota almost used \| reqId=req-3 user_id=123 quota_used_pct=93 quota_limit=1000$/);
    line(/\[ERROR\] app - payment lookup failed \| reqId=req-4 /);
    line(/\[INFO\] app - SIGTERM received: finishing in-flight requests \| signal=SIGTERM$/);
    line(/\[INFO\] app - slow work done \| reqId=req-5 waited_ms=600 /);
    line(/\[INFO\] app - closed; exiting \| exit_code=0$/);

    // The files: every record, in the CloudWatch shape.
    const { files, records } = readHourlyFiles(logDir);
    expect(files.length).toBeGreaterThanOrEqual(1);
    for (const record of records) {
      expect(Object.keys(record).slice(0, CORE_KEYS.length)).toEqual(CORE_KEYS);
      expect(record).toMatchObject({
        '@timestamp': expect.stringMatching(ISO_UTC),
        app: 'cw_demo',
        process: 'e2e',
      });
    }
    const messages = records.map((record) => record.message);
    expect(messages).toEqual([
      `Server listening at ${base}`,
      expect.stringContaining('CloudWatch JSON log files go to'),
      ...['incoming request', 'GET /', 'request completed'],
      ...['incoming request', 'GET /', 'request completed'],
      ...['incoming request', 'quota almost used', 'request completed'],
      // The debug record of the failed request, kept back until its error; `GET /`'s never written.
      ...['incoming request', 'loading order', 'payment lookup failed', 'request completed'],
      'incoming request',
      'SIGTERM received: finishing in-flight requests',
      'slow work done',
      'request completed',
      'closed; exiting',
    ]);
    const byMessage = (message: string) => records.filter((record) => record.message === message);
    expect(byMessage('GET /')).toEqual([
      expect.objectContaining({
        level: 'INFO',
        reqId: 'req-1',
        user_id: 123,
        response_time_ms: expect.any(Number),
      }),
      expect.objectContaining({ level: 'INFO', reqId: 'req-2', user_id: 7 }),
    ]);
    expect(byMessage('quota almost used')).toEqual([
      expect.objectContaining({ level: 'WARN', reqId: 'req-3', quota_used_pct: 93 }),
    ]);
    const errors = records.filter((record) => record.level === 'ERROR');
    expect(errors).toEqual([
      expect.objectContaining({
        message: 'payment lookup failed',
        reqId: 'req-4',
        res: { statusCode: 500 },
        error: expect.objectContaining({
          type: 'Error',
          message: 'payment lookup failed',
          code: 'DEMO_PAYMENT_LOOKUP',
          stack: expect.stringContaining('payment lookup failed'),
          cause: expect.objectContaining({
            message: 'connect ECONNREFUSED 10.0.0.7:5432',
            code: 'ECONNREFUSED',
          }),
        }),
      }) as LogRecord,
    ]);
    expect(
      byMessage('request completed').map((record) => (record.res as { statusCode: number }).statusCode),
    ).toEqual([200, 200, 200, 500, 200]);
  });

  it('production with LOG_OUTPUT=stdout: only CloudWatch JSON lines on stdout (logs and EMF metrics), no console, no file', async () => {
    const { server, base, logDir } = await scope.serve({ LOG_OUTPUT: 'stdout', PROCESS_ID: 'e2e' });
    expect(await (await fetch(`${base}/?user_id=7`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/error`)).status).toBe(500);
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);

    const lines = server.stdout().trimEnd().split('\n');
    const records = lines.map((line) => JSON.parse(line) as LogRecord);
    for (const record of records) expect(Object.keys(record).slice(0, 6)).toEqual(CORE_KEYS);
    expect(records.some((r) => r.message === 'GET /' && r.user_id === 7 && r.process === 'e2e')).toBe(true);
    expect(records.some((r) => r.level === 'ERROR' && r.reqId !== undefined)).toBe(true);
    // The metrics written at SIGTERM, through the same stream: EMF documents
    const emf = records.filter((r) => r._aws !== undefined);
    expect(emf.length).toBeGreaterThan(0);
    expect(emf.some((r) => r.Route === 'GET /' && Array.isArray(r.Requests) === false)).toBe(true);
    // No human console: collectors ship stderr too, and its lines would reach CloudWatch as text
    expect(server.stderr()).not.toMatch(/\[INFO\]/);
    expect(fs.existsSync(logDir)).toBe(false);
    expect(fs.readdirSync(scope.dir)).toEqual([]);
  });

  it('local: console only, no files; SIGINT exits 0', async () => {
    const logDir = path.join(scope.dir, 'logs');
    server = scope.start({ PORT: '0', LOG_PATH: path.join(logDir, 'app.log') });
    const [, port] = await server.waitFor(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/);
    await server.waitFor(/local mode: console only, no log files/);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    await server.waitFor(/GET \/ \| reqId=req-1 user_id=123/);
    server.child.kill('SIGINT');
    expect(await server.exit).toBe(0);
    expect(server.stdout()).toMatch(/SIGINT received/);
    expect(server.stdout()).toMatch(/closed; exiting \| exit_code=0\n$/);
    expect(fs.existsSync(logDir)).toBe(false);
    expect(fs.readdirSync(scope.dir)).toEqual([]);
  });

  it.each([
    [{ PORT: 'http' }, 'PORT must be an integer from 0 to 65535'],
    [{ ENVIRONMENT: 'staging' }, 'ENVIRONMENT must be one of local, production, got "staging"'],
    [{ APP: '' }, 'APP is set but empty'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: "loud" is not a level'],
  ])('a bad variable %j: a clear message on stderr, exit 1', async (env, message) => {
    server = scope.start(env);
    expect(await server.exit).toBe(1);
    expect(server.stderr().startsWith(`demo-fastify: cannot start: ${message}`)).toBe(true);
    expect(server.stderr()).toMatch(/^demo-fastify: cannot start: .+\n$/);
    expect(server.stdout()).toBe('');
  });

  it('a port already taken: one line on stderr naming the port and what to do, exit 1, no stack, no file', async () => {
    const taken = await occupyPort(0);
    const { port } = taken.address() as { port: number };
    const logDir = path.join(scope.dir, 'logs');
    try {
      server = scope.start({
        ENVIRONMENT: 'production',
        PORT: String(port),
        LOG_PATH: path.join(logDir, 'app.log'),
      });
      expect(await server.exit).toBe(1);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    expect(server.stderr()).toBe(
      `demo-fastify: cannot start: port ${port} on 127.0.0.1 is already in use (an earlier demo still running?); ` +
        'stop what listens there, or set PORT to another port (PORT=0 picks a free one)\n',
    );
    expect(server.stdout()).toBe('');
    expect(fs.readdirSync(logDir)).toEqual([]);
  });

  it('an unwritable LOG_PATH in production: a clear message, exit 1', async () => {
    const blocker = path.join(scope.dir, 'file');
    fs.writeFileSync(blocker, '');
    server = scope.start({ ENVIRONMENT: 'production', LOG_PATH: path.join(blocker, 'app.log') });
    expect(await server.exit).toBe(1);
    expect(server.stderr()).toMatch(
      /^demo-fastify: cannot start: logPath: cannot write log files .*app\.log\.<period>: folder .* is not writable/,
    );
    expect(server.stdout()).toBe('');
  });
});
