import fs from 'node:fs';
import path from 'node:path';
import { createRequestContexts } from 'pino-request-context';
import { loggingOptions } from './logging-options';
import { closeLogging, setupLogging } from './setup-logging';
import { memoryDestination, tempDir } from './test-helpers';

describe('setupLogging with requestContexts', () => {
  it('wraps the destination: logLevel becomes the contexts’ level, the logger serializes down to trace', () => {
    const out = memoryDestination();
    const contexts = createRequestContexts();
    const logger = setupLogging(
      { env: 'local', app: 'a', logLevel: 'WARNING', requestContexts: contexts },
      {},
      out,
    );
    expect([logger.level, contexts.level]).toEqual(['trace', 'warn']);
    logger.info('below warn');
    contexts.run(() => {
      logger.child({ reqId: 'req-1' }).debug('kept back');
      logger.child({ reqId: 'req-1' }).error('failed');
    });
    expect(out.records.map((r) => [r.msg, r.level, r.buffered])).toEqual([
      ['kept back', 20, true],
      ['failed', 50, undefined],
    ]);
  });

  it("installs the contexts' logMethod, after which the user's own hook still runs: a dropped record is never serialized", () => {
    // Prepare: a mixin counts what pino serializes; the user's hook counts what it sees
    const out = memoryDestination();
    const contexts = createRequestContexts();
    let serialized = 0;
    const userSaw: number[] = [];
    const logger = setupLogging(
      { env: 'local', app: 'a', requestContexts: contexts },
      {
        mixin: () => ({ n: ++serialized }),
        hooks: {
          logMethod(args, method, level) {
            userSaw.push(level);
            method.apply(this, args);
          },
        },
      },
      out,
    );

    // Act
    logger.debug('outside, dropped before pino serializes it');
    logger.info('outside, written');
    contexts.run(() => logger.debug('inside, kept back'));

    // Assess
    expect(serialized).toBe(2);
    expect(userSaw).toEqual([30, 20]);
    expect(out.records.map((r) => r.msg)).toEqual(['outside, written']);
  });

  it('a custom logLevel the contexts were not given: the message names requestContexts and customLevels', () => {
    const config = { env: 'local' as const, app: 'a', logLevel: 'audit' };
    const extra = { customLevels: { audit: 35 } };
    const contexts = createRequestContexts();
    expect(() => setupLogging({ ...config, requestContexts: contexts }, extra, memoryDestination())).toThrow(
      'pino-cloudwatch-setup: requestContexts do not know the level audit (logLevel): give createRequestContexts({ customLevels }) the customLevels given to the logger',
    );
    expect(contexts.level).toBe('info');
    const out = memoryDestination();
    const known = createRequestContexts(extra);
    const logger = setupLogging({ ...config, requestContexts: known }, extra, out);
    expect(known.level).toBe('audit');
    logger.info('below audit');
    logger.audit('written');
    expect(out.records.map((r) => r.msg)).toEqual(['written']);
  });

  it('production: a flushed debug record reaches the JSON file and the console; the rest never does', async () => {
    const tmp = tempDir();
    try {
      const consoleFile = path.join(tmp.dir, 'console.txt');
      const contexts = createRequestContexts();
      const logger = setupLogging({
        env: 'production',
        app: 'cw_demo',
        logPath: path.join(tmp.dir, 'logs', 'app.log'),
        colorize: false,
        console: { destination: consoleFile },
        requestContexts: contexts,
      });
      logger.debug('outside, dropped');
      contexts.run(() => logger.debug('discarded with its context'));
      await contexts
        .run(async () => {
          logger.debug({ order_id: 42 }, 'loading order');
          await new Promise((resolve) => setTimeout(resolve, 5));
          throw new Error('payment lookup failed');
        })
        .catch((err: Error) => logger.error({ err }, err.message));
      await closeLogging(logger);

      const [file] = fs.readdirSync(path.join(tmp.dir, 'logs'));
      const records = fs
        .readFileSync(path.join(tmp.dir, 'logs', file as string), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records.map((r) => [r.level, r.message, r.buffered])).toEqual([
        ['DEBUG', 'loading order', true],
        ['ERROR', 'payment lookup failed', undefined],
      ]);
      expect(records[0]).toMatchObject({ logger: 'cw_demo', app: 'cw_demo', order_id: 42 });
      expect(String(records[0]!['@timestamp']) < String(records[1]!['@timestamp'])).toBe(true);
      const console = fs.readFileSync(consoleFile, 'utf8');
      expect(console).toMatch(/\[DEBUG\] cw_demo - loading order \| .*buffered=true/);
      expect(console).not.toMatch(/outside, dropped|discarded with its context/);
    } finally {
      tmp.cleanup();
    }
  });

  it.each([
    [
      { logLevel: 'info', fileLevel: 'warn' },
      /fileLevel \(warn\) cannot be above logLevel \(info\) with requestContexts/,
    ],
    [{ logLevel: 'trace' }, /logLevel \(trace\) is below the requestContexts' bufferFrom \(debug\)/],
  ])('refuses %j at start-up', (levels, message) => {
    const requestContexts = createRequestContexts({ bufferFrom: 'debug' });
    expect(() =>
      setupLogging({ env: 'local', app: 'a', ...levels, requestContexts }, {}, memoryDestination()),
    ).toThrow(message);
  });

  it('refuses what is not made by createRequestContexts, and loggingOptions alone', () => {
    expect(() =>
      setupLogging({ env: 'local', app: 'a', requestContexts: {} as never }, {}, memoryDestination()),
    ).toThrow(/requestContexts must be made by createRequestContexts\(\)/);
    expect(() =>
      loggingOptions({ env: 'local', app: 'a', requestContexts: createRequestContexts() }),
    ).toThrow(/requestContexts needs setupLogging/);
  });

  it('a lower fileLevel, or none, is fine: the file follows the contexts', () => {
    const requestContexts = createRequestContexts();
    expect(() =>
      setupLogging(
        { env: 'local', app: 'a', logLevel: 'warn', fileLevel: 'info', requestContexts },
        {},
        memoryDestination(),
      ),
    ).not.toThrow();
  });
});
