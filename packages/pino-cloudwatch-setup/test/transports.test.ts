/**
 * The real thing: setupLogging with the built transports (run `npx tsc -b` first), records
 * written by the worker thread into real files in a temporary folder.
 */
import { EXPECTED_CORE_KEYS } from 'pino-cloudwatch-test-support';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { closeLogging, setupLogging } from '../src';
import { tempDir } from '../src/test-helpers';

const HOURLY = /^app\.log\.\d{4}-\d{2}-\d{2}_\d{2}$/;
const CONSOLE_TIME = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}';

describe('setupLogging with the real transports', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  const consoleFile = () => path.join(tmp.dir, 'console.txt');
  const consoleLines = () => fs.readFileSync(consoleFile(), 'utf8').trimEnd().split('\n');
  /** Every JSON line of every hourly file (a test may straddle an hour). */
  const jsonLines = (dir: string) =>
    fs
      .readdirSync(dir)
      .filter((name) => HOURLY.test(name))
      .sort()
      .flatMap((name) => fs.readFileSync(path.join(dir, name), 'utf8').trimEnd().split('\n'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('local: a human console line and no files at all', async () => {
    const logDir = path.join(tmp.dir, 'logs');
    const logger = setupLogging({
      env: 'local',
      app: 'cw_demo',
      logPath: path.join(logDir, 'app.log'),
      colorize: false,
      console: { destination: consoleFile() },
    });
    logger.info({ user_id: 123, response_time_ms: 45 }, 'GET /');
    logger.debug('below the level');
    await closeLogging(logger);

    expect(consoleLines()).toEqual([
      expect.stringMatching(
        new RegExp(`^${CONSOLE_TIME} \\[INFO\\] cw_demo - GET / \\| user_id=123 response_time_ms=45$`),
      ),
    ]);
    expect(fs.existsSync(logDir)).toBe(false);
  });

  it('production: the console, and hourly files with the CloudWatch JSON shape at info and above', async () => {
    const logDir = path.join(tmp.dir, 'logs');
    const logger = setupLogging({
      env: 'production',
      app: 'cw_demo',
      process: 'api',
      logPath: path.join(logDir, 'app.log'),
      logLevel: 'debug',
      colorize: false,
      console: { destination: consoleFile() },
    });
    logger.info({ user_id: 123, response_time_ms: 45 }, 'GET /');
    logger.debug({ cache: 'miss' }, 'console only');
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    logger.child({ reqId: 'req-7' }).error({ err: new Error('lookup failed', { cause }) }, 'request failed');
    await closeLogging(logger);

    const files = fs.readdirSync(logDir);
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(files.every((name) => HOURLY.test(name))).toBe(true);

    const [first, second, ...rest] = jsonLines(logDir);
    expect(rest).toEqual([]);
    expect(Object.keys(first)).toEqual([...EXPECTED_CORE_KEYS, 'user_id', 'response_time_ms']);
    expect(first).toEqual({
      '@timestamp': expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      level: 'INFO',
      logger: 'cw_demo',
      app: 'cw_demo',
      process: 'api',
      message: 'GET /',
      user_id: 123,
      response_time_ms: 45,
    });
    expect(second).toMatchObject({
      level: 'ERROR',
      message: 'request failed',
      reqId: 'req-7',
      error: {
        type: 'Error',
        message: 'lookup failed',
        stack: expect.stringContaining('lookup failed'),
        cause: { type: 'Error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' },
      },
    });
    // The file's name is the hour of the record, in UTC.
    const hour = (first['@timestamp'] as string).slice(0, 13).replace('T', '_');
    expect(files).toContain(`app.log.${hour}`);

    const lines = consoleLines();
    expect(lines[0]).toMatch(
      new RegExp(`^${CONSOLE_TIME} \\[INFO\\] cw_demo - GET / \\| user_id=123 response_time_ms=45$`),
    );
    expect(lines[1]).toMatch(/\[DEBUG\] cw_demo - console only \| cache=miss$/);
    expect(lines[2]).toMatch(/\[ERROR\] cw_demo - request failed \| reqId=req-7/);
    expect(lines.some((line) => line.includes('lookup failed'))).toBe(true);
  });

  it('production with python labels and fileLevel warn', async () => {
    const logDir = path.join(tmp.dir, 'logs');
    const logger = setupLogging({
      env: 'production',
      app: 'cw_demo',
      logPath: path.join(logDir, 'app.log'),
      fileLevel: 'warn',
      levelLabels: 'python',
      colorize: false,
      console: { destination: consoleFile() },
    });
    logger.info('console only');
    logger.warn({ quota_used_pct: 93 }, 'quota almost used');
    await closeLogging(logger);

    expect(jsonLines(logDir)).toEqual([
      expect.objectContaining({
        level: 'WARNING',
        message: 'quota almost used',
        quota_used_pct: 93,
        process: 'main',
      }),
    ]);
    expect(consoleLines()).toEqual([
      expect.stringMatching(/\[INFO\] cw_demo - console only$/),
      expect.stringMatching(/\[WARNING\] cw_demo - quota almost used \| quota_used_pct=93$/),
    ]);
  });

  it('one level-label rule: { Warn: "WARNING" } renames warn in the file and on the console alike', async () => {
    const logDir = path.join(tmp.dir, 'logs');
    const logger = setupLogging({
      env: 'production',
      app: 'cw_demo',
      logPath: path.join(logDir, 'app.log'),
      levelLabels: { Warn: 'WARNING', FATAL: 'CRITICAL' },
      colorize: false,
      console: { destination: consoleFile() },
    });
    logger.warn('careful');
    logger.fatal('down');
    await closeLogging(logger);

    expect(jsonLines(logDir).map((line) => line.level)).toEqual(['WARNING', 'CRITICAL']);
    expect(consoleLines()).toEqual([
      expect.stringMatching(/\[WARNING\] cw_demo - careful$/),
      expect.stringMatching(/\[CRITICAL\] cw_demo - down$/),
    ]);
  });

  // Both transports in one worker, wired by hand (not through setupLogging, which passes levels and
  // keys in the options): pino posts its config once per worker, and the target that listens later
  // used to miss it in some runs (5% to 70% of runs, depending on the machine). 60 runs, both orders
  // of the targets: a 5% race goes unseen in all of them only 5% of the time (0.95^60).
  it.each(
    Array.from({ length: 60 }, (_, run) => [run, run % 2 === 0 ? 'console first' : 'file first'] as const),
  )(
    "hand-wired targets, run %i (%s): both get the logger's levels and keys from pino",
    async (run, order) => {
      const logDir = path.join(tmp.dir, 'logs');
      const targets: pino.TransportTargetOptions[] = [
        {
          target: require.resolve('pino-pretty-extras'),
          options: { destination: consoleFile(), colorize: false },
        },
        {
          target: require.resolve('pino-cloudwatch-file'),
          options: { file: path.join(logDir, 'app.log'), app: 'a' },
        },
      ];
      const transport = pino.transport({ targets: order === 'console first' ? targets : targets.reverse() });
      const logger = pino({ name: 'app', customLevels: { notice: 35 }, messageKey: 'text' }, transport);

      logger.notice({ run }, 'custom level');
      const closed = once(transport, 'close');
      transport.end();
      await closed;

      expect(jsonLines(logDir)).toEqual([
        expect.objectContaining({ level: 'NOTICE', message: 'custom level', run }),
      ]);
      expect(consoleLines()).toEqual([
        expect.stringMatching(new RegExp(`\\[NOTICE\\] app - custom level \\| run=${run}$`)),
      ]);
    },
  );
});
