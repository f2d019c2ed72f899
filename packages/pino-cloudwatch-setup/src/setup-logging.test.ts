import pino from 'pino';
import { closeLogging, setupLogging } from './setup-logging';
import { memoryDestination, tempDir } from './test-helpers';

describe('setupLogging with a destination (records captured in memory)', () => {
  it('gives a pino logger with the config’s name and level', () => {
    const out = memoryDestination();
    const logger = setupLogging({ env: 'local', app: 'cw_demo', logLevel: 'warn' }, {}, out);
    logger.info('dropped');
    logger.warn({ user_id: 123 }, 'kept');
    expect(out.records).toEqual([
      expect.objectContaining({ level: 40, name: 'cw_demo', msg: 'kept', user_id: 123 }),
    ]);
  });

  it('serializes errors with their cause as a nested object', () => {
    const out = memoryDestination();
    const logger = setupLogging({ env: 'local', app: 'a' }, {}, out);
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    logger.error({ err: new Error('lookup failed', { cause }) }, 'boom');
    expect(out.records[0].err).toMatchObject({
      type: 'Error',
      message: 'lookup failed',
      stack: expect.stringContaining('lookup failed'),
      cause: { type: 'Error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' },
    });
  });

  it('keeps the caller’s redact, mixin, custom levels and child bindings', () => {
    const out = memoryDestination();
    const logger = setupLogging(
      { env: 'local', app: 'a', logLevel: 'audit' },
      { redact: ['password'], mixin: () => ({ region: 'eu' }), customLevels: { audit: 35 } },
      out,
    );
    logger.child({ reqId: 'req-1' }).audit({ password: 'secret' }, 'login');
    logger.info('below audit');
    expect(out.records).toEqual([
      expect.objectContaining({
        level: 35,
        reqId: 'req-1',
        password: '[Redacted]',
        region: 'eu',
        msg: 'login',
      }),
    ]);
  });

  it('throws at setup for bad values, before any logger exists', () => {
    expect(() => setupLogging({ env: 'prod' as 'production', app: 'a' })).toThrow(`env must be one of`);
  });

  it.each([
    ['a file transport option', { file: { frequency: 60_000 } }, /^pino-cloudwatch-file: option "frequency"/],
    ['a console transport option', { console: { maxDepth: -1 } }, /^pino-pretty-extras: option "maxDepth"/],
    ['a folder as logPath', { logPath: './' }, /^pino-cloudwatch-setup: logPath must be the base path/],
  ])(
    'throws %s as a plain exception from setupLogging itself, before any worker starts',
    (_what, config, message) => {
      // Prepare
      const tmp = tempDir();
      const transport = jest.spyOn(pino, 'transport');
      let thrown: unknown;
      try {
        // Act
        setupLogging({ env: 'production', app: 'a', logPath: `${tmp.dir}/app.log`, ...config });
      } catch (err) {
        thrown = err;
      } finally {
        transport.mockRestore();
        tmp.cleanup();
      }
      // Assess
      expect(thrown).toBeInstanceOf(Error);
      expect((thrown as Error).message).toMatch(message);
      expect(transport).not.toHaveBeenCalled();
    },
  );
});

describe('closeLogging', () => {
  it('flushes a destination it does not own and resolves', async () => {
    const out = memoryDestination();
    const logger = setupLogging({ env: 'local', app: 'a' }, {}, out);
    logger.info('before close');
    await expect(closeLogging(logger)).resolves.toBeUndefined();
    expect(out.records).toHaveLength(1);
  });

  it('ends a closable destination and waits for it', async () => {
    const lines: string[] = [];
    const { Writable } = await import('node:stream');
    const stream = new Writable({
      write(chunk, _enc, cb) {
        setTimeout(() => {
          lines.push(String(chunk));
          cb();
        }, 5);
      },
    });
    const logger = setupLogging({ env: 'local', app: 'a' }, {}, stream);
    logger.info('one');
    logger.child({ job: 'x' }).info('two');
    await closeLogging(logger.child({ reqId: 'req-1' }).child({ step: 2 }));
    expect(stream.writableFinished).toBe(true);
    expect(lines).toHaveLength(2);
  });

  it("ends the transport setupLogging created, not whatever pino's private stream symbol holds", async () => {
    // Prepare: a real transport, and pino's internal slot pointing elsewhere (as a pino that moved
    // its internals might).
    const logger = setupLogging({ env: 'local', app: 'a', console: { destination: '/dev/null' } });
    const decoy = { write: () => true, end: jest.fn(), once: jest.fn() };
    const transport = (logger as unknown as Record<symbol, NodeJS.EventEmitter>)[pino.symbols.streamSym];
    (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = decoy;
    const closed = new Promise((resolve) => transport.once('close', resolve));

    // Act
    await closeLogging(logger, { timeoutMs: 5000 });

    // Assess
    await closed;
    expect(decoy.end).not.toHaveBeenCalled();
  });

  it('flushes a logger it did not make and says it could not close its destination, unless given it', async () => {
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const { Writable } = await import('node:stream');
      const stream = new Writable({ write: (_chunk, _enc, cb) => cb() });
      const foreign = pino({}, stream);
      foreign.info('x');
      await closeLogging(foreign);
      expect(stream.writableEnded).toBe(false);
      expect(emitWarning).toHaveBeenCalledWith(
        expect.stringContaining('the logger was not made by setupLogging and no destination was given'),
        'LoggingCloseWarning',
      );
      await closeLogging(foreign, { destination: stream });
      expect(stream.writableFinished).toBe(true);
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('reports a destination that never closes as a warning, not an error', async () => {
    const stuck = { write: () => undefined, end: () => undefined, once: () => undefined };
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const logger = setupLogging({ env: 'local', app: 'a' }, {}, stuck as unknown as pino.DestinationStream);
    await closeLogging(logger, { timeoutMs: 20 });
    expect(emitWarning).toHaveBeenCalledWith(
      expect.stringContaining('did not close within 20 ms'),
      'LoggingCloseWarning',
    );
    emitWarning.mockRestore();
  });
});

describe('closeLogging closeFirst', () => {
  it('closes each item first, in order, then the destination; a failing or hanging item only warns', async () => {
    const events: string[] = [];
    const { Writable } = await import('node:stream');
    const stream = new Writable({
      write(chunk, _enc, cb) {
        events.push(`log ${String(chunk).includes('last') ? 'last' : 'line'}`);
        cb();
      },
      final(cb) {
        events.push('destination ended');
        cb();
      },
    });
    const logger = setupLogging({ env: 'local', app: 'a' }, {}, stream);
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    let warnings: unknown[] = [];
    try {
      logger.info('last');
      await closeLogging(logger, {
        timeoutMs: 200,
        closeFirst: [
          {
            close: async () => {
              await new Promise((r) => setTimeout(r, 20));
              events.push('metrics closed');
            },
          },
          {
            close: () => {
              throw new Error('disk gone');
            },
          },
          { close: () => new Promise(() => undefined) },
        ],
      });
      warnings = emitWarning.mock.calls.map(([message]) => message);
    } finally {
      emitWarning.mockRestore();
    }
    expect(events).toEqual(['log last', 'metrics closed', 'destination ended']);
    expect(warnings).toEqual([
      'pino-cloudwatch-setup: closeLogging: closeFirst: closing an item failed: Error: disk gone',
      'pino-cloudwatch-setup: closeLogging: closeFirst: an item did not close within 200 ms',
    ]);
  });

  it('takes a closeFirst that is not an array or a bad timeoutMs with a warning naming it, and closes the logs anyway', async () => {
    const events: string[] = [];
    const { Writable } = await import('node:stream');
    const stream = (): InstanceType<typeof Writable> =>
      new Writable({
        write(_chunk, _enc, cb) {
          cb();
        },
        final(cb) {
          events.push('destination ended');
          cb();
        },
      });
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    let warnings: unknown[] = [];
    try {
      const metrics = { close: async () => void events.push('metrics closed') };
      const first = setupLogging({ env: 'local', app: 'a' }, {}, stream());
      await closeLogging(first, { closeFirst: metrics as never });
      const second = setupLogging({ env: 'local', app: 'a' }, {}, stream());
      await closeLogging(second, { closeFirst: 'metrics' as never, timeoutMs: Number.NaN });
      warnings = emitWarning.mock.calls.map(([message]) => message);
    } finally {
      emitWarning.mockRestore();
    }
    expect(events).toEqual(['metrics closed', 'destination ended', 'destination ended']);
    expect(warnings).toEqual([
      'pino-cloudwatch-setup: closeLogging: closeFirst must be an array of objects with close(), like [metrics], got one object; closing it first',
      'pino-cloudwatch-setup: closeLogging: timeoutMs must be a number of milliseconds, 0 or more, got NaN; using 10000',
      'pino-cloudwatch-setup: closeLogging: closeFirst must be an array of objects with close(), like [metrics], got metrics',
    ]);
  });
});
