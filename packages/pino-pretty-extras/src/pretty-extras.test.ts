import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { prettyExtras } from './pretty-extras';

/** A stream that keeps what is written to it. */
function sink(): PassThrough & { text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return Object.assign(stream, { text: () => text });
}

const at = (text: string): string => text.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /gm, '<time> ');

describe('prettyExtras in-process', () => {
  it('formats pino records synchronously, taking custom levels and messageKey from the logger', () => {
    // Prepare
    const out = sink();
    const logger = pino(
      { name: 'app', customLevels: { notice: 35 }, messageKey: 'message' },
      prettyExtras({ destination: out, timeZone: 'UTC', colorize: false }),
    );

    // Act
    logger.info({ user_id: 123, response_time_ms: 45 }, 'GET /');
    (logger as unknown as { notice: (msg: string) => void }).notice('custom');

    // Assess
    expect(at(out.text())).toBe(
      '<time> [INFO] app - GET / | user_id=123 response_time_ms=45\n<time> [NOTICE] app - custom\n',
    );
  });

  it("prints pino's own level, not a level field of the logged object (kept as _level)", () => {
    // Prepare
    const out = sink();
    const logger = pino({ name: 'app' }, prettyExtras({ destination: out, colorize: false }));

    // Act
    logger.info({ level: '\u001b[2J\u001b]0;pwned\u0007' }, 'x');
    logger.info({ level: 60 }, 'y');
    logger.info({ level: '\u001b[1;31mFATAL' }, 'z');

    // Assess
    expect(at(out.text())).toBe(
      '<time> [INFO] app - x | _level="\\u001b[2J\\u001b]0;pwned\\u0007"\n' +
        '<time> [INFO] app - y | _level=60\n' +
        '<time> [INFO] app - z | _level="\\u001b[1;31mFATAL"\n',
    );
  });

  it('prints lines that are not records escaped, in order', () => {
    // Prepare
    const out = sink();
    const stream = prettyExtras({ destination: out, timeZone: 'UTC', colorize: false });

    // Act
    stream.write(
      '{"level":30,"time":0,"msg":"one"}\nnot json\n42\n\u001b[2J\u001b]0;pwned\u0007 \u009b2J\t\u202e\r\n' +
        '{"level":30,"time":0,"msg":"two"}\n',
    );

    // Assess
    expect(out.text()).toBe(
      '1970-01-01 00:00:00 [INFO] one\nnot json\n42\n\\u001b[2J\\u001b]0;pwned\\u0007 \\u009b2J\\t\\u202e\n' +
        '1970-01-01 00:00:00 [INFO] two\n',
    );
  });

  it('prints lines that are not records exactly as they came with raw: true (trusted input)', () => {
    const out = sink();
    const stream = prettyExtras({ destination: out, colorize: false, raw: true });

    stream.write('plain\t\u001b[1mbold\u001b[0m\n{"level":30,"msg":"a\\u001b"}\n');

    // Records are escaped all the same: raw is about the lines that are not records.
    expect(out.text()).toBe('plain\t\u001b[1mbold\u001b[0m\n[INFO] a\\u001b\n');
  });

  it('uses the errorKey of the logger', () => {
    const out = sink();
    const logger = pino({ errorKey: 'failure' }, prettyExtras({ destination: out, colorize: false }));
    logger.error({ failure: new Error('bad') }, 'failed');
    expect(out.text()).toMatch(
      /\[ERROR\] failed \| failure\.type=Error failure\.message=bad\n {4}Error: bad\n {8}at /,
    );
  });

  it('writes to a file destination and flushes with logger.flush', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'ppe-'));
    const file = join(dir, 'console.log');
    const logger = pino({ name: 'app' }, prettyExtras({ destination: file, timeZone: 'UTC' }));

    // Act
    logger.warn({ a: 'b c' }, 'to a file');
    await new Promise<void>((resolve, reject) => logger.flush((err) => (err ? reject(err) : resolve())));

    // Assess: no colour in a file, even though nothing asked for it to be off
    expect(at(readFileSync(file, 'utf8'))).toBe('<time> [WARN] app - to a file | a="b c"\n');
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends its own destination when the stream ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ppe-'));
    const file = join(dir, 'console.log');
    const stream = prettyExtras({ destination: file, colorize: false });
    stream.end('{"level":30,"msg":"last"}\n');
    await new Promise((resolve) => stream.on('close', resolve));
    expect(readFileSync(file, 'utf8')).toBe('[INFO] last\n');
    rmSync(dir, { recursive: true, force: true });
  });

  it('throws at setup for a bad option', () => {
    expect(() => prettyExtras({ maxDepth: -1 })).toThrow(
      'option "maxDepth" must be a positive integer; got -1',
    );
  });
});
