/**
 * The real thing: `pino.transport({ target: 'pino-cloudwatch-file' })` on the built package, in a
 * worker thread, writing real files. (`npm test` builds before jest runs.)
 */
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { periodOf } from '../src/period';
import { filesIn, finish, recordsIn, runNode, tempDir } from './helpers';

/** A record time of its own, a minute before the test runs (inside the window the agent accepts). */
const FIXED_TIME = Math.floor(Date.now() / 1000) * 1000 - 60_000 + 123;
const fixedTime = (): string => `,"time":${FIXED_TIME}`;

type Transport = ReturnType<typeof pino.transport>;

function transport(options: Record<string, unknown>): Transport {
  return pino.transport({ target: 'pino-cloudwatch-file', options });
}

describe('pino.transport({ target: "pino-cloudwatch-file" })', () => {
  test('writes the reference line of the contract byte for byte', async () => {
    const dir = tempDir();
    const t = transport({ file: path.join(dir, 'app.log'), app: 'cw_demo', process: 'cw_demo' });
    const logger = pino({ name: 'app', timestamp: fixedTime }, t);
    logger.info({ user_id: 123, response_time_ms: 45 }, 'GET /');
    await finish(logger, t);
    const files = filesIn(dir);
    expect([...files.values()]).toEqual([
      [
        `{"@timestamp":"${new Date(FIXED_TIME).toISOString()}","level":"INFO","logger":"app","app":"cw_demo","process":"cw_demo","message":"GET /","user_id":123,"response_time_ms":45}`,
      ],
    ]);
    // The record's own hour, unless the clock has left it since (then the clock's: a period over by
    // the clock is never written again).
    expect([...files.keys()][0]).toBe(`app.log.${periodOf(Date.now(), 3_600_000, 'hour', true).name}`);
  });

  test("a record whose time the agent would drop (older than 14 days) gets the clock's time and keeps its own as invalidTime, in the current file", async () => {
    const dir = tempDir();
    const t = transport({ file: path.join(dir, 'app.log'), app: 'cw_demo', process: 'cw_demo' });
    const old = Date.UTC(2025, 11, 13, 12, 30, 45, 123);
    const logger = pino({ name: 'app', timestamp: () => `,"time":${old}` }, t);
    const before = Date.now();
    logger.info({ user_id: 123 }, 'GET /');
    await finish(logger, t);
    const [line] = recordsIn(dir);
    expect(line).toMatchObject({ message: 'GET /', user_id: 123, invalidTime: old });
    expect(Date.parse(line['@timestamp'] as string)).toBeGreaterThanOrEqual(before - 5);
    expect([...filesIn(dir).keys()][0]).toBe(`app.log.${periodOf(Date.now(), 3_600_000, 'hour', true).name}`);
  });

  test("names the file after the record's hour in UTC", async () => {
    const dir = tempDir();
    const t = transport({ file: path.join(dir, 'app.log'), app: 'a' });
    const logger = pino(t);
    logger.info('now');
    await finish(logger, t);
    const [name] = filesIn(dir).keys();
    expect(name).toMatch(/^app\.log\.\d{4}-\d{2}-\d{2}_\d{2}$/);
    expect(name).toBe(`app.log.${new Date().toISOString().slice(0, 13).replace('T', '_')}`);
  });

  test('labels custom levels and reads a custom messageKey sent by pino to the worker', async () => {
    const dir = tempDir();
    const t = transport({ file: path.join(dir, 'app.log'), app: 'a' });
    const logger = pino({ customLevels: { audit: 35 }, messageKey: 'text', level: 'debug' }, t);
    logger.audit({ who: 'me' }, 'changed settings');
    logger.debug('debugging');
    await finish(logger, t);
    expect(recordsIn(dir).map((r) => [r.level, r.message])).toEqual([
      ['AUDIT', 'changed settings'],
      ['DEBUG', 'debugging'],
    ]);
  });

  test('starts without hanging when ready is awaited before pino() is called', async () => {
    const dir = tempDir();
    const t = transport({ file: path.join(dir, 'app.log'), app: 'a' });
    await once(t, 'ready');
    const logger = pino({ customLevels: { notice: 33 } }, t);
    logger.notice('after ready');
    await finish(logger, t);
    expect(recordsIn(dir).map((r) => r.level)).toEqual(['NOTICE']);
  });

  test("says on stderr when pino's config never came and lines were written with what was known", async () => {
    const dir = tempDir();
    const result = await runNode(`
      const { once } = require('node:events');
      const pino = require('pino');
      (async () => {
        const t = pino.transport({ target: 'pino-cloudwatch-file', options: { file: ${JSON.stringify(path.join(dir, 'app.log'))}, app: 'a' } });
        await once(t, 'ready');
        // No pino() call: nothing sends the logger's config.
        t.write(JSON.stringify({ level: 35, time: Date.now(), msg: 'held' }) + '\\n');
        await new Promise((resolve) => setTimeout(resolve, 500));
        t.end();
      })();
    `);
    expect(result.code).toBe(0);
    expect(recordsIn(dir).map((r) => [r.level, r.message])).toEqual([['35', 'held']]);
    expect(result.stderr.match(/has not reached this target 200 ms after its first line/g)).toHaveLength(1);
    expect(result.stderr).toContain("pino's default levels (a custom level shows as its number)");
  });

  test('keeps error causes structured with errWithCause', async () => {
    const dir = tempDir();
    const t = transport({ file: path.join(dir, 'app.log'), app: 'a' });
    const logger = pino({ serializers: { err: pino.stdSerializers.errWithCause } }, t);
    const err = Object.assign(new Error('request failed', { cause: new Error('ECONNRESET') }), {
      code: 'E_UP',
    });
    logger.error({ err }, 'upstream');
    await finish(logger, t);
    const [record] = recordsIn(dir) as {
      error: { type: string; code: string; stack: string; cause: { message: string } };
    }[];
    expect(record.error).toMatchObject({ type: 'Error', code: 'E_UP', cause: { message: 'ECONNRESET' } });
    expect(record.error.stack).toContain('request failed');
  });

  test('renames colliding fields and reports each once on stderr', async () => {
    const dir = tempDir();
    const result = await runNode(`
      const pino = require('pino');
      const t = pino.transport({ target: 'pino-cloudwatch-file', options: { file: ${JSON.stringify(path.join(dir, 'app.log'))}, app: 'a' } });
      const logger = pino(t);
      for (let i = 0; i < 3; i++) logger.info({ app: 'mine', message: i }, 'x');
    `);
    expect(result.code).toBe(0);
    const records = recordsIn(dir);
    expect(records.map((r) => [r.app, r._app, r.message, r._message])).toEqual([
      ['a', 'mine', 'x', 0],
      ['a', 'mine', 'x', 1],
      ['a', 'mine', 'x', 2],
    ]);
    expect(result.stderr.match(/field "app" collides/g)).toHaveLength(1);
    expect(result.stderr.match(/field "message" collides/g)).toHaveLength(1);
  });

  test('keeps input that is not a pino record as a valid line', async () => {
    const dir = tempDir();
    const t = transport({ file: path.join(dir, 'app.log'), app: 'a' });
    const logger = pino(t);
    logger.info('before');
    t.write('this is not json\n');
    (t as unknown as NodeJS.WritableStream).write(Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x0a])); // invalid UTF-8
    logger.info('after');
    await finish(logger, t);
    const records = recordsIn(dir);
    expect(records.map((r) => r.message)).toEqual(['before', 'this is not json', 'bad\ufffd\ufffd', 'after']);
    expect(records[1].unparsed).toBe(true);
  });

  test('truncates an oversized record to one valid line under the limit', async () => {
    const dir = tempDir();
    const t = transport({ file: path.join(dir, 'app.log'), app: 'a', maxEventBytes: 8192 });
    const logger = pino(t);
    logger.info({ payload: 'p'.repeat(100_000), id: 7 }, 'huge');
    logger.info('next');
    await finish(logger, t);
    const [lines] = filesIn(dir).values();
    expect(lines).toHaveLength(2);
    expect(Buffer.byteLength(lines[0])).toBeLessThanOrEqual(8192);
    expect(JSON.parse(lines[0])).toMatchObject({ truncated: true, id: 7, message: 'huge' });
    expect(JSON.parse(lines[1]).message).toBe('next');
  });

  test("rotates across 1 s periods: every line once, never in an earlier period's file, old file finished before the new one", async () => {
    const dir = tempDir();
    const period = 1000;
    const t = transport({
      file: path.join(dir, 'app.log'),
      app: 'a',
      frequency: period,
      allowShortFrequency: true,
    });
    const logger = pino(t);
    const deadline = Date.now() + 5.2 * period;
    let seq = 0;
    while (Date.now() < deadline) {
      for (let i = 0; i < 50; i++) logger.info({ seq: seq++ });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await finish(logger, t);

    const files = filesIn(dir);
    // A file stays the newest for MIN_NEWEST_MS (1.5 s) before the next appears: with 1 s periods a
    // file is placed under the clock's period when its gap ends, and its first records are late.
    expect(files.size).toBeGreaterThanOrEqual(3);
    const seen: number[] = [];
    for (const [name, lines] of files) {
      const fileStart = periodOf(
        Date.parse(`${name.slice(8, 18)}T${name.slice(19).replace(/-/g, ':')}Z`),
        period,
        'second',
        true,
      );
      expect(name).toBe(`app.log.${fileStart.name}`);
      for (const line of lines) {
        const record = JSON.parse(line) as { seq: number; '@timestamp': string };
        seen.push(record.seq);
        const own = periodOf(Date.parse(record['@timestamp']), period, 'second', true);
        // A record is in its own period's file, or (late) in a later one.
        expect(own.name <= fileStart.name).toBe(true);
      }
    }
    expect(seen).toEqual([...Array(seq).keys()]);

    // Old before new: each file's last write happened before the next file was created.
    const stats = [...files.keys()].map((name) => fs.statSync(path.join(dir, name)));
    if (stats[0].birthtimeMs > 0) {
      for (let i = 1; i < stats.length; i++)
        expect(stats[i - 1].mtimeMs).toBeLessThanOrEqual(stats[i].birthtimeMs);
    }
  });

  test('appends to the current period file after a restart', async () => {
    const dir = tempDir();
    for (const message of ['first run', 'second run']) {
      const t = transport({ file: path.join(dir, 'app.log'), app: 'a' });
      const logger = pino(t);
      logger.info(message);
      await finish(logger, t);
    }
    const files = filesIn(dir);
    expect(files.size).toBe(1);
    expect([...files.values()][0].map((l) => JSON.parse(l).message)).toEqual(['first run', 'second run']);
  });

  test("retention deletes only this family's old files, never foreign or current ones", async () => {
    const dir = tempDir();
    const old = ['app.log.2020-01-01_00', 'app.log.2020-01-01_01', 'app.log.2020-01-01_02'];
    const foreign = [
      'worker.log.2020-01-01_00',
      'app.log.2020-01-01_00.gz',
      'app.log.2020-01-01',
      'app.log',
      'notes.txt',
    ];
    for (const name of [...old, ...foreign]) fs.writeFileSync(path.join(dir, name), 'x\n');
    const t = transport({
      file: path.join(dir, 'app.log'),
      app: 'a',
      retention: { maxFiles: 1, maxAgeHours: 1e9 },
    });
    const logger = pino(t);
    logger.info('current');
    await finish(logger, t);
    const left = fs.readdirSync(dir).sort();
    const current = `app.log.${new Date().toISOString().slice(0, 13).replace('T', '_')}`;
    expect(left).toEqual([...foreign, 'app.log.2020-01-01_02', current].sort());
  });

  test('writes next to a console target in a multi-target transport, each at its own level', async () => {
    const dir = tempDir();
    const t = pino.transport({
      targets: [
        { target: 'pino/file', level: 'debug', options: { destination: path.join(dir, 'console.out') } },
        {
          target: 'pino-cloudwatch-file',
          level: 'info',
          options: { file: path.join(dir, 'app.log'), app: 'a' },
        },
      ],
    });
    const logger = pino({ level: 'debug', customLevels: { audit: 35 } }, t);
    logger.debug('only on the console');
    logger.audit('both');
    logger.warn({ k: 1 }, 'both too');
    await finish(logger, t);
    const records = recordsIn(dir).filter((r) => r.app === 'a');
    expect(records.map((r) => [r.level, r.message, r.k])).toEqual([
      ['AUDIT', 'both', undefined],
      ['WARN', 'both too', 1],
    ]);
    expect(fs.readFileSync(path.join(dir, 'console.out'), 'utf8').split('\n')).toHaveLength(4);
  });

  test("writes while the app runs when another target took pino's config message first", async () => {
    // pino-pretty-extras listens for pino's config too and, loaded first, starts the worker's
    // message port before this target listens: the message is gone before this target can see it.
    // (Before the fix every line stayed in memory until flush or exit.)
    const dir = tempDir();
    const logger = pino({
      name: 'app',
      transport: {
        targets: [
          { target: require.resolve('pino-pretty-extras'), options: { destination: '/dev/null' } },
          {
            target: require.resolve('pino-cloudwatch-file'),
            options: { file: path.join(dir, 'app.log'), app: 'a' },
          },
        ],
      },
    });
    logger.warn('while running');
    logger.info('still running');
    const deadline = Date.now() + 5000;
    let records: Record<string, unknown>[] = [];
    while (Date.now() < deadline && records.length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      records = recordsIn(dir);
    }
    expect(records.map((r) => [r.level, r.message])).toEqual([
      ['WARN', 'while running'],
      ['INFO', 'still running'],
    ]);
    await finish(logger, (logger as unknown as Record<symbol, Transport>)[pino.symbols.streamSym]);
  });

  test('labels custom levels in a targets transport built by pino from its options', async () => {
    const dir = tempDir();
    const logger = pino({
      customLevels: { audit: 35 },
      transport: {
        targets: [
          {
            target: 'pino-pretty-extras',
            options: { destination: path.join(tempDir(), 'console.out'), colorize: false },
          },
          { target: 'pino-cloudwatch-file', options: { file: path.join(dir, 'app.log'), app: 'a' } },
        ],
      },
    });
    logger.audit('custom');
    logger.warn('default');
    const t = (logger as unknown as Record<symbol, Transport>)[pino.symbols.streamSym];
    await finish(logger, t);
    expect(
      recordsIn(dir)
        .filter((r) => r.app)
        .map((r) => r.level),
    ).toEqual(['AUDIT', 'WARN']);
  });

  test('fails at start with an error naming the bad option', async () => {
    const t = transport({ file: '/tmp/x/app.log', app: 'a', frequency: 60_000 });
    const [err] = (await once(t, 'error')) as [Error];
    expect(err.message).toMatch(/option "frequency".*under one hour.*auto_removal.*allowShortFrequency/);
  });
});

describe('no line lost at exit', () => {
  const script = (dir: string, ending: string): string => `
    const pino = require('pino');
    const t = pino.transport({ target: 'pino-cloudwatch-file', options: { file: ${JSON.stringify(path.join(dir, 'app.log'))}, app: 'a' } });
    const logger = pino(t);
    for (let i = 0; i < 20000; i++) logger.info({ seq: i });
    ${ending}
  `;

  test.each([
    ['returning from main', ''],
    ['process.exit()', 'process.exit(0)'],
    ['logger.flush() then end', 'logger.flush(() => t.end())'],
    ['an uncaught exception', 'setImmediate(() => { throw new Error("crash") })'],
  ])('keeps every line when the process ends by %s', async (_name, ending) => {
    const dir = tempDir();
    await runNode(script(dir, ending));
    const seqs = recordsIn(dir).map((r) => r.seq);
    expect(seqs).toEqual([...Array(20000).keys()]);
  });
});

describe('local time', () => {
  test('names files and writes @timestamp in local time with its offset when utc is false', async () => {
    const dir = tempDir();
    const result = await runNode(
      `
      const pino = require('pino');
      const t = pino.transport({ target: 'pino-cloudwatch-file', options: { file: ${JSON.stringify(path.join(dir, 'app.log'))}, app: 'a', utc: false } });
      const logger = pino({ timestamp: () => ',"time":${FIXED_TIME}' }, t);
      logger.info('local');
      console.log(new Date().getHours());
    `,
      { env: { TZ: 'Asia/Kolkata' } },
    );
    const [name] = filesIn(dir).keys();
    const localHour = String(Number(result.stdout.trim())).padStart(2, '0');
    expect(name.endsWith(`_${localHour}`)).toBe(true);
    const kolkata = new Date(FIXED_TIME + 5.5 * 3_600_000).toISOString().slice(0, 23);
    expect(recordsIn(dir)[0]['@timestamp']).toBe(`${kolkata}+05:30`);
  });
});

describe('in-process stream at exit', () => {
  test('a process that returns from main inside the quiet gap puts its staged file in place before it exits', async () => {
    const dir = tempDir();
    const result = await runNode(`
      const pino = require('pino');
      const build = require('pino-cloudwatch-file').default;
      (async () => {
        const stream = await build({ file: ${JSON.stringify(path.join(dir, 'app.log'))}, app: 'a', frequency: 2000, allowShortFrequency: true });
        const logger = pino(stream);
        logger.info('before the boundary');
        const boundary = Math.ceil((Date.now() + 1) / 2000) * 2000;
        await new Promise((resolve) => setTimeout(resolve, boundary + 20 - Date.now()));
        logger.info('just after it');
        console.log(require('fs').existsSync(${JSON.stringify(path.join(dir, '.staging'))}));
      })();
    `);
    expect(result.stdout.trim()).toBe('true'); // the new period's line was waiting in staging
    expect(fs.existsSync(path.join(dir, '.staging'))).toBe(false);
    expect(recordsIn(dir).map((r) => r.message)).toEqual(['before the boundary', 'just after it']);
  });
});

describe('ESM consumers', () => {
  test('import the package and build the stream in-process', async () => {
    const dir = tempDir();
    const result = await runNode(`
      import(${JSON.stringify('pino-cloudwatch-file')}).then(async (m) => {
        const stream = await m.default({ file: ${JSON.stringify(path.join(dir, 'app.log'))}, app: 'esm' });
        const logger = require('pino')(stream);
        logger.info({ from: 'esm' }, 'hello');
        stream.end();
        console.log(typeof m.validateOptions, typeof m.default);
      });
    `);
    expect(result.stdout.trim()).toBe('function function');
    expect(recordsIn(dir)).toMatchObject([{ app: 'esm', message: 'hello', from: 'esm' }]);
  });
});
