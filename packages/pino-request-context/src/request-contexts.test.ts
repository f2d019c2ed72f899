import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import pino from 'pino';
import { createRequestContexts, type RequestContextsOptions } from './index';

type Record_ = { level: number; time: number; msg: string; [key: string]: unknown };

/** A real pino logger writing through the contexts' destination into memory (`hook`: with `contexts.logMethod`). */
function setup(options: RequestContextsOptions = {}, loggerOptions: pino.LoggerOptions = {}, hook = false) {
  const contexts = createRequestContexts(options);
  const lines: string[] = [];
  const logger = pino(
    {
      level: contexts.loggerLevel,
      ...loggerOptions,
      ...(hook ? { hooks: { logMethod: contexts.logMethod } } : {}),
    },
    contexts.destination({ write: (line: string) => void lines.push(line) }),
  );
  const records = () => lines.map((line) => JSON.parse(line) as Record_);
  const messages = () => records().map((record) => record.msg);
  return { contexts, logger, lines, records, messages };
}

describe('outside any context', () => {
  it('writes at the level and above, drops below it, as the logger level would', () => {
    const { logger, messages } = setup();
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.error('e');
    expect(messages()).toEqual(['i', 'e']);
  });

  it('the logger is at bufferFrom so that the records to buffer are serialized', () => {
    expect(setup().contexts.loggerLevel).toBe('trace');
    expect(setup({ bufferFrom: 'debug' }).contexts.loggerLevel).toBe('debug');
  });
});

describe('inside a context', () => {
  it('discards its debug and trace records when it ends without an error', () => {
    const { contexts, logger, messages } = setup();
    const context = contexts.start();
    context.run(() => {
      logger.debug('cache lookup');
      logger.trace('deep');
      logger.info('GET /');
    });
    context.end();
    expect(messages()).toEqual(['GET /']);
    expect(contexts.stats()).toEqual({ active: 0, bufferedBytes: 0, dropped: 0 });
  });

  it('an error writes the buffered records first, in order, with their own time and level, marked', async () => {
    const { contexts, logger, records } = setup();
    await contexts
      .run(async () => {
        const log = logger.child({ reqId: 'req-7' });
        log.debug({ order_id: 42 }, 'loading order');
        await sleep(5);
        log.trace('query sent');
        log.info('GET /error');
        await sleep(5);
        log.error('payment lookup failed');
      })
      .catch(() => undefined);
    const out = records();
    expect(out.map((r) => [r.msg, r.level, r.buffered])).toEqual([
      ['GET /error', 30, undefined],
      ['loading order', 20, true],
      ['query sent', 10, true],
      ['payment lookup failed', 50, undefined],
    ]);
    for (const record of out) expect(record.reqId).toBe('req-7');
    const [, loading, , failed] = out as Record_[];
    expect(loading!.order_id).toBe(42);
    expect(loading!.time).toBeLessThan(failed!.time);
    expect(loading).not.toHaveProperty('buffer_dropped');
  });

  it('buffers again after a flush: a second error writes only what came since', () => {
    const { contexts, logger, messages } = setup();
    contexts.run(() => {
      logger.debug('a');
      logger.error('first');
      logger.debug('b');
      logger.fatal('second');
      logger.debug('c');
    });
    expect(messages()).toEqual(['a', 'first', 'b', 'second']);
  });

  it('end({ flush: true }) writes the buffer (a 5xx without an error record)', () => {
    const { contexts, logger, records } = setup();
    const context = contexts.start();
    context.run(() => logger.debug('x'));
    context.end({ flush: true });
    context.end({ flush: true });
    expect(records()).toEqual([expect.objectContaining({ msg: 'x', buffered: true })]);
  });

  it('run(): a throw or a rejection writes the buffer, a result discards it', async () => {
    const { contexts, logger, messages } = setup();
    expect(contexts.run(() => (logger.debug('kept back'), 1))).toBe(1);
    expect(() =>
      contexts.run(() => {
        logger.debug('sync');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    await expect(
      contexts.run(async () => {
        logger.debug('async');
        await sleep(1);
        throw new Error('later');
      }),
    ).rejects.toThrow('later');
    expect(messages()).toEqual(['sync', 'async']);
  });

  it('follows the async work the context started (timers, promises) and keeps contexts apart', async () => {
    const { contexts, logger, messages } = setup();
    await Promise.all([
      contexts.run(async () => {
        logger.debug('a1');
        await sleep(10);
        setImmediate(() => logger.debug('a2'));
        await sleep(10);
        logger.error('a failed');
      }),
      contexts.run(async () => {
        logger.debug('b1');
        await sleep(15);
        logger.info('b ok');
      }),
    ]);
    expect(messages()).toEqual(['b ok', 'a1', 'a2', 'a failed']);
  });

  it('a record logged after the context ended is treated as outside any context', () => {
    const { contexts, logger, messages } = setup();
    const context = contexts.start();
    context.end();
    context.run(() => {
      logger.debug('late');
      logger.error('late error');
    });
    expect(messages()).toEqual(['late error']);
    expect(contexts.current()).toBeUndefined();
  });

  it('a record at the level inside a context is written at once', () => {
    const { contexts, logger, messages } = setup({ level: 'debug' });
    contexts.run(() => {
      logger.debug('written');
      logger.trace('kept');
    });
    expect(messages()).toEqual(['written']);
  });
});

describe('bounds', () => {
  const lineOf = (msg: string) =>
    Buffer.byteLength(`${JSON.stringify({ level: 20, time: Date.now(), msg })}\n`);

  it('per context: the oldest go first; the first flushed line says how many were dropped', () => {
    const size = lineOf('line 0');
    const { contexts, logger, records } = setup({ maxContextBytes: size * 3 + 2 }, { base: undefined });
    contexts.run(() => {
      for (let i = 0; i < 10; i++) logger.debug(`line ${i}`);
      logger.error('failed');
    });
    expect(records().map((r) => [r.msg, r.buffer_dropped])).toEqual([
      ['line 7', 7],
      ['line 8', undefined],
      ['line 9', undefined],
      ['failed', undefined],
    ]);
    expect(contexts.stats().dropped).toBe(7);
  });

  it('a line over the per-context cap is dropped; the flush still says so, in a record of its own', () => {
    const { contexts, logger, records } = setup({ maxContextBytes: 50 });
    contexts.run(() => {
      logger.debug('x'.repeat(100));
      logger.error('failed');
    });
    expect(records()).toEqual([
      expect.objectContaining({
        level: 20,
        buffered: true,
        buffer_dropped: 1,
        msg: 'buffered records dropped',
      }),
      expect.objectContaining({ msg: 'failed' }),
    ]);
  });

  it('across contexts: the total never passes maxTotalBytes', () => {
    const size = lineOf('line 00');
    const { contexts, logger } = setup({ maxContextBytes: size * 100, maxTotalBytes: size * 10 });
    const started = Array.from({ length: 5 }, () => contexts.start());
    for (let i = 0; i < 10; i++) {
      for (const context of started) context.run(() => logger.debug(`line ${String(i).padStart(2, '0')}`));
      expect(contexts.stats().bufferedBytes).toBeLessThanOrEqual(size * 10);
    }
    expect(contexts.stats().bufferedBytes).toBeGreaterThan(0);
    for (const context of started) context.end();
    expect(contexts.stats()).toMatchObject({ active: 0, bufferedBytes: 0 });
  });

  it('a context never ended is released when it is garbage-collected', async () => {
    v8.setFlagsFromString('--expose-gc');
    const collect = vm.runInNewContext('gc') as () => void;
    const { contexts, logger } = setup();
    (() => {
      const context = contexts.start();
      context.run(() => logger.debug('forgotten'));
    })();
    expect(contexts.stats().active).toBe(1);
    for (let i = 0; i < 20 && contexts.stats().active > 0; i++) {
      collect();
      await sleep(10);
    }
    expect(contexts.stats()).toMatchObject({ active: 0, bufferedBytes: 0 });
  });
});

describe('sampling', () => {
  it('a sampled context writes its debug records directly; the decision is taken at its start', () => {
    const draws = [0.05, 0.5, 0.0999];
    const { contexts, logger, messages } = setup({ sampleRate: 0.1, random: () => draws.shift() as number });
    const [a, b, c] = [contexts.start(), contexts.start(), contexts.start()];
    expect([a.sampled, b.sampled, c.sampled]).toEqual([true, false, true]);
    a.run(() => logger.debug('a'));
    b.run(() => logger.debug('b'));
    c.run(() => logger.trace('c'));
    [a, b, c].forEach((context) => context.end());
    expect(messages()).toEqual(['a', 'c']);
  });

  it('rate 0 never samples, rate 1 always', () => {
    expect(setup({ sampleRate: 0, random: () => 0 }).contexts.start().sampled).toBe(false);
    expect(setup({ sampleRate: 1, random: () => 0.9999 }).contexts.start().sampled).toBe(true);
  });
});

describe('level at run time', () => {
  it('changes what every logger and child writes, and back', () => {
    const { contexts, logger, messages } = setup();
    const child = logger.child({ part: 'db' });
    child.debug('hidden');
    contexts.level = 'debug';
    child.debug('shown');
    logger.trace('still hidden');
    contexts.level = 'INFO';
    child.debug('hidden again');
    expect(messages()).toEqual(['shown']);
    expect(contexts.level).toBe('info');
    contexts.level = 'silent';
    logger.fatal('nothing');
    contexts.run(() => logger.debug('nor this'));
    expect(messages()).toEqual(['shown']);
  });

  it('refuses a name that is not a level, or one below bufferFrom', () => {
    const { contexts } = setup({ bufferFrom: 'debug' });
    expect(() => (contexts.level = 'verbose')).toThrow(
      /level: "verbose" is not a level; accepted: trace, debug/,
    );
    expect(() => (contexts.level = 'trace')).toThrow(/below bufferFrom \(debug\)/);
  });

  it('knows custom levels', () => {
    const { contexts, logger, messages } = setup(
      { customLevels: { audit: 35 }, level: 'audit' },
      { customLevels: { audit: 35 } },
    );
    (logger as unknown as pino.Logger<'audit'>).audit('a');
    logger.info('i');
    contexts.level = 'info';
    logger.info('i2');
    expect(messages()).toEqual(['a', 'i2']);
  });
});

describe('options are checked at creation', () => {
  it.each([
    [{ level: 'loud' }, /level: "loud" is not a level/],
    [{ level: 'trace', bufferFrom: 'debug' }, /level \(trace\) is below bufferFrom \(debug\)/],
    [{ bufferFrom: 'silent' }, /bufferFrom cannot be silent/],
    [{ maxContextBytes: -1 }, /maxContextBytes must be a whole number of bytes/],
    [{ maxTotalBytes: 1.5 }, /maxTotalBytes must be a whole number/],
    [{ sampleRate: 2 }, /sampleRate must be a number from 0 to 1/],
    [{ sampleRate: '0.1' }, /sampleRate must be a number from 0 to 1 .*, got "0.1"$/],
    [{ bufferFrom: 'warn' }, /level \(info, the default\) is below bufferFrom \(warn\)/],
    [{ maxContextBytes: '100' }, /maxContextBytes must be a whole number of bytes, 0 or more, got "100"$/],
    [{ random: 1 }, /random must be a function/],
    [{ sampelRate: 0.1 }, /sampelRate is not an option; accepted: level, bufferFrom/],
    [{ customLevels: { audit: 'x' } }, /customLevels must be an object of level names to integers/],
  ])('%j', (options, message) => {
    expect(() => createRequestContexts(options as RequestContextsOptions)).toThrow(message);
  });

  it('one destination per instance', () => {
    const contexts = createRequestContexts();
    contexts.destination({ write: () => undefined });
    expect(() => contexts.destination({ write: () => undefined })).toThrow(/already called/);
    expect(() => createRequestContexts().destination({} as never)).toThrow(
      /must have a write\(line\) method/,
    );
  });
});

describe('the destination wrapper', () => {
  it('passes pino’s config message, flush and end to the wrapped stream', () => {
    const inner = Object.assign(new EventEmitter(), {
      write: jest.fn(),
      flush: jest.fn((cb: () => void) => cb()),
      flushSync: jest.fn(),
      end: jest.fn(),
    });
    const messages: unknown[] = [];
    inner.on('message', (message) => messages.push(message));
    const contexts = createRequestContexts();
    const logger = pino({ level: contexts.loggerLevel }, contexts.destination(inner));
    expect(messages).toEqual([expect.objectContaining({ code: 'PINO_CONFIG' })]);
    const flushed = jest.fn();
    logger.flush(flushed);
    expect(flushed).toHaveBeenCalled();
    const finished = jest.fn();
    const wrapper = (logger as unknown as { [k: symbol]: { once: EventEmitter['once']; end(): void } })[
      pino.symbols.streamSym
    ];
    wrapper.once('finish', finished);
    wrapper.end();
    expect(inner.end).toHaveBeenCalled();
    inner.emit('finish');
    expect(finished).toHaveBeenCalled();
  });

  it('tells a pino.multistream the level of each line, flushed ones included', () => {
    const debugLines: string[] = [];
    const errorLines: string[] = [];
    const contexts = createRequestContexts();
    const logger = pino(
      { level: contexts.loggerLevel },
      contexts.destination(
        pino.multistream([
          { level: 'debug', stream: { write: (line: string) => void debugLines.push(line) } },
          { level: 'error', stream: { write: (line: string) => void errorLines.push(line) } },
        ]),
      ),
    );
    contexts.run(() => {
      logger.debug('d');
      logger.error('e');
    });
    expect(debugLines.map((line) => JSON.parse(line).msg)).toEqual(['d', 'e']);
    expect(errorLines.map((line) => JSON.parse(line).msg)).toEqual(['e']);
  });

  it('works with pino.transport: the flushed records reach the worker’s file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'request-context-'));
    try {
      const file = path.join(dir, 'out.log');
      const contexts = createRequestContexts();
      const transport = pino.transport({ target: 'pino/file', options: { destination: file } });
      const logger = pino({ level: contexts.loggerLevel }, contexts.destination(transport));
      await contexts
        .run(async () => {
          logger.debug('before the error');
          await sleep(1);
          throw new Error('failed');
        })
        .catch((err: Error) => logger.error({ err }, 'request failed'));
      contexts.run(() => logger.debug('never written'));
      await new Promise<void>((resolve) => {
        transport.once('close', () => resolve());
        transport.end();
      });
      const records = fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(records.map((r) => [r.msg, r.level, r.buffered])).toEqual([
        ['before the error', 20, true],
        ['request failed', 50, undefined],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes flushSync, destroy, fd and listener removal to the wrapped stream', () => {
    const inner = Object.assign(new EventEmitter(), {
      write: jest.fn(),
      flushSync: jest.fn(),
      destroy: jest.fn(),
      fd: 7,
    });
    const wrapper = createRequestContexts().destination(inner) as unknown as {
      flushSync(): void;
      destroy(): void;
      fd: number;
      on(event: string, listener: () => void): unknown;
      removeListener(event: string, listener: () => void): unknown;
      flush(cb: () => void): void;
    };
    wrapper.flushSync();
    wrapper.destroy();
    expect([inner.flushSync.mock.calls.length, inner.destroy.mock.calls.length, wrapper.fd]).toEqual([
      1, 1, 7,
    ]);
    const listener = jest.fn();
    wrapper.on('drain', listener);
    inner.emit('drain');
    wrapper.removeListener('drain', listener);
    inner.emit('drain');
    expect(listener).toHaveBeenCalledTimes(1);
    const flushed = jest.fn();
    wrapper.flush(flushed); // the inner stream has no flush: the callback is called at once
    expect(flushed).toHaveBeenCalled();
  });

  it('never throws into the application for a failure of its own: the line goes out as it is, said once', () => {
    const stderr = jest.spyOn(fs, 'writeSync').mockImplementation(() => 0);
    try {
      const lines: string[] = [];
      let failures = 2;
      const contexts = createRequestContexts();
      const logger = pino(
        { level: contexts.loggerLevel },
        contexts.destination({
          write: (line: string) => {
            // The flush's first writes fail (as a broken buffer would), the rest go through.
            if (line.includes('"buffered":true') && failures-- > 0) throw new Error('no room');
            lines.push(line);
          },
        }),
      );
      contexts.run(() => {
        logger.debug('a');
        logger.error('first');
      });
      contexts.run(() => {
        logger.debug('b');
        logger.error('second');
      });
      expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['first', 'second']);
      const reports = stderr.mock.calls.filter(([fd]) => fd === 2);
      expect(reports).toHaveLength(1);
      expect(String(reports[0]![1])).toMatch(
        /pino-request-context: a line could not be routed, written as it is: Error: no room/,
      );
    } finally {
      stderr.mockRestore();
    }
  });

  it('writes a line of unknown level (not from pino) as it is', () => {
    const lines: string[] = [];
    const contexts = createRequestContexts();
    const wrapper = contexts.destination({ write: (line: string) => void lines.push(line) });
    wrapper.write('hello\n');
    expect(lines).toEqual(['hello\n']);
  });
});

describe('logMethod: the records the destination would drop are never serialized', () => {
  /** Every routing case, logged with and without the hook; the mixin counts what pino serializes. */
  function scenario(hook: boolean) {
    let serialized = 0;
    const draws = [0.9, 0.9, 0.001];
    const { contexts, logger, records } = setup(
      { sampleRate: 0.01, random: () => draws.shift() as number },
      { mixin: () => ({ n: ++serialized }) },
      hook,
    );
    const child = logger.child({ reqId: 'r' });
    logger.trace('outside trace');
    logger.debug('outside debug');
    logger.info('outside info');
    const quiet = contexts.start();
    quiet.run(() => {
      child.debug('quiet debug');
      child.trace('quiet trace');
      child.info('quiet info');
    });
    quiet.end();
    const failing = contexts.start();
    failing.run(() => {
      child.debug('failing debug');
      child.error('failing error');
    });
    failing.end();
    const sampled = contexts.start();
    sampled.run(() => child.debug('sampled debug'));
    sampled.end();
    quiet.run(() => child.debug('after its end'));
    contexts.level = 'debug';
    logger.debug('outside debug at debug');
    logger.trace('outside trace at debug');
    contexts.level = 'info';
    const written = records().map(({ msg, level, buffered }) => ({ msg, level, buffered }));
    return { written, serialized };
  }

  it('writes exactly the same records with the hook, and serializes only what reaches the destination', () => {
    // Act
    const without = scenario(false);
    const withHook = scenario(true);

    // Assess
    expect(withHook.written).toEqual(without.written);
    expect(without.written.map((record) => record.msg)).toEqual([
      'outside info',
      'quiet info',
      'failing debug',
      'failing error',
      'sampled debug',
      'outside debug at debug',
    ]);
    // 12 log calls; without the hook all are serialized, with it only the 8 the wrapper keeps or writes
    // (the 6 above, plus the quiet context's two discarded ones).
    expect(without.serialized).toBe(12);
    expect(withHook.serialized).toBe(8);
  });

  it('is a pino hook: pino accepts it in its options and calls it with the level number', () => {
    const contexts = createRequestContexts();
    const options: pino.LoggerOptions = { hooks: { logMethod: contexts.logMethod } };
    const seen: string[] = [];
    const logger = pino(
      { ...options, level: contexts.loggerLevel },
      contexts.destination({ write: (line: string) => void seen.push(line) }),
    );
    logger.info({ a: 1 }, 'with %s', 'args');
    expect(JSON.parse(seen[0] as string)).toMatchObject({ a: 1, msg: 'with args' });
  });
});
