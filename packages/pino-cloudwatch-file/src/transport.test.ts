import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateOptions } from './options';
import { Reporter } from './reporter';
import { CloudWatchFileStream, MIN_LINE_CHARS, OUTPUT_BYTES, PIECE_CHARS, QUEUED_CHARS } from './transport';

const T = Date.UTC(2025, 11, 13, 12, 30, 45, 123);

function streamInTempDir(shapeLater = false): {
  stream: CloudWatchFileStream;
  lines: () => Record<string, unknown>[];
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-stream-'));
  const stream = new CloudWatchFileStream(
    validateOptions({ file: path.join(dir, 'app.log'), app: 'a', now: () => T }),
    { shapeLater },
  );
  const lines = (): Record<string, unknown>[] =>
    fs
      .readdirSync(dir)
      .flatMap((name) => fs.readFileSync(path.join(dir, name), 'utf8').split('\n').slice(0, -1))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

function end(stream: CloudWatchFileStream): Promise<void> {
  return new Promise((resolve) => stream.end(resolve));
}

describe('CloudWatchFileStream (in-process)', () => {
  test('a line far over the limit is cut before shaping; the buffer shrinks back; neighbours are whole', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-stream-'));
    const messages: string[] = [];
    const stream = new CloudWatchFileStream(
      validateOptions({ file: path.join(dir, 'app.log'), app: 'a', now: () => T, maxEventBytes: 8192 }),
      { reporter: new Reporter((text) => messages.push(text)) },
    );
    // Ordinary chunks (pieces a little over PIECE_CHARS) grow the buffer once, to under 1 MB.
    stream.write(`{"level":30,"time":${T},"msg":"warm-up"}\n`.repeat(5000));
    const usual = stream.workBytes;
    expect(usual).toBeLessThan(1024 * 1024);
    // …and it stays grown (shrinking it after every chunk would allocate it again for the next).
    expect(usual).toBeGreaterThan(OUTPUT_BYTES + 3 * PIECE_CHARS);
    stream.write(`{"level":30,"time":${T},"msg":"warm-up"}\n`.repeat(5000));
    expect(stream.workBytes).toBe(usual);
    const huge = `{"level":30,"time":${T},"big":"${'x'.repeat(MIN_LINE_CHARS + 100_000)}","msg":"huge"}`;
    stream.write(
      `{"level":30,"time":${T},"msg":"before"}\n${huge}\n{"level":30,"time":${T},"msg":"after"}\n`,
    );
    expect(stream.workBytes).toBeLessThanOrEqual(usual);
    // An unterminated line is bounded too: its head becomes a record, the rest up to the newline is skipped.
    for (let i = 0; i < 17; i++) stream.write('y'.repeat(1024 * 1024));
    stream.write(`z\n{"level":30,"time":${T},"msg":"last"}\n`);
    await end(stream);
    const lines = fs
      .readdirSync(dir)
      .flatMap((name) => fs.readFileSync(path.join(dir, name), 'utf8').split('\n').slice(0, -1));
    const records = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((r) => r.message !== 'warm-up');
    expect(
      records.map((r) => [r.message === undefined ? undefined : String(r.message).slice(0, 6), r.unparsed]),
    ).toEqual([
      ['before', undefined],
      ['{"leve', true],
      ['after', undefined],
      ['yyyyyy', true],
      ['last', undefined],
    ]);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(8192);
    expect(messages.filter((m) => m.includes('was cut to its first'))).toHaveLength(1);
  });

  test('a general-path line that opens a new period is placed like a fast-path one: what came before stays in the old file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-stream-'));
    const stream = new CloudWatchFileStream(
      validateOptions({ file: path.join(dir, 'app.log'), app: 'a', now: () => T }),
    );
    // A record ahead of the clock opens its own period's file.
    const later = Date.UTC(2025, 11, 13, 13, 0, 5);
    // One chunk: a fast-path line of the old hour, then a line the fast path hands over (its own
    // "message" collides with the core key) from the new hour, then a fast-path line again.
    stream.write(
      `{"level":30,"time":${T},"msg":"old"}\n` +
        `{"level":30,"time":${later},"msg":"new","message":"collides"}\n` +
        `{"level":30,"time":${later},"msg":"after"}\n`,
    );
    await end(stream);
    const messages = (name: string): unknown[] =>
      fs
        .readFileSync(path.join(dir, name), 'utf8')
        .split('\n')
        .slice(0, -1)
        .map((line) => (JSON.parse(line) as { message: unknown }).message);
    expect(messages('app.log.2025-12-13_12')).toEqual(['old']);
    expect(messages('app.log.2025-12-13_13')).toEqual(['new', 'after']);
  });

  test('while the folder cannot be opened, 10,000 lines cost one open attempt and a few held chunks, and are all written once it can', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-stream-'));
    const blocked = path.join(root, 'logs');
    fs.writeFileSync(blocked, 'a file where the folder should be');
    const messages: string[] = [];
    const stream = new CloudWatchFileStream(
      validateOptions({ file: path.join(blocked, 'app.log'), app: 'a', now: () => T }),
      { reporter: new Reporter((text) => messages.push(text)) },
    );
    let text = '';
    for (let i = 0; i < 10_000; i++) text += `{"level":30,"time":${T},"seq":${i},"msg":"m"}\n`;
    stream.write(text);
    expect(stream.file!.openAttempts).toBe(1);
    expect(stream.file!.heldChunks).toBeLessThanOrEqual(Math.ceil(text.length / 65_536) + 2);
    expect(messages.filter((m) => m.includes('cannot open'))).toHaveLength(1);
    fs.rmSync(blocked);
    stream.file!.retryNow();
    await end(stream);
    const seqs = fs
      .readFileSync(path.join(blocked, 'app.log.2025-12-13_12'), 'utf8')
      .split('\n')
      .slice(0, -1)
      .map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(seqs).toEqual([...Array(10_000).keys()]);
  });

  test("end, destroy and flush all write lines still held for pino's config, and leave no timer behind", async () => {
    for (const how of ['end', 'destroy', 'flushSync'] as const) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-stream-'));
      const stream = new CloudWatchFileStream(
        validateOptions({ file: path.join(dir, 'app.log'), app: 'a', now: () => T }),
        { waitForConfigMs: 60_000 },
      );
      stream.write(
        `{"level":30,"time":${T},"msg":"held ${how}"}\n{"level":30,"time":${T},"msg":"unterminated"}`,
      );
      if (how === 'end') await end(stream);
      else if (how === 'destroy') stream.destroy();
      else stream.flushSync();
      const text = fs
        .readdirSync(dir)
        .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'))
        .join('');
      const messages = text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).message);
      expect(messages).toEqual(how === 'flushSync' ? [`held ${how}`] : [`held ${how}`, 'unterminated']);
      if (how === 'flushSync') stream.destroy();
    }
  });

  test('joins lines split across writes, at any place, including inside a multi-byte character', async () => {
    const { stream, lines } = streamInTempDir();
    const text = `{"level":30,"time":${T},"msg":"héllo 🚀"}\n{"level":40,"time":${T},"k":1,"msg":"second"}\n`;
    const bytes = Buffer.from(text);
    // Prepare: cut the bytes at every third byte, so some cuts fall inside characters.
    for (let i = 0; i < bytes.length; i += 3) stream.write(bytes.subarray(i, i + 3));
    await end(stream);
    expect(lines().map((r) => [r.level, r.message, r.k])).toEqual([
      ['INFO', 'héllo 🚀', undefined],
      ['WARN', 'second', 1],
    ]);
  });

  test('writes a last line that has no newline when the stream ends', async () => {
    const { stream, lines } = streamInTempDir();
    stream.write(`{"level":30,"time":${T},"msg":"first"}\n{"level":30,"time":${T},"msg":"unterminated"}`);
    await end(stream);
    expect(lines().map((r) => r.message)).toEqual(['first', 'unterminated']);
  });

  test('accepts CRLF line ends', async () => {
    const { stream, lines } = streamInTempDir();
    stream.write(`{"level":30,"time":${T},"msg":"a"}\r\n{"level":30,"time":${T},"msg":"b"}\r\n`);
    await end(stream);
    expect(lines().map((r) => r.message)).toEqual(['a', 'b']);
  });

  test('writes every line of a chunk far larger than its output buffer, in order', async () => {
    const { stream, lines } = streamInTempDir();
    const n = 20_000;
    let chunk = '';
    for (let seq = 0; seq < n; seq++) chunk += `{"level":30,"time":${T},"seq":${seq},"msg":"m"}\n`;
    stream.write(chunk);
    await end(stream);
    expect(lines().map((r) => r.seq)).toEqual([...Array(n).keys()]);
  });

  test('in-process, writes the lines of a chunk before write() returns', async () => {
    const { stream, lines } = streamInTempDir();
    stream.write(`{"level":30,"time":${T},"msg":"a"}\n`);
    expect(lines().map((r) => r.message)).toEqual(['a']);
    await end(stream);
  });

  test('with shapeLater (in a worker), takes a chunk at once and writes it on the next turn of the event loop', async () => {
    const { stream, lines } = streamInTempDir(true);
    stream.write(`{"level":30,"time":${T},"msg":"a"}\n{"level":30,"time":${T},"msg":"b"}\n`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines().map((r) => r.message)).toEqual(['a', 'b']);
    await end(stream);
    expect(lines().map((r) => r.message)).toEqual(['a', 'b']);
  });

  test('with shapeLater, flush() writes every line taken so far before it returns', async () => {
    const { stream, lines } = streamInTempDir(true);
    stream.write(`{"level":30,"time":${T},"msg":"first"}\n`);
    stream.write(`{"level":30,"time":${T},"msg":"second"}\n`);
    let flushed = false;
    stream.flush(() => (flushed = true));
    expect(flushed).toBe(true);
    expect(lines().map((r) => r.message)).toEqual(['first', 'second']);
    await end(stream);
  });

  test('with shapeLater, shapes before returning once more than QUEUED_CHARS wait, so the queue stays bounded', async () => {
    const { stream, lines } = streamInTempDir(true);
    const line = `{"level":30,"time":${T},"pad":"${'x'.repeat(1000)}","msg":"m"}\n`;
    const perChunk = Math.ceil(QUEUED_CHARS / line.length / 3);
    const chunk = line.repeat(perChunk);
    stream.write(chunk);
    stream.write(chunk);
    expect(lines()).toHaveLength(0);
    stream.write(chunk);
    const expected = perChunk * 3;
    // No turn of the event loop yet: the third write took the queue past the bound.
    expect(lines()).toHaveLength(expected);
    await end(stream);
    expect(lines()).toHaveLength(expected);
  });
});

describe('file and folder modes', () => {
  /** Runs `act` with the process's umask set to `mask`, then puts the old one back. */
  async function withUmask<R>(mask: number, act: () => Promise<R>): Promise<R> {
    const old = process.umask(mask);
    try {
      return await act();
    } finally {
      process.umask(old);
    }
  }
  const modeOf = (p: string): number => fs.statSync(p).mode & 0o777;

  test('files are 0640 and the folders the transport makes 0750 by default, the staging folder too', async () => {
    await withUmask(0o022, async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-modes-'));
      const dir = path.join(root, 'a', 'logs');
      let now = T;
      const stream = new CloudWatchFileStream(
        validateOptions({ file: path.join(dir, 'app.log'), app: 'a', now: () => now, retention: false }),
      );
      stream.write(`{"level":30,"time":${now},"msg":"first"}\n`);
      // The next hour, at once: its file waits in .staging for the quiet gap.
      now = Date.UTC(2025, 11, 13, 13, 0, 0, 10);
      stream.write(`{"level":30,"time":${now},"msg":"second"}\n`);
      const staging = path.join(dir, '.staging');
      expect(modeOf(staging)).toBe(0o750);
      expect(fs.readdirSync(staging).map((name) => modeOf(path.join(staging, name)))).toEqual([0o640]);
      await end(stream);
      expect([modeOf(path.join(root, 'a')), modeOf(dir)]).toEqual([0o750, 0o750]);
      const files = fs.readdirSync(dir).filter((name) => name.startsWith('app.log.'));
      expect(files).toEqual(['app.log.2025-12-13_12', 'app.log.2025-12-13_13']);
      for (const name of files) expect([name, modeOf(path.join(dir, name))]).toEqual([name, 0o640]);
    });
  });

  test('mode and dirMode are used as given; the umask can only take permissions away', async () => {
    for (const [mask, options, file, folder] of [
      [0o022, { mode: '600', dirMode: 0o700 }, 0o600, 0o700],
      [0o000, { mode: 0o664, dirMode: '775' }, 0o664, 0o775],
      [0o077, {}, 0o600, 0o700],
    ] as const) {
      await withUmask(mask, async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-modes-'));
        const dir = path.join(root, 'logs');
        const stream = new CloudWatchFileStream(
          validateOptions({ file: path.join(dir, 'app.log'), app: 'a', now: () => T, ...options }),
        );
        stream.write(`{"level":30,"time":${T},"msg":"x"}\n`);
        await end(stream);
        expect([mask, modeOf(path.join(dir, 'app.log.2025-12-13_12')), modeOf(dir)]).toEqual([
          mask,
          file,
          folder,
        ]);
      });
    }
  });
});
