import { EXPECTED_DEFAULT_LABELS } from 'pino-cloudwatch-test-support';
import { format as formatIn, pinoRecord, SEED_TIME } from './test-helpers';
import type { PrettyExtrasOptions } from './options';

/** Times print in Europe/Paris (UTC+1 in December) unless a test says otherwise. */
const format = (record: Record<string, unknown>, options: PrettyExtrasOptions = {}): string =>
  formatIn(record, { timeZone: 'Europe/Paris', ...options });

describe('formatRecord', () => {
  it('prints the seed example as one local-time line with the extras in record order', () => {
    // Prepare
    const record = pinoRecord({ user_id: 123, response_time_ms: 45 }, 'GET /');

    // Act
    const line = format(record, { timeZone: 'UTC' });

    // Assess
    expect(line).toBe('2025-12-13 12:30:45 [INFO] app - GET / | user_id=123 response_time_ms=45\n');
  });

  it('prints the time in the chosen zone', () => {
    expect(format(pinoRecord({}, 'GET /'))).toBe('2025-12-13 13:30:45 [INFO] app - GET /\n');
  });

  it('prints UTC when asked', () => {
    expect(format(pinoRecord({}, 'x'), { utc: true, timeZone: 'local' })).toBe(
      '2025-12-13 12:30:45 [INFO] app - x\n',
    );
  });

  it('prints a custom time pattern', () => {
    expect(format(pinoRecord({}, 'x'), { timeFormat: 'DD/MM HH:mm:ss.SSS Z' })).toBe(
      '13/12 13:30:45.123 +01:00 [INFO] app - x\n',
    );
  });

  it('reads a time that pino wrote as ISO text', () => {
    expect(format(pinoRecord({ time: '2025-12-13T12:30:45.123Z' }, 'x'))).toBe(
      '2025-12-13 13:30:45 [INFO] app - x\n',
    );
  });

  it('prints nothing after the message when there are no extras', () => {
    expect(format(pinoRecord({}, 'ready'))).toBe('2025-12-13 13:30:45 [INFO] app - ready\n');
  });

  it('hides pino internals and prints the other keys', () => {
    const line = format({ level: 30, time: SEED_TIME, pid: 1, hostname: 'h', name: 'app', msg: 'm', a: 1 });
    expect(line).toBe('2025-12-13 13:30:45 [INFO] app - m | a=1\n');
  });

  it('prints every kind of value: numbers, booleans and null bare, strings quoted only when needed', () => {
    const record = pinoRecord(
      {
        int: 42,
        neg: -1.5,
        exp: 1e21,
        yes: true,
        no: false,
        nothing: null,
        word: 'plain',
        path: '/a/b?c',
        unicode: 'café',
        spaced: 'two words',
        empty: '',
        equals: 'a=b',
        quote: 'say "hi"',
        newline: 'a\nb',
        escape: '\u001b[31mred',
        backslash: 'C:\\dir',
        numeric: '123',
      },
      'kinds',
    );
    expect(format(record)).toBe(
      '2025-12-13 13:30:45 [INFO] app - kinds | int=42 neg=-1.5 exp=1e+21 yes=true no=false nothing=null ' +
        'word=plain path=/a/b?c unicode=café spaced="two words" empty="" equals="a=b" quote="say \\"hi\\"" ' +
        'newline="a\\nb" escape="\\u001b[31mred" backslash=C:\\dir numeric=123\n',
    );
  });

  it('flattens nested objects to dotted keys', () => {
    const record = pinoRecord(
      { user: { id: 7, address: { city: 'Lyon', zip: '69001' } }, ok: true },
      'nested',
    );
    expect(format(record)).toBe(
      '2025-12-13 13:30:45 [INFO] app - nested | user.id=7 user.address.city=Lyon user.address.zip=69001 ok=true\n',
    );
  });

  it('prints what lies past the depth cap as compact JSON', () => {
    const record = pinoRecord({ a: { b: { c: { d: 1 } } } }, 'deep');
    expect(format(record, { maxDepth: 2 })).toBe(
      '2025-12-13 13:30:45 [INFO] app - deep | a.b={"c":{"d":1}}\n',
    );
  });

  it('shows arrays and empty objects compactly', () => {
    const record = pinoRecord(
      { ids: [1, 2, 3], tags: ['a', 'b c'], items: [{ id: 1 }], none: [], meta: {} },
      'arr',
    );
    expect(format(record)).toBe(
      '2025-12-13 13:30:45 [INFO] app - arr | ids=[1,2,3] tags=["a","b c"] items=[{"id":1}] none=[] meta={}\n',
    );
  });

  it('prints one readable line for a circular value', () => {
    const loop: Record<string, unknown> = { id: 1 };
    loop.self = loop;
    loop.list = [loop];
    expect(format(pinoRecord({ loop }, 'circular'))).toBe(
      '2025-12-13 13:30:45 [INFO] app - circular | loop.id=1 loop.self=[Circular] loop.list=["[Circular]"]\n',
    );
  });

  it('cuts long values with a visible marker', () => {
    const record = pinoRecord({ body: 'x'.repeat(50), list: Array.from({ length: 40 }, (_, i) => i) }, 'big');
    expect(format(record, { maxValueLength: 10 })).toBe(
      '2025-12-13 13:30:45 [INFO] app - big | body="xxxxxxxxxx…[+40 chars]" list=[0,1,2,3,4…[truncated]\n',
    );
  });

  it('keeps a huge record on one line', () => {
    const record = pinoRecord({ blob: 'y'.repeat(1_000_000) }, 'm'.repeat(50_000));
    const output = format(record);
    expect(output.split('\n')).toHaveLength(2);
    expect(output.length).toBeLessThan(12_000);
    expect(output).toContain('…[+40000 chars]');
    expect(output).toContain('…[+999000 chars]');
  });

  it('stops the extras at 100,000 characters, so a long key repeated in dotted paths cannot blow up a line', () => {
    // Prepare: a 120 KB line whose 100 KB key would be printed once per child (200 MB)
    const children = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, 1]));
    const record = pinoRecord({ [`${'K'.repeat(100_000)}`]: children, after: 1 }, 'wide');

    // Act
    const line = format(record);

    // Assess
    expect(line.length).toBeLessThan(210_000);
    expect(line.endsWith(' …[extras cut at 100000 chars]\n')).toBe(true);
    expect(line.split('\n')).toHaveLength(2);
  });

  it('cuts at the cap between extras, never inside one', () => {
    const record = pinoRecord({ a: 'x'.repeat(150_000), b: 2 }, 'm');
    expect(format(record, { maxValueLength: 200_000 })).toBe(
      `2025-12-13 13:30:45 [INFO] app - m | a=${'x'.repeat(150_000)} …[extras cut at 100000 chars]\n`,
    );
    expect(format(pinoRecord({ a: 'x'.repeat(99_990), b: 2 }, 'm'), { maxValueLength: 200_000 })).toBe(
      `2025-12-13 13:30:45 [INFO] app - m | a=${'x'.repeat(99_990)} b=2\n`,
    );
  });

  it('keeps a message with newlines, tabs or terminal escapes on one line', () => {
    expect(format(pinoRecord({}, 'line 1\nline 2\u001b[2J\ttab'))).toBe(
      '2025-12-13 13:30:45 [INFO] app - line 1\\nline 2\\u001b[2J\\ttab\n',
    );
  });

  describe('the boundary between the message and the extras', () => {
    it('escapes | in the message, so a message cannot print extras of its own', () => {
      expect(format(pinoRecord({}, 'GET / | user=admin role=root'))).toBe(
        '2025-12-13 13:30:45 [INFO] app - GET / \\| user=admin role=root\n',
      );
      expect(format(pinoRecord({ user: 'guest' }, 'x | user=admin'))).toBe(
        '2025-12-13 13:30:45 [INFO] app - x \\| user=admin | user=guest\n',
      );
    });

    it('escapes | in the logger name, a label and an object message too', () => {
      expect(format({ level: 'a|b', time: SEED_TIME, name: 'x | y=1', msg: { m: ' | z=2' } })).toBe(
        '2025-12-13 13:30:45 [A\\|B] x \\| y=1 - {"m":" \\| z=2"}\n',
      );
    });

    it('leaves | in extras alone: it is past the boundary, inside a quoted value', () => {
      expect(format(pinoRecord({ q: 'a | b', 'k|': 1 }, 'm'))).toBe(
        '2025-12-13 13:30:45 [INFO] app - m | q="a | b" k|=1\n',
      );
    });

    it('keeps the first " | " of the line the real boundary, whatever the message ends or starts with', () => {
      for (const message of ['|', ' |', '| ', 'a |', '\\', 'a\\', ' | ', '||', 'x \\| y']) {
        const line = format(pinoRecord({ k: 1 }, message));
        expect([message, line.indexOf(' | ')]).toEqual([message, line.lastIndexOf(' | k=1')]);
      }
    });
  });

  describe('hostile text: C1 controls, bidi controls and line separators print escaped', () => {
    // U+009B is an 8-bit CSI (`\x9b2J` clears an xterm), U+202E reverses what follows,
    // U+2066 opens an isolate, U+2028 is a line separator, U+200F a right-to-left mark.
    const HOSTILE = 'a\u009b2J\u202eb\u2066c\u2028d\u0085e\u200ff';
    const ESCAPED = 'a\\u009b2J\\u202eb\\u2066c\\u2028d\\u0085e\\u200ff';

    it('in the message and the logger name', () => {
      expect(format({ level: 30, time: SEED_TIME, name: HOSTILE, msg: HOSTILE })).toBe(
        `2025-12-13 13:30:45 [INFO] ${ESCAPED} - ${ESCAPED}\n`,
      );
    });

    it('in values and keys, which are quoted', () => {
      expect(format(pinoRecord({ v: HOSTILE, [HOSTILE]: 1, nested: { [HOSTILE]: 'x' } }, 'm'))).toBe(
        `2025-12-13 13:30:45 [INFO] app - m | v="${ESCAPED}" "${ESCAPED}"=1 "nested.${ESCAPED}"=x\n`,
      );
    });

    it('in compact JSON: arrays, objects past the depth cap, an object message', () => {
      const line = format(
        pinoRecord({ list: [HOSTILE, { [HOSTILE]: HOSTILE }] }, { [HOSTILE]: HOSTILE } as never),
      );
      expect(line).toBe(
        `2025-12-13 13:30:45 [INFO] app - {"${ESCAPED}":"${ESCAPED}"} | list=["${ESCAPED}",{"${ESCAPED}":"${ESCAPED}"}]\n`,
      );
    });

    it('in error fields and stack lines', () => {
      const err = { type: HOSTILE, message: HOSTILE, stack: `Error: ${HOSTILE}\n    at x (${HOSTILE})` };
      expect(format(pinoRecord({ level: 50, err }, 'failed'))).toBe(
        `2025-12-13 13:30:45 [ERROR] app - failed | err.type="${ESCAPED}" err.message="${ESCAPED}"\n` +
          `    Error: ${ESCAPED}\n` +
          `        at x (${ESCAPED})\n`,
      );
    });

    it('in a serialized error without a stack', () => {
      expect(format(pinoRecord({ level: 50, err: { type: 'E', message: HOSTILE } }, 'failed'))).toContain(
        `\n    E: ${ESCAPED}\n`,
      );
    });
  });

  it('leaves out the name and its dash when the record has no name', () => {
    expect(format({ level: 40, time: SEED_TIME, msg: 'careful' })).toBe(
      '2025-12-13 13:30:45 [WARN] careful\n',
    );
  });

  it('uses the name option when the record has no name', () => {
    expect(format({ level: 40, time: SEED_TIME, msg: 'careful' }, { name: 'svc' })).toBe(
      '2025-12-13 13:30:45 [WARN] svc - careful\n',
    );
  });

  it('prints the record without a message', () => {
    expect(format(pinoRecord({ a: 1 }))).toBe('2025-12-13 13:30:45 [INFO] app | a=1\n');
  });

  it('reads the message from messageKey', () => {
    expect(format(pinoRecord({ message: 'hello', msg: 'kept' }), { messageKey: 'message' })).toBe(
      '2025-12-13 13:30:45 [INFO] app - hello | msg=kept\n',
    );
  });

  describe('levels', () => {
    it.each(EXPECTED_DEFAULT_LABELS)('labels level %i as %s, like the JSON file', (level, label) => {
      expect(format(pinoRecord({ level }, 'x'))).toBe(`2025-12-13 13:30:45 [${label}] app - x\n`);
    });

    it('labels custom levels with their upper-cased name', () => {
      expect(format(pinoRecord({ level: 35 }, 'x'), { customLevels: { notice: 35 } })).toBe(
        '2025-12-13 13:30:45 [NOTICE] app - x\n',
      );
    });

    it('prints an unknown level number as the number', () => {
      expect(format(pinoRecord({ level: 35 }, 'x'))).toBe('2025-12-13 13:30:45 [35] app - x\n');
    });

    it('uses the python preset', () => {
      const options = { levelLabels: 'python' } as const;
      expect(format(pinoRecord({ level: 40 }, 'x'), options)).toBe('2025-12-13 13:30:45 [WARNING] app - x\n');
      expect(format(pinoRecord({ level: 60 }, 'x'), options)).toBe(
        '2025-12-13 13:30:45 [CRITICAL] app - x\n',
      );
      expect(format(pinoRecord({ level: 30 }, 'x'), options)).toBe('2025-12-13 13:30:45 [INFO] app - x\n');
    });

    it('uses a label map, custom levels included', () => {
      const options = { customLevels: 'notice:35', levelLabels: { notice: 'NOTE', info: 'I' } };
      expect(format(pinoRecord({ level: 35 }, 'x'), options)).toBe('2025-12-13 13:30:45 [NOTE] app - x\n');
      expect(format(pinoRecord({ level: 30 }, 'x'), options)).toBe('2025-12-13 13:30:45 [I] app - x\n');
    });

    it('reads a level that formatters.level turned into a name', () => {
      expect(format(pinoRecord({ level: 'warn' }, 'x'), { levelLabels: 'python' })).toBe(
        '2025-12-13 13:30:45 [WARNING] app - x\n',
      );
      expect(format(pinoRecord({ level: 'notice' }, 'x'))).toBe('2025-12-13 13:30:45 [NOTICE] app - x\n');
    });
  });

  describe('ignore and include', () => {
    it('hides chosen keys, nested ones by dotted path', () => {
      const record = pinoRecord({ a: 1, b: 2, req: { url: '/', headers: { cookie: 's' } } }, 'x');
      expect(format(record, { ignore: ['b', 'req.headers'] })).toBe(
        '2025-12-13 13:30:45 [INFO] app - x | a=1 req.url=/\n',
      );
    });

    it('shows chosen pino internals', () => {
      expect(format(pinoRecord({ a: 1 }, 'x'), { include: 'pid,hostname' })).toBe(
        '2025-12-13 13:30:45 [INFO] app - x | pid=4242 hostname=box a=1\n',
      );
    });
  });

  describe('errors', () => {
    const stack =
      'Error: boom\n    at handler (/app/src/routes.js:10:11)\n    at run (/app/src/server.js:5:3)';

    it('shows the error on the line and its stack on indented lines', () => {
      const record = pinoRecord(
        { level: 50, err: { type: 'Error', message: 'boom', stack, code: 'E_BOOM' }, user_id: 1 },
        'request failed',
      );
      expect(format(record)).toBe(
        '2025-12-13 13:30:45 [ERROR] app - request failed | err.type=Error err.message=boom err.code=E_BOOM user_id=1\n' +
          '    Error: boom\n' +
          '        at handler (/app/src/routes.js:10:11)\n' +
          '        at run (/app/src/server.js:5:3)\n',
      );
    });

    it('prints structured causes (errWithCause) under the stack', () => {
      const cause = {
        type: 'TypeError',
        message: 'inner',
        stack: 'TypeError: inner\n    at db (/app/db.js:1:1)',
      };
      const record = pinoRecord(
        { level: 50, err: { type: 'Error', message: 'boom', stack, cause } },
        'failed',
      );
      expect(format(record)).toBe(
        '2025-12-13 13:30:45 [ERROR] app - failed | err.type=Error err.message=boom\n' +
          '    Error: boom\n' +
          '        at handler (/app/src/routes.js:10:11)\n' +
          '        at run (/app/src/server.js:5:3)\n' +
          '    caused by: TypeError: inner\n' +
          '        at db (/app/db.js:1:1)\n',
      );
    });

    it('prints causes that pino folded into the stack as they are', () => {
      const folded = 'Error: boom\n    at a (/a.js:1:1)\ncaused by: Error: inner\n    at b (/b.js:2:2)';
      const record = pinoRecord(
        { level: 50, err: { type: 'Error', message: 'boom: inner', stack: folded } },
        'boom: inner',
      );
      expect(format(record)).toBe(
        '2025-12-13 13:30:45 [ERROR] app - boom: inner | err.type=Error err.message="boom: inner"\n' +
          '    Error: boom\n' +
          '        at a (/a.js:1:1)\n' +
          '    caused by: Error: inner\n' +
          '        at b (/b.js:2:2)\n',
      );
    });

    it('prints the members of an AggregateError', () => {
      const member = { type: 'Error', message: 'one', stack: 'Error: one\n    at x (/x.js:1:1)' };
      const record = pinoRecord(
        {
          level: 50,
          err: {
            type: 'AggregateError',
            message: 'all',
            stack: 'AggregateError: all',
            aggregateErrors: [member],
          },
        },
        'all',
      );
      expect(format(record)).toBe(
        '2025-12-13 13:30:45 [ERROR] app - all | err.type=AggregateError err.message=all\n' +
          '    AggregateError: all\n' +
          '        aggregated error [0]: Error: one\n' +
          '            at x (/x.js:1:1)\n',
      );
    });

    it('ends a circular cause chain', () => {
      const err: Record<string, unknown> = { type: 'Error', message: 'loop', stack: 'Error: loop' };
      err.cause = err;
      expect(format(pinoRecord({ level: 50, err }, 'loop'))).toBe(
        '2025-12-13 13:30:45 [ERROR] app - loop | err.type=Error err.message=loop\n    Error: loop\n    caused by: …\n',
      );
    });

    it('uses errorKey for the error', () => {
      const record = pinoRecord(
        { level: 50, failure: { type: 'Error', message: 'm', stack: 'Error: m' } },
        'x',
      );
      expect(format(record, { errorKey: 'failure' })).toBe(
        '2025-12-13 13:30:45 [ERROR] app - x | failure.type=Error failure.message=m\n    Error: m\n',
      );
    });
  });

  describe('Fastify request logs', () => {
    it('prints the incoming request', () => {
      const record = pinoRecord({ reqId: 'req-1', req: { method: 'GET', url: '/' } }, 'incoming request');
      expect(format(record)).toBe(
        '2025-12-13 13:30:45 [INFO] app - incoming request | reqId=req-1 req.method=GET req.url=/\n',
      );
    });

    it('prints the completed request', () => {
      const record = pinoRecord(
        { reqId: 'req-1', res: { statusCode: 200 }, responseTime: 1.2 },
        'request completed',
      );
      expect(format(record)).toBe(
        '2025-12-13 13:30:45 [INFO] app - request completed | reqId=req-1 res.statusCode=200 responseTime=1.2\n',
      );
    });
  });

  it('ends lines with CRLF when asked', () => {
    expect(format(pinoRecord({}, 'x'), { crlf: true })).toBe('2025-12-13 13:30:45 [INFO] app - x\r\n');
  });
});

describe('formatRecord on cycles past the depth cap', () => {
  it('prints the capped object and marks only real cycles', () => {
    const inner: Record<string, unknown> = { d: 1 };
    const outer: Record<string, unknown> = { b: { c: inner } };
    inner.back = outer;
    expect(format(pinoRecord({ a: outer }, 'cap'), { maxDepth: 2 })).toBe(
      '2025-12-13 13:30:45 [INFO] app - cap | a.b={"c":{"d":1,"back":"[Circular]"}}\n',
    );
  });
});

describe('formatRecord: a short trace id for traced records', () => {
  const TRACE = {
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    span_id: '00f067aa0ba902b7',
    trace_flags: '01',
    xray_trace_id: '1-4bf92f35-77b34da6a3ce929d0e0e4736',
  };

  it('prints trace=<last 8 hex digits> first, instead of the OpenTelemetry fields', () => {
    expect(format(pinoRecord({ reqId: 'req-1', ...TRACE, user_id: 123 }, 'GET /'), { timeZone: 'UTC' })).toBe(
      '2025-12-13 12:30:45 [INFO] app - GET / | trace=0e0e4736 reqId=req-1 user_id=123\n',
    );
  });

  it('alone when there is no other extra; an untraced record is unchanged', () => {
    expect(format(pinoRecord({ ...TRACE }, 'x'), { timeZone: 'UTC' })).toBe(
      '2025-12-13 12:30:45 [INFO] app - x | trace=0e0e4736\n',
    );
    expect(format(pinoRecord({ span_id: 'abc' }, 'x'), { timeZone: 'UTC' })).toBe(
      '2025-12-13 12:30:45 [INFO] app - x | span_id=abc\n',
    );
  });

  it('a trace_id that is not 32 hex digits prints as any other extra, and include keeps a field', () => {
    expect(format(pinoRecord({ trace_id: 'abc\u001b[31m' }, 'x'), { timeZone: 'UTC' })).toBe(
      '2025-12-13 12:30:45 [INFO] app - x | trace_id="abc\\u001b[31m"\n',
    );
    expect(format(pinoRecord({ ...TRACE }, 'x'), { timeZone: 'UTC', include: 'span_id' })).toBe(
      '2025-12-13 12:30:45 [INFO] app - x | trace=0e0e4736 span_id=00f067aa0ba902b7\n',
    );
  });
});
