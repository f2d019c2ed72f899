import { EXPECTED_CORE_KEYS } from 'pino-cloudwatch-test-support';
import pino from 'pino';
import { Writable } from 'node:stream';
import { prng } from 'pino-cloudwatch-test-support';
import { splitObject } from './json-scan';
import { keepLoggedName } from './logged-name';
import { ScanBuffer } from './plain-scan';
import { CORE_KEYS, NOT_PINO, RecordShaper, type ShapeConfig, type ShapedRecord } from './shape';
import { FIXED_TIME, testShaper } from './test-shaper';

const shaper = testShaper;

/** Real pino output: the lines pino itself writes for the given logger options and calls. */
function pinoLines(options: pino.LoggerOptions, log: (logger: pino.Logger) => void): string[] {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = pino({ timestamp: () => `,"time":${FIXED_TIME}`, ...options }, sink);
  log(logger);
  return lines;
}

/**
 * The byte fast path on one line, as the transport runs it (the output region first, then the line
 * with other bytes around it): the shaped line with its newline, or undefined when it hands the line
 * to the general path.
 */
function shapeFast(s: RecordShaper, line: string, filler = 0x7b, shaped?: ShapedRecord): string | undefined {
  const bytes = Buffer.from(line);
  const work = Buffer.alloc(4 * bytes.length + 2048, filler);
  const from = 2 * bytes.length + 1024;
  bytes.copy(work, from);
  const outEnd = s.shapeBytes(work, from, from + bytes.length, 0, from - 1, false, shaped);
  if (outEnd === NOT_PINO) return undefined;
  expect(outEnd).toBeGreaterThan(0);
  return work.toString('utf8', 0, outEnd);
}

/** A line the way the transport shapes it: the fast path, or the general one when it hands the line over. */
function shapeAsTransport(s: RecordShaper, line: string, shaped?: ShapedRecord): string {
  return shapeFast(s, line, undefined, shaped)?.slice(0, -1) ?? s.shape(line, shaped);
}

const CORE: readonly string[] = CORE_KEYS;

/**
 * The top-level keys of a shaped (compact) line, decoded, read from its text: duplicates that
 * JSON.parse would fold into one are all listed.
 */
function topLevelKeys(line: string): string[] {
  const bytes = Buffer.from(line, 'utf8');
  const pairs: number[] = [];
  if (!splitObject(bytes, 0, bytes.length, pairs)) throw new Error(`not a compact object: ${line}`);
  const keys: string[] = [];
  for (let p = 0; p < pairs.length; p += 4) {
    keys.push(JSON.parse(bytes.toString('utf8', pairs[p] - 1, pairs[p + 1] + 1)) as string);
  }
  return keys;
}

/**
 * The fast path as the transport runs it on its own work buffer (the line checked by the
 * WebAssembly search), else the general path: the shaped line without its newline.
 */
function shapeScanned(line: string, config: Partial<ShapeConfig> = {}): { line: string; fast: boolean } {
  const sb = new ScanBuffer(64 * 1024 + 3 * line.length);
  const scanning = shaper({ ...config, plainLine: (bytes, from, to) => sb.plain(bytes, from, to) });
  const from = 32 * 1024;
  const end = from + sb.bytes.write(`${line}\n`, from, 'utf8');
  sb.begin(from, end);
  const outEnd = scanning.shapeBytes(sb.bytes, from, end - 1, 0, from);
  return outEnd === NOT_PINO
    ? { line: scanning.shape(line), fast: false }
    : { line: sb.bytes.toString('utf8', 0, outEnd - 1), fast: true };
}

/**
 * Both paths must agree: the fast path on UTF-8 bytes (shapeBytes, as the transport uses it) and
 * the general one (shape). `fast: false` for lines the fast path hands over.
 */
function shapeBoth(s: RecordShaper, line: string, { fast = true } = {}, record?: ShapedRecord): string {
  const general = s.shape(line);
  const shaped = shapeFast(s, line);
  if (fast) expect(shaped).toBe(`${general}\n`);
  else expect(shaped).toBeUndefined();
  return shapeAsTransport(s, line, record);
}

describe('RecordShaper', () => {
  test('writes the reference line of the contract byte for byte', () => {
    const [line] = pinoLines({ name: 'app' }, (l) => l.info({ user_id: 123, response_time_ms: 45 }, 'GET /'));
    expect(shapeBoth(shaper(), line)).toBe(
      '{"@timestamp":"2025-12-13T12:30:45.123Z","level":"INFO","logger":"app","app":"cw_demo","process":"cw_demo","message":"GET /","user_id":123,"response_time_ms":45}',
    );
  });

  test('takes the record time, not the clock, and remembers it for rotation', () => {
    const s = shaper({ now: () => FIXED_TIME + 3_600_000 });
    const [line] = pinoLines({}, (l) => l.info('x'));
    const record: ShapedRecord = { time: 0 };
    const out = JSON.parse(shapeBoth(s, line, {}, record));
    expect(out['@timestamp']).toBe('2025-12-13T12:30:45.123Z');
    expect(record.time).toBe(FIXED_TIME);
  });

  test("a time the agent would not accept (or no date at all) gets the clock's time and is kept as invalidTime, reported once", () => {
    const reports: string[] = [];
    const s = shaper({ onInvalidTime: (raw) => reports.push(raw) });
    const cases: Array<[string, string]> = [
      ['9e15', 'past the range of Date'],
      [`${FIXED_TIME * 1000}`, 'microseconds'],
      [`${FIXED_TIME + 3 * 3_600_000}`, 'three hours ahead'],
      [`${FIXED_TIME - 15 * 86_400_000}`, 'fifteen days old'],
      ['"not a date"', 'not a date'],
    ];
    for (const [raw] of cases) {
      const record: ShapedRecord = { time: 0 };
      const out = JSON.parse(shapeAsTransport(s, `{"level":30,"time":${raw},"msg":"m"}`, record)) as Record<
        string,
        unknown
      >;
      expect([raw, out['@timestamp'], out.invalidTime, record.time]).toEqual([
        raw,
        '2025-12-13T12:30:45.123Z',
        JSON.parse(raw),
        FIXED_TIME,
      ]);
    }
    // Inside the window the record keeps its own time, on the fast path too.
    const inside = `{"level":30,"time":${FIXED_TIME - 13 * 86_400_000},"msg":"m"}`;
    expect(shapeFast(s, inside)).toBeDefined();
    expect(JSON.parse(shapeAsTransport(s, inside))).not.toHaveProperty('invalidTime');
    expect(reports).toEqual(['9e15']);
  });

  test('falls back to the app option as logger when the record has no name', () => {
    const [line] = pinoLines({}, (l) => l.info('x'));
    expect(JSON.parse(shapeBoth(shaper(), line)).logger).toBe('cw_demo');
  });

  describe('the last name in the line names the logger', () => {
    test("a child's name binding names the logger; the parent's is not repeated", () => {
      const [line] = pinoLines({ name: 'app' }, (l) => l.child({ name: 'db' }).info({ q: 1 }, 'query'));
      const out = shapeBoth(shaper(), line, { fast: false });
      expect(JSON.parse(out).logger).toBe('db');
      expect(topLevelKeys(out)).toEqual([...CORE, 'q']);
    });

    test("with keepLoggedName (pino-cloudwatch-setup installs it), a logged object's name stays on the line as _name", () => {
      const log = (l: pino.Logger): void => {
        l.info({ name: 'alice', q: 1 }, 'signup');
        l.child({ name: 'db' }).info({ name: 'bob' }, 'query');
      };
      const [plain, child] = pinoLines({ name: 'app', formatters: { log: keepLoggedName } }, log);
      const first = shapeBoth(shaper(), plain);
      expect(JSON.parse(first)).toMatchObject({ logger: 'app', _name: 'alice', q: 1 });
      expect(topLevelKeys(first)).toEqual([...CORE, '_name', 'q']);
      const second = shapeBoth(shaper(), child, { fast: false });
      expect(JSON.parse(second)).toMatchObject({ logger: 'db', _name: 'bob' });
    });

    test("without it, a logged object's name cannot be told from a child's binding in the line: it names the logger", () => {
      const [line] = pinoLines({ name: 'app' }, (l) => l.info({ name: 'alice', q: 1 }, 'signup'));
      expect(JSON.parse(shapeBoth(shaper(), line, { fast: false }))).toMatchObject({ logger: 'alice', q: 1 });
    });

    test('without any name, the logger is the app option', () => {
      const [line] = pinoLines({}, (l) => l.info({ q: 1 }, 'x'));
      expect(JSON.parse(shapeBoth(shaper(), line)).logger).toBe('cw_demo');
    });
  });

  test('keeps bindings then the logged object in record order, after the core keys', () => {
    const [line] = pinoLines({ name: 'app' }, (l) =>
      l.child({ reqId: 'req-1' }).child({ tenant: 't1' }).info({ b: 2, a: 1 }, 'm'),
    );
    const out = JSON.parse(shapeBoth(shaper(), line));
    expect(Object.keys(out)).toEqual([...EXPECTED_CORE_KEYS, 'reqId', 'tenant', 'b', 'a']);
  });

  test('writes an empty message when the record has none', () => {
    const [line] = pinoLines({}, (l) => l.info({ a: 1 }));
    expect(JSON.parse(shapeBoth(shaper(), line)).message).toBe('');
  });

  test.each([
    ['trace', 'TRACE'],
    ['debug', 'DEBUG'],
    ['info', 'INFO'],
    ['warn', 'WARN'],
    ['error', 'ERROR'],
    ['fatal', 'FATAL'],
  ] as const)('labels pino level %s as %s', (method, label) => {
    const [line] = pinoLines({ level: 'trace' }, (l) => l[method]('x'));
    expect(JSON.parse(shapeBoth(shaper(), line)).level).toBe(label);
  });

  test('labels custom levels from the logger config', () => {
    const options = { customLevels: { audit: 35 }, level: 'info' } as const;
    const [line] = pinoLines(options, (l) => (l as unknown as pino.Logger<'audit'>).audit('who did it'));
    const s = shaper();
    expect(JSON.parse(s.shape(line)).level).toBe('35'); // not configured yet: the number, not dropped
    s.configure({ levels: { ...pino.levels.values, audit: 35 } });
    expect(JSON.parse(shapeBoth(s, line)).level).toBe('AUDIT');
  });

  test('maps labels with the python preset', () => {
    const s = shaper({ levelLabels: { warn: 'WARNING', fatal: 'CRITICAL' } });
    const lines = pinoLines({}, (l) => {
      l.warn('w');
      l.fatal('f');
      l.error('e');
    });
    expect(lines.map((line) => JSON.parse(s.shape(line)).level)).toEqual(['WARNING', 'CRITICAL', 'ERROR']);
  });

  test('writes a level already turned into text by formatters.level', () => {
    const [line] = pinoLines({ formatters: { level: (label) => ({ level: label }) } }, (l) => l.warn('x'));
    expect(JSON.parse(shaper().shape(line)).level).toBe('WARN');
  });

  test("reads the message from the logger's messageKey", () => {
    const s = shaper();
    s.configure({ messageKey: 'text' });
    const [line] = pinoLines({ messageKey: 'text' }, (l) => l.info({ msg: 'a field' }, 'the message'));
    const out = JSON.parse(shapeBoth(s, line));
    expect(out.message).toBe('the message');
    expect(out.msg).toBe('a field');
  });

  test('reads an ISO time written by stdTimeFunctions.isoTime', () => {
    const [line] = pinoLines({ timestamp: pino.stdTimeFunctions.isoTime }, (l) => l.info('x'));
    const out = JSON.parse(shaper({ now: Date.now }).shape(line));
    expect(Date.parse(out['@timestamp'])).toBeGreaterThan(0);
    expect(out).not.toHaveProperty('invalidTime');
  });

  test('drops pid and hostname unless switched on', () => {
    const options = { base: { pid: 42, hostname: 'box' } };
    const [line] = pinoLines(options, (l) => l.info({ a: 1 }, 'x'));
    expect(JSON.parse(shapeBoth(shaper(), line))).not.toHaveProperty('pid');
    const both = JSON.parse(shapeBoth(shaper({ pid: true, hostname: true }), line));
    expect([both.pid, both.hostname, both.a]).toEqual([42, 'box', 1]);
  });

  test('turns the error key into a structured error with type, message, stack and own props', () => {
    const err = Object.assign(new Error('boom'), { code: 'E_BOOM' });
    const [line] = pinoLines({}, (l) => l.error({ err }, 'failed'));
    const out = JSON.parse(shapeBoth(shaper(), line));
    expect(out.message).toBe('failed');
    expect(out.error).toMatchObject({ type: 'Error', message: 'boom', code: 'E_BOOM' });
    expect(typeof out.error.stack).toBe('string');
    expect(out).not.toHaveProperty('err');
  });

  test('keeps causes nested with errWithCause', () => {
    const cause = new Error('socket hang up');
    const err = new Error('request failed', { cause });
    const [line] = pinoLines({ serializers: { err: pino.stdSerializers.errWithCause } }, (l) =>
      l.error({ err }, 'x'),
    );
    const out = JSON.parse(shapeBoth(shaper(), line));
    expect(out.error.cause).toMatchObject({ type: 'Error', message: 'socket hang up' });
  });

  test('takes the message from an error logged alone', () => {
    const [line] = pinoLines({}, (l) => l.error(new Error('alone')));
    const out = JSON.parse(shapeBoth(shaper(), line));
    expect(out.message).toBe('alone');
    expect(out.error.message).toBe('alone');
  });

  test('uses a custom errorKey', () => {
    const s = shaper();
    s.configure({ errorKey: 'problem' });
    const [line] = pinoLines({ errorKey: 'problem' }, (l) => l.error({ problem: new Error('p') }, 'x'));
    expect(JSON.parse(shapeBoth(s, line)).error.message).toBe('p');
  });

  test('renames fields that collide with core keys, keeps their values, reports each name once', () => {
    const renamed: string[] = [];
    const s = shaper({ onRename: (from, to) => renamed.push(`${from}->${to}`) });
    const lines = pinoLines({ name: 'app' }, (l) => {
      l.info({ message: 'm', app: 'a', process: 'p', logger: 'l', '@timestamp': 't', level: 'lv' }, 'real');
      l.info({ message: 'again' }, 'second');
    });
    const out = JSON.parse(shapeBoth(s, lines[0], { fast: false }));
    expect(out).toMatchObject({
      message: 'real',
      app: 'cw_demo',
      process: 'cw_demo',
      logger: 'app',
      level: 'INFO',
      _message: 'm',
      _app: 'a',
      _process: 'p',
      _logger: 'l',
      '_@timestamp': 't',
      _level: 'lv',
    });
    expect(out['@timestamp']).toBe('2025-12-13T12:30:45.123Z');
    s.shape(lines[1]);
    expect(renamed.sort()).toEqual(
      [
        '@timestamp->_@timestamp',
        'app->_app',
        'level->_level',
        'logger->_logger',
        'message->_message',
        'process->_process',
      ].sort(),
    );
  });

  test('renames again when the renamed name is taken too', () => {
    const [line] = pinoLines({}, (l) => l.info({ _app: 'first', app: 'second' }, 'x'));
    const out = JSON.parse(shaper().shape(line));
    expect([out._app, out.__app]).toEqual(['first', 'second']);
  });

  test('keeps a user field named error next to a structured error', () => {
    const [line] = pinoLines({}, (l) => l.error({ error: 'user value', err: new Error('e') }, 'x'));
    const out = JSON.parse(shaper().shape(line));
    expect(out.error.message).toBe('e');
    expect(out._error).toBe('user value');
  });

  test('keeps a user field named time as an extra', () => {
    const [line] = pinoLines({}, (l) => l.info({ time: 'lunch' }, 'x'));
    const out = JSON.parse(shaper().shape(line));
    expect(out.time).toBe('lunch');
    expect(out['@timestamp']).toBe('2025-12-13T12:30:45.123Z');
  });

  test('writes non-ASCII text as UTF-8, not as \\u escapes', () => {
    const [line] = pinoLines({}, (l) => l.info({ city: 'Zürich', emoji: '🚀' }, 'grüße 日本'));
    const out = shapeBoth(shaper(), line);
    expect(out).toContain('"message":"grüße 日本"');
    expect(out).toContain('"city":"Zürich","emoji":"🚀"');
  });

  test('keeps escaped quotes, backslashes and newlines so one record stays one line', () => {
    const [line] = pinoLines({}, (l) => l.info({ path: 'C:\\tmp\\"x"', text: 'a\nb' }, 'say "hi"\nthere\\'));
    const out = shapeBoth(shaper(), line);
    expect(out).not.toContain('\n');
    expect(JSON.parse(out)).toMatchObject({
      message: 'say "hi"\nthere\\',
      path: 'C:\\tmp\\"x"',
      text: 'a\nb',
    });
  });

  test('is not fooled by a nested field named like the message key', () => {
    const [line] = pinoLines({}, (l) => l.info({ inner: { a: 1, msg: 'nested' } }));
    const out = JSON.parse(shapeBoth(shaper(), line));
    expect(out.message).toBe('');
    expect(out.inner).toEqual({ a: 1, msg: 'nested' });
  });

  test('keeps redact, serializers, mixin, base and formatters.log results', () => {
    const [line] = pinoLines(
      {
        redact: ['password'],
        serializers: { user: (u: { id: number }) => ({ id: u.id }) },
        mixin: () => ({ traceId: 'abc' }),
        base: { region: 'eu' },
        formatters: { log: (o) => ({ ...o, shaped: true }) },
      },
      (l) => l.info({ password: 'secret', user: { id: 7, name: 'n' } }, 'x'),
    );
    const out = JSON.parse(shaper().shape(line));
    expect(out).toMatchObject({
      password: '[Redacted]',
      user: { id: 7 },
      traceId: 'abc',
      region: 'eu',
      shaped: true,
    });
    expect(out.user).not.toHaveProperty('name');
  });

  test('writes a line that is not JSON as the message of a valid record', () => {
    const out = JSON.parse(shaper().shape('plain text from somewhere {'));
    expect(out).toMatchObject({
      '@timestamp': '2025-12-13T12:30:45.123Z',
      level: 'INFO',
      logger: 'cw_demo',
      message: 'plain text from somewhere {',
      unparsed: true,
    });
  });

  test.each(['[1,2,3]', '"just a string"', '42', 'null', '{"a":tru}', '{"level":30,"time":1,"a":}'])(
    'keeps %s as a valid record',
    (text) => {
      const out = JSON.parse(shapeAsTransport(shaper(), text));
      expect(out.message).toBe(text);
      expect(out.unparsed).toBe(true);
    },
  );

  test('accepts pretty-printed JSON objects', () => {
    const out = JSON.parse(
      shaper().shape('{ "level": 40, "time": 1765629045123, "msg": "spaced", "k": [1, 2] }'),
    );
    expect(out).toMatchObject({ level: 'WARN', message: 'spaced', k: [1, 2] });
  });

  test('shrinks a record over the size limit to one valid line under it', () => {
    const s = shaper({ maxEventBytes: 4096 });
    const [line] = pinoLines({}, (l) => l.info({ big: 'x'.repeat(10_000), small: 'kept' }, 'big one'));
    const out = shapeAsTransport(s, line);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(4096);
    const parsed = JSON.parse(out);
    expect(parsed).toMatchObject({ truncated: true, small: 'kept', message: 'big one' });
    expect(parsed.big).toMatch(/…\[truncated \d+ chars\]$/);
  });

  test('counts bytes, not characters, against the limit', () => {
    const s = shaper({ maxEventBytes: 2048 });
    const [line] = pinoLines({}, (l) => l.info({ text: '日'.repeat(1000) }, 'multibyte'));
    const out = s.shape(line);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(2048);
    expect(JSON.parse(out).truncated).toBe(true);
  });

  test.each([
    ['a compact line', `{"level":30,"time":${FIXED_TIME},"app":"collides","msg":"x"}`, '"_app":"collides"'],
    ['a line over the size limit', `{"level":30,"big":"${'x'.repeat(10_000)}","app":1}`, '"truncated":true'],
    ['a compact line that is not JSON', '{"level":30,"a":{oops}}', '"unparsed":true'],
    ['a pretty-printed line', '{ "level": 40, "msg": "spaced" }', '"message":"spaced"'],
  ])('parses %s once on the general path', (_what, line, expected) => {
    // Prepare
    const s = shaper({ maxEventBytes: 4096 });
    const parse = jest.spyOn(JSON, 'parse');
    try {
      // Act
      const out = s.shape(line);
      // Assess
      expect(parse).toHaveBeenCalledTimes(1);
      expect(out).toContain(expected);
    } finally {
      parse.mockRestore();
    }
  });

  test.each<[string, { messageKey?: string; errorKey?: string }]>([
    ['an errorKey', { errorKey: 'name' }],
    ['an errorKey', { errorKey: 'hostname' }],
    ['a messageKey', { messageKey: 'pid' }],
    ['a messageKey', { messageKey: 'name' }],
  ])("hands every line to the general path when %s names one of pino's own fields: %j", (_what, keys) => {
    // pino's fields no longer mean what the fast path reads them as; the general path's rules decide.
    const s = shaper({ pid: true, hostname: true });
    s.configure(keys);
    const lines = pinoLines({ name: 'app', base: { pid: 1, hostname: 'h' }, ...keys }, (l) => {
      l.info({ a: 1 }, 'x');
      l.error({ [keys.errorKey ?? 'err']: new Error('boom') }, 'failed');
      l.child({ name: 'db' }).info('child');
    });
    for (const line of lines) expect(shapeFast(s, line)).toBeUndefined();
  });

  test('copies the values it does not cut as they were written when it shrinks a line', () => {
    // Prepare: values a JSON round trip would rewrite (pino writes BigInt-free JSON, but other
    // producers and raw serializers do not)
    const kept = '"id":12345678901234567891,"ratio":1.50,"huge":1e400,"zero":-0,"esc":"caf\\u00e9 \\/"';
    const line = `{"level":30,"time":${FIXED_TIME},${kept},"big":"${'x'.repeat(10_000)}","msg":"big one"}`;
    // Act
    const out = shaper({ maxEventBytes: 4096 }).shape(line);
    // Assess
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(4096);
    expect(out).toContain(`"message":"big one",${kept},"big":"xxx`);
    expect(JSON.parse(out).truncated).toBe(true);
  });

  test('keeps a field named truncated renamed when it shrinks the line, and reports the name once', () => {
    // Prepare
    const renamed: string[] = [];
    const s = shaper({ maxEventBytes: 4096, onRename: (from, to) => renamed.push(`${from}->${to}`) });
    const lines = pinoLines({}, (l) => {
      l.info({ truncated: 'mine', big: 'x'.repeat(10_000) }, 'one');
      l.info({ truncated: false, _truncated: 'taken', big: 'y'.repeat(10_000) }, 'two');
      l.info({ truncated: 'fits' }, 'three');
    });
    // Act
    const [one, two, three] = lines.map((line) => JSON.parse(shapeAsTransport(s, line)));
    // Assess: the user's value kept under another name, the marker last, one report
    expect(one).toMatchObject({ _truncated: 'mine', truncated: true });
    expect(Object.keys(one).slice(-1)).toEqual(['truncated']);
    expect(two).toMatchObject({ _truncated: 'taken', __truncated: false, truncated: true });
    expect(three.truncated).toBe('fits'); // not shrunk: nothing collides
    expect(renamed).toEqual(['truncated->_truncated']);
  });
});

describe('the byte fast path against the general path, on random records pino wrote', () => {
  const KEYS = [
    'user_id',
    'route',
    'a',
    'é',
    '🚀',
    'msg',
    'err',
    'error',
    'level',
    'time',
    'name',
    'pid',
    'hostname',
    'message',
    'app',
    'x"y',
    'k\\',
    'process',
    'logger',
    '@timestamp',
    '',
  ];
  const TEXTS = [
    '',
    'plain',
    'with "quotes"',
    'back\\slash',
    'line\nbreak',
    'tab\there',
    'héllo 🚀',
    '}{][,:',
    '\\"',
    'x'.repeat(40),
    '\u0001\u001f',
    '"msg":"',
  ];

  function value(next: () => number, depth: number): unknown {
    const kind = Math.floor(next() * (depth > 2 ? 5 : 7));
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    if (kind === 0) return pick(TEXTS);
    if (kind === 1) return Math.floor(next() * 1e6) / (next() < 0.5 ? 1 : 7);
    if (kind === 2) return pick([true, false, null, -0, 1e21, -1.5e-7]);
    if (kind === 3) return pick(TEXTS) + pick(TEXTS);
    if (kind === 4) return Math.floor(next() * 100);
    if (kind === 5) return Array.from({ length: Math.floor(next() * 3) }, () => value(next, depth + 1));
    return record(next, depth + 1);
  }

  function record(next: () => number, depth = 0): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const n = Math.floor(next() * 5);
    for (let k = 0; k < n; k++) out[KEYS[Math.floor(next() * KEYS.length)]] = value(next, depth);
    return out;
  }

  it('gives the same line for 3,000 random records, or hands them to the general path', () => {
    const seed = Number(process.env.SHAPE_SEED ?? 20261125);
    const next = prng(seed);
    let fast = 0;
    for (const options of [
      {},
      { name: 'svc' },
      { messageKey: 'mensaje', errorKey: 'fallo' },
      { base: null },
    ]) {
      const s = shaper({ pid: next() < 0.5, hostname: next() < 0.5 });
      s.configure({
        messageKey: (options as { messageKey?: string }).messageKey,
        errorKey: (options as { errorKey?: string }).errorKey,
      });
      const lines = pinoLines(options, (logger) => {
        for (let k = 0; k < 750; k++) {
          const child = next() < 0.2 ? logger.child(record(next)) : logger;
          const err =
            next() < 0.2 ? Object.assign(new Error(String(value(next, 3))), record(next, 2)) : undefined;
          const obj = { ...record(next), ...(err === undefined ? {} : { err, fallo: err }) };
          if (next() < 0.3) child.warn(obj);
          else child.info(obj, String(value(next, 3)));
        }
      });
      for (const line of lines) {
        const general = s.shape(line);
        const shaped = shapeFast(s, line, 0x22);
        if (shaped === undefined) continue;
        fast++;
        if (shaped !== `${general}\n`) {
          throw new Error(
            `seed ${seed}: the paths differ on\n${line}\nfast:    ${shaped}general: ${general}`,
          );
        }
        expect(() => JSON.parse(shaped)).not.toThrow();
      }
    }
    // Most random records have no colliding key: the fast path must have taken a good share.
    expect(fast).toBeGreaterThan(600);
  });
});

describe("pino's own output takes the byte fast path", () => {
  // The fast path reads pino's field order; if a pino release changes it, lines still come out right
  // (the general path) but slower. This catches that: every line pino writes with its defaults —
  // its own timestamp, pid and hostname, child bindings, errors, custom levels — must be taken.
  test.each([
    ['defaults', {}],
    ['a name and custom levels', { name: 'app', customLevels: { notice: 35 } }],
    ['no base', { base: undefined }],
  ] as const)('with %s', (_label, options) => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        cb();
      },
    });
    const logger = pino(options as pino.LoggerOptions<'notice'>, sink);
    logger.info('message only');
    logger.info({ user_id: 123, route: '/a', nested: { a: [1, 'two', null] } }, 'GET /a');
    logger.warn({ err: new Error('boom') }, 'failed');
    logger.error(new TypeError('thrown'));
    logger.child({ reqId: 'req-1' }).info({ ms: 4.5 }, 'done');
    logger.info({ text: 'héllo 🚀 "quoted" \\ back' });
    if ('customLevels' in options) logger.notice('custom');
    const s = shaper({ now: Date.now });
    s.configure({ levels: { ...pino.levels.values, notice: 35 } });
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) expect([line, shapeFast(s, line) !== undefined]).toEqual([line, true]);
    if (!('customLevels' in options)) {
      for (const line of lines) {
        expect([line, shapeScanned(line, { now: Date.now }).fast]).toEqual([line, true]);
      }
    }
  });
});

describe("lines that did not come from pino's serializer", () => {
  // The README allows writing to the stream without pino, and pino's hooks.streamWrite can rewrite
  // a line: the fast path must not copy what is not JSON, nor let an escaped key past the rules.
  const T = FIXED_TIME;
  const cases: [string, string, Record<string, unknown>][] = [
    ['a member without a value', `{"level":30,"time":${T},"a":{"b":},"msg":"x"}`, {}],
    ['an escape JSON does not have', `{"level":30,"time":${T},"a":"\\x","msg":"x"}`, {}],
    ['a cut \\u escape', `{"level":30,"time":${T},"a":"\\u00","msg":"x"}`, {}],
    ['a raw tab in a string', `{"level":30,"time":${T},"a":"tab\there","msg":"x"}`, {}],
    ['a raw CR in the message', `{"level":30,"time":${T},"msg":"a\rb"}`, {}],
    ['a raw control character in a key', `{"level":30,"time":${T},"a\u0007b":1,"msg":"x"}`, {}],
    ['a raw bell in the name', `{"level":30,"time":${T},"name":"n\u0007","msg":"x"}`, {}],
    ['a raw ESC in the hostname', `{"level":30,"time":${T},"pid":1,"hostname":"h\u001b[2J","msg":"x"}`, {}],
    ['a malformed pid', `{"level":30,"time":${T},"pid":{"x":},"msg":"x"}`, {}],
    ['a message whose closing quote is escaped', `{"level":30,"time":${T},"msg":"abc\\"}`, {}],
    ['white space between tokens', `{"level":30,"time":${T},"a":1 ,"msg":"x"}`, {}],
    ['a literal cut short', `{"level":30,"time":${T},"a":tru,"msg":"x"}`, {}],
    ['a trailing comma in an array', `{"level":30,"time":${T},"a":[1,],"msg":"x"}`, {}],
    ['one closing brace too many', `{"level":30,"time":${T},"a":{"b":1}},"msg":"x"}`, {}],
    ['a nested key without its colon', `{"level":30,"time":${T},"a":{"b"1},"msg":"x"}`, {}],
    [
      '`level` spelled with an escape',
      `{"level":30,"time":${T},"lev\\u0065l":"FORGED","msg":"x"}`,
      { level: 'INFO', _level: 'FORGED' },
    ],
    [
      '`@timestamp` spelled with an escape',
      `{"level":30,"time":${T},"\\u0040timestamp":"1970-01-01T00:00:00.000Z","msg":"x"}`,
      { '@timestamp': '2025-12-13T12:30:45.123Z' },
    ],
    [
      '`message` spelled with an escape',
      `{"level":30,"time":${T},"m\\u0065ssage":"forged","msg":"x"}`,
      { message: 'x', _message: 'forged' },
    ],
    [
      '`app`, `logger` and `process` spelled with escapes',
      `{"level":30,"time":${T},"\\u0061pp":"a","l\\u006fgger":"l","pr\\u006fcess":"p","msg":"x"}`,
      { app: 'cw_demo', logger: 'cw_demo', process: 'cw_demo', _app: 'a', _logger: 'l', _process: 'p' },
    ],
    [
      '`name` spelled with an escape',
      `{"level":30,"time":${T},"n\\u0061me":"forged","msg":"x"}`,
      { logger: 'forged' },
    ],
    [
      '`msg` spelled with an escape, before the message',
      `{"level":30,"time":${T},"m\\u0073g":"first","msg":"x"}`,
      { message: 'x', _msg: 'first' },
    ],
    [
      'bidi, C1 and line separators (valid JSON, kept)',
      `{"level":30,"time":${T},"a":"\u202e\u2066\u0085\u009b\u2028","msg":"x"}`,
      { a: '\u202e\u2066\u0085\u009b\u2028' },
    ],
    [
      'escaped lone surrogates (valid JSON, kept)',
      `{"level":30,"time":${T},"a":"\\ud800\\udfff","msg":"x"}`,
      { a: '\ud800\udfff' },
    ],
    [
      "nesting past the fast path's depth",
      `{"level":30,"time":${T},"a":${'['.repeat(100)}${']'.repeat(100)},"msg":"x"}`,
      {},
    ],
  ];

  test.each(cases)('%s: a JSON line with each core key once', (_what, line, expected) => {
    for (const out of [shapeAsTransport(shaper(), line), shapeScanned(line).line]) {
      const parsed = JSON.parse(out) as Record<string, unknown>;
      const keys = topLevelKeys(out);
      for (const key of CORE) expect([key, keys.filter((k) => k === key).length]).toEqual([key, 1]);
      expect(keys.slice(0, 6)).toEqual(CORE);
      expect(parsed).toMatchObject(expected);
    }
  });

  test('what only the fast path would have copied goes to the general path', () => {
    for (const [, line] of cases) {
      let json = true;
      try {
        JSON.parse(line);
      } catch {
        json = false;
      }
      if (!json) {
        expect([line, shapeFast(shaper(), line)]).toEqual([line, undefined]);
        expect([line, shapeScanned(line).fast]).toEqual([line, false]);
      }
    }
  });
});
