import * as path from 'node:path';
import pino from 'pino';
import build from 'pino-cloudwatch-file';
import {
  assertBuilt,
  linesOnDisk,
  removeTempDirs,
  reportFigures,
  sized,
  tempDir,
  type LineOnDisk,
} from '../helpers';

/**
 * Issue 7 §4 "Bad input", through the real transport (pino.transport on the built package): text
 * that is not JSON, invalid UTF-8, a 10 MB record, deep and circular objects, a flood at one
 * timestamp. Each case is framed by a "before" and an "after" record: the bad input is handled
 * clearly, every line on disk is valid JSON, nothing else is lost, and the transport never errors.
 */
const MAX_EVENT_BYTES = 262_118;
const TEN_MB = 10 * 1024 * 1024;

beforeAll(assertBuilt);
afterAll(removeTempDirs);

interface Run {
  lines: LineOnDisk[];
  errors: string[];
  messages: string[];
}

type ThreadStream = ReturnType<typeof pino.transport> & {
  write(data: string | Buffer): boolean;
  end(): void;
  once(event: string, listener: (...args: unknown[]) => void): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
};

/** Logs "before", runs `act`, logs "after", ends the transport and reads the family back. */
async function throughTransport(
  label: string,
  act: (logger: pino.Logger, transport: ThreadStream) => void,
  loggerOptions: pino.LoggerOptions = {},
): Promise<Run> {
  const dir = tempDir(`bad-${label}`);
  const transport = pino.transport({
    target: 'pino-cloudwatch-file',
    options: { file: path.join(dir, 'app.log'), app: 'bad', retention: false },
  }) as ThreadStream;
  const errors: string[] = [];
  // A dead worker never closes: its error ends the wait too.
  let finished: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => {
    finished = resolve;
  });
  transport.on('error', (err) => {
    errors.push((err as Error).message);
    finished();
  });
  transport.once('close', () => finished());
  const logger = pino({ base: undefined, ...loggerOptions }, transport);
  logger.info('before');
  act(logger, transport);
  logger.info('after');
  // thread-stream's end() blocks (up to 10 s) waiting for the worker: let a crash show first.
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  if (errors.length === 0) transport.end();
  await ended;
  const lines = linesOnDisk(dir, 'app.log.');
  return { lines, errors, messages: lines.map((l) => String(l.record?.message)) };
}

/** Valid JSON lines, none over the event limit, framed by before/after, no transport error. */
function expectClean(run: Run): void {
  expect(run.errors).toEqual([]);
  expect(run.lines.filter((l) => l.record === undefined).map((l) => l.text.slice(0, 100))).toEqual([]);
  const longest = run.lines.reduce((max, line) => Math.max(max, Buffer.byteLength(line.text)), 0);
  expect(longest).toBeLessThanOrEqual(MAX_EVENT_BYTES);
  expect(run.messages[0]).toBe('before');
  expect(run.messages[run.messages.length - 1]).toBe('after');
}

describe('bad input through the real transport', () => {
  test('a line that is not JSON is written as a valid record whose message is the raw text', async () => {
    const run = await throughTransport('text', (_logger, transport) => {
      transport.write('not json at all\n');
      transport.write('{"half": \n');
    });
    expectClean(run);
    expect(run.lines.map((l) => l.record)).toEqual([
      expect.objectContaining({ message: 'before' }),
      expect.objectContaining({ message: 'not json at all', unparsed: true, app: 'bad' }),
      expect.objectContaining({ message: '{"half": ', unparsed: true }),
      expect.objectContaining({ message: 'after' }),
    ]);
  });

  test('invalid UTF-8 becomes U+FFFD in a valid line; a character split across two writes stays whole', async () => {
    const run = await throughTransport('utf8', (_logger, transport) => {
      transport.write(
        Buffer.from([...Buffer.from('{"msg":"bad '), 0xff, 0xfe, 0xc3, ...Buffer.from('"}\n')]),
      );
      const line = Buffer.from('{"msg":"café ☕"}\n');
      transport.write(line.subarray(0, 12)); // ends inside "é"
      transport.write(line.subarray(12));
    });
    expectClean(run);
    expect(run.messages).toEqual(['before', 'bad \ufffd\ufffd\ufffd', 'café ☕', 'after']);
  });

  test('a 10 MB record becomes one valid line within the event limit, marked "truncated": true', async () => {
    const run = await throughTransport('10mb', (logger, transport) => {
      logger.info({ big: 'x'.repeat(TEN_MB), keep: 'small' }, 'big record');
      transport.write(`${'y'.repeat(TEN_MB)}\n`);
    });
    expectClean(run);
    expect(run.messages.map((m) => m.slice(0, 10))).toEqual([
      'before',
      'big record',
      'y'.repeat(10),
      'after',
    ]);
    expect(run.lines[1].record).toMatchObject({ truncated: true, keep: 'small' });
    expect(run.lines[2].record).toMatchObject({ truncated: true, unparsed: true });
    reportFigures('bad-input', {
      case: '10 MB record',
      inputBytes: TEN_MB,
      lineBytes: [Buffer.byteLength(run.lines[1].text), Buffer.byteLength(run.lines[2].text)],
    });
  });

  test('deeply nested and circular objects: pino serialises them, the line is valid', async () => {
    let deep: Record<string, unknown> = { leaf: 'end' };
    for (let i = 0; i < 1000; i++) deep = { d: deep };
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const run = await throughTransport('deep', (logger) => {
      logger.info({ deep }, 'deep');
      logger.info({ circular }, 'circular');
    });
    expectClean(run);
    expect(run.messages).toEqual(['before', 'deep', 'circular', 'after']);
    expect(run.lines[2].record).toMatchObject({ circular: { name: 'loop', self: '[Circular]' } });
  });

  // Regression (pino-cloudwatch-file, truncate.ts, fixed): fitToLimit() recurses (collectStrings, JSON.stringify)
  // over a line that is over maxEventBytes; a deeply nested one overflows the stack, the exception
  // escapes _write, the worker dies: the app gets an 'error' event (fatal without a listener), the
  // lines of the same chunk and every later line are lost.
  test('a raw line over the event limit nested 150,000 deep does not kill the transport', async () => {
    const depth = 150_000;
    const run = await throughTransport('deep-raw', (_logger, transport) => {
      transport.write(
        `{"level":30,"time":${Date.now()},"a":${'['.repeat(depth)}${']'.repeat(depth)},"msg":"deep raw"}\n`,
      );
    });
    expectClean(run);
    expect(run.messages).toEqual(['before', expect.any(String), 'after']);
  });

  // Regression (pino-cloudwatch-file, shape.ts parseLoose, fixed): a JSON line that is not compact (spaces, as
  // pretty-printed JSON) is decoded with JSON.parse and each value re-encoded with JSON.stringify,
  // which overflows the stack on deep nesting, even far under the event limit. Same consequence.
  test('a non-compact JSON line nested 100,000 deep (200 KB) does not kill the transport', async () => {
    const depth = 100_000;
    const run = await throughTransport('deep-loose', (_logger, transport) => {
      transport.write(
        `{ "level": 30, "a": ${'['.repeat(depth)}${']'.repeat(depth)}, "msg": "deep loose" }\n`,
      );
    });
    expectClean(run);
    expect(run.messages).toEqual(['before', expect.any(String), 'after']);
  });

  test('a flood of records at one timestamp: all written, in order, one line each', async () => {
    const n = sized(100_000, 500_000);
    const time = Date.now();
    const run = await throughTransport(
      'flood',
      (logger) => {
        for (let seq = 0; seq < n; seq++) logger.info({ seq }, 'same instant');
      },
      { timestamp: () => `,"time":${time}` },
    );
    expectClean(run);
    const seqs = run.lines.slice(1, -1).map((l) => l.record?.seq);
    expect(seqs).toHaveLength(n);
    expect(seqs.every((seq, i) => seq === i)).toBe(true);
    expect(new Set(run.lines.map((l) => l.record?.['@timestamp'])).size).toBe(1);
    reportFigures('bad-input', { case: 'flood at one timestamp', lines: n, lost: n - seqs.length });
  });
});

describe('bad input into the stream in-process (raw bytes, no thread-stream decoding in between)', () => {
  test('invalid UTF-8 bytes and a split character, written straight to the stream', async () => {
    const dir = tempDir('bad-bytes');
    const stream = await build({ file: path.join(dir, 'app.log'), app: 'bad', retention: false });
    stream.write(
      Buffer.from([...Buffer.from('{"msg":"x'), 0xc0, 0x80, 0xed, 0xa0, 0x80, ...Buffer.from('"}\n')]),
    );
    const euro = Buffer.from('{"msg":"€"}\n');
    stream.write(euro.subarray(0, 9));
    stream.write(euro.subarray(9));
    stream.write(Buffer.from([0xff, 0x0a]));
    await new Promise<void>((resolve) => stream.end(resolve));
    const lines = linesOnDisk(dir, 'app.log.');
    expect(lines.filter((l) => l.record === undefined)).toEqual([]);
    expect(lines.map((l) => l.record?.message)).toEqual([expect.stringMatching(/^x\ufffd+$/), '€', '\ufffd']);
  });
});
