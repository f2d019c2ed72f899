/**
 * Hostile input for the console, seeded: records pino writes from hostile objects (escapes, C0, C1
 * and bidi controls, line separators, forged `level`s, ` | ` in messages), random bytes (invalid
 * UTF-8 and 8-bit controls included), huge and unterminated lines — through `formatRecord`, the
 * stream and the CLI, colour off and on. Asserted: no raw control character reaches the output
 * but the formatter's own colours and line breaks; the badge is pino's level; the first ` | ` of a
 * record's line starts its extras; the CLI's lines are bounded.
 *
 * Small in `npm test`; `STRESS=1` runs it large. `HOSTILE_SEED=<n>` replays a run (the seed is in
 * the test names). The CLI part runs the built package: build first (`npm test` does).
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { STACK_INDENT } from '../src/constants';
import { formatRecord } from '../src/format-record';
import { parseOptions } from '../src/options';
import { parseLine, RawLine } from '../src/parse-line';
import { prettyExtras } from '../src/pretty-extras';
import { isUnsafeChar } from '../src/sanitize-text';
import { prng } from 'pino-cloudwatch-test-support';
import { PLAIN_RUNTIME } from '../src/test-helpers';

const STRESS = process.env.STRESS === '1';
const SEED = Number(process.env.HOSTILE_SEED ?? Math.floor(Math.random() * 2 ** 31));
// The stream's huge lines stay at 2 MiB under STRESS: as a transport, lines are split by
// pino-abstract-transport's split2, which has no line limit and is quadratic on a line that comes in
// many small chunks (the CLI bounds its lines; 64 MiB ones go through it).
// A worker transport gets each record whole from the application's own pino, in large chunks, so
// its splitter stays linear: workerHugeBytes is one record of that size through a real worker.
const SIZE = STRESS
  ? {
      records: 20_000,
      rawLines: 5_000,
      hugeBytes: 2 * 2 ** 20,
      cliHugeBytes: 64 * 2 ** 20,
      workerHugeBytes: 64 * 2 ** 20,
    }
  : {
      records: 400,
      rawLines: 150,
      hugeBytes: 256 * 1024,
      cliHugeBytes: 4 * 2 ** 20,
      workerHugeBytes: 8 * 2 ** 20,
    };
const CLI = join(__dirname, '..', 'bin', 'cli.js');
const CLI_MAX_LINE_BYTES = 64 * 1024;
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

jest.setTimeout(STRESS ? 600_000 : 60_000);

/** Text pieces that have broken terminals, parsers and readers. */
const HOSTILE_PIECES = [
  '\u001b[2J',
  '\u001b]0;pwned\u0007',
  '\u001b[1;31m',
  '\u001bc',
  '\u009b2J',
  '\u009d0;title\u009c',
  '\u0085',
  '\u202e',
  '\u202a',
  '\u2066',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
  '\u2028',
  '\u2029',
  '\r',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u0008',
  '\u007f',
  ' | ',
  ' | user=admin',
  '|',
  ' - ',
  '=',
  '"',
  '\\',
  '\\u001b',
  '[FATAL]',
  '{"level":60}',
  'é',
  '🙂',
  '\ud800',
  '\udfff',
  ' ',
  'plain',
];

type Rng = () => number;

const int = (rng: Rng, below: number): number => Math.floor(rng() * below);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)];

/** Hostile text: pieces, control and bidi code units, and any BMP code unit. */
function text(rng: Rng, maxParts = 6): string {
  let out = '';
  for (let n = int(rng, maxParts + 1); n > 0; n--) {
    const r = rng();
    if (r < 0.5) out += pick(rng, HOSTILE_PIECES);
    else if (r < 0.7) out += String.fromCharCode(int(rng, 0xa0));
    else if (r < 0.8) out += String.fromCharCode(0x2000 + int(rng, 0x70));
    else if (r < 0.9) out += String.fromCharCode(int(rng, 0x10000));
    else out += 'abc xyz'.slice(0, 1 + int(rng, 7));
  }
  return out;
}

function value(rng: Rng, depth: number): unknown {
  const r = rng();
  if (r < 0.35 || depth > 3) return text(rng);
  if (r < 0.45) return pick(rng, [0, -1, 1.5, 1e21, -0, 2 ** 53 + 1, 30, 60]);
  if (r < 0.5) return rng() < 0.5;
  if (r < 0.55) return null;
  if (r < 0.7) return Array.from({ length: int(rng, 4) }, () => value(rng, depth + 1));
  if (r < 0.9) return object(rng, depth + 1);
  return {
    type: text(rng, 2),
    message: text(rng),
    stack: `${text(rng, 2)}\n    at ${text(rng)}\n${text(rng)}`,
  };
}

function object(rng: Rng, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let n = int(rng, 5); n > 0; n--)
    out[rng() < 0.7 ? text(rng, 3) : pick(rng, ['a', 'b.c', 'err'])] = value(rng, depth);
  return out;
}

/** What pino writes for hostile calls: forged `level`, `name`, `time` and `msg` fields, errors, children. */
function pinoLines(rng: Rng, count: number): { line: string; label: string }[] {
  const written: string[] = [];
  const root = pino({ level: 'trace', name: text(rng, 3) }, { write: (line: string) => written.push(line) });
  const out: { line: string; label: string }[] = [];
  for (let i = 0; i < count; i++) {
    const logger = rng() < 0.3 ? root.child({ [text(rng, 2)]: value(rng, 1), name: text(rng, 2) }) : root;
    const method = pick(rng, LEVELS);
    const fields = object(rng, 1);
    if (rng() < 0.4)
      fields.level = pick(rng, [
        60,
        10,
        '\u001b[2J\u001b]0;pwned\u0007',
        '\u001b[1;31mFATAL',
        'fatal',
        text(rng),
      ]);
    if (rng() < 0.2) fields.name = text(rng, 3);
    if (rng() < 0.2) fields.msg = text(rng);
    if (rng() < 0.2) fields.err = value(rng, 3);
    const before = written.length;
    const r = rng();
    if (r < 0.6) logger[method](fields, text(rng));
    else if (r < 0.8) logger[method](fields);
    else logger[method]('%s and %o', text(rng), value(rng, 2) as object);
    for (const line of written.slice(before))
      out.push({ line: line.replace(/\n$/, ''), label: method.toUpperCase() });
  }
  return out;
}

/** Random bytes: printable, C0, 8-bit C1, UTF-8 encoded C1 and bidi, invalid UTF-8; no newline. */
function rawLine(rng: Rng, maxBytes: number): Buffer {
  const parts: Buffer[] = [];
  for (let n = int(rng, 8); n > 0; n--) {
    const r = rng();
    if (r < 0.4) parts.push(Buffer.from(text(rng).replace(/\n/g, '')));
    else if (r < 0.6) parts.push(Buffer.from(Array.from({ length: 1 + int(rng, 8) }, () => int(rng, 256))));
    else if (r < 0.8)
      parts.push(Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0x9b, 0x32, 0x4a, 0xc2, 0x9b, 0xe2, 0x80, 0xae]));
    else
      parts.push(
        Buffer.from(pick(rng, ['{"level":60,"msg":"', '{"cut":', '[', 'null', '{"level":"\\u001b[2J"}'])),
      );
  }
  const line = Buffer.concat(parts);
  return Buffer.from(line.subarray(0, maxBytes).filter((byte) => byte !== 0x0a));
}

/** Pino lines, raw lines, a huge line of each kind and an unterminated last line, shuffled, as bytes. */
function hostileInput(rng: Rng, hugeBytes: number): Buffer {
  const lines: Buffer[] = pinoLines(rng, SIZE.records).map(({ line }) => Buffer.from(line));
  for (let i = 0; i < SIZE.rawLines; i++) lines.push(rawLine(rng, 4096));
  lines.push(Buffer.from(`{"level":30,"msg":"${'\\u001b[2J'.repeat(hugeBytes / 10)}"}`));
  lines.push(Buffer.alloc(hugeBytes, '\u001b[2J\u009b'));
  lines.push(
    Buffer.from(
      `{"level":30,"${'k'.repeat(hugeBytes / 2)}":{${Array.from({ length: 200 }, (_, i) => `"c${i}":1`).join(',')}}}`,
    ),
  );
  for (let i = lines.length - 1; i > 0; i--) {
    const j = int(rng, i + 1);
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  return Buffer.concat([
    ...lines.flatMap((line) => [line, Buffer.from('\n')]),
    rawLine(rng, 4096),
    Buffer.alloc(hugeBytes, 0x9b),
  ]);
}

/** The first unsafe character of `output` that is not a line break of the formatter's, or `undefined`. */
function firstLeak(output: string): string | undefined {
  for (let i = 0; i < output.length; i++) {
    const c = output.charCodeAt(i);
    if (c !== 0x0a && isUnsafeChar(c))
      return `U+${c.toString(16).padStart(4, '0')} at ${i}: ${JSON.stringify(output.slice(Math.max(0, i - 40), i + 40))}`;
  }
  return undefined;
}

/** The colour escapes the formatter writes (pino-pretty's colorette SGR codes). */
// eslint-disable-next-line no-control-regex -- matching ESC is the point
const PAINTER_SGR = /\u001b\[\d{1,3}m/g;

/** Runs `input` through an in-process stream in random chunks; resolves with what it printed. */
async function throughStream(rng: Rng, input: Buffer, colorize: boolean): Promise<string> {
  const sink = new PassThrough();
  const out: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => out.push(chunk));
  const stream = prettyExtras({ destination: sink, colorize, timeZone: 'UTC' });
  for (let at = 0; at < input.length;) {
    const size = 1 + int(rng, rng() < 0.9 ? 4096 : 256 * 1024);
    stream.write(input.subarray(at, at + size));
    at += size;
  }
  stream.end();
  await new Promise((resolve) => stream.on('close', resolve));
  return Buffer.concat(out).toString('utf8');
}

describe(`hostile input to the console (seed ${SEED}${STRESS ? ', stress' : ''})`, () => {
  const plain = parseOptions({ colorize: false, timeZone: 'UTC' }, PLAIN_RUNTIME);

  it("formats every record pino writes from hostile objects safely, with pino's own level and one boundary", () => {
    const rng = prng(SEED);
    for (const { line, label } of pinoLines(rng, SIZE.records)) {
      // Prepare
      const record = parseLine(line);
      expect(record).not.toBeInstanceOf(RawLine);
      const fields = record as Record<string, unknown>;

      // Act
      const output = formatRecord(fields, plain);
      const head = formatRecord(
        { level: fields.level, time: fields.time, name: fields.name, msg: fields.msg },
        plain,
      ).slice(0, -1);

      // Assess: no leak; the badge is pino's; stack lines are indented; the first " | " is the boundary
      expect([line, firstLeak(output)]).toEqual([line, undefined]);
      const [first, ...rest] = output.slice(0, -1).split('\n');
      expect([line, first]).toEqual([
        line,
        expect.stringMatching(new RegExp(`^(?:\\S+ \\S+ )?\\[${label}\\]( |$)`)),
      ]);
      for (const stackLine of rest) expect([line, stackLine.startsWith(STACK_INDENT)]).toEqual([line, true]);
      expect([line, head.includes(' | '), first.startsWith(head)]).toEqual([line, false, true]);
      expect([line, first.slice(head.length, head.length + 3)]).toEqual([
        line,
        first.length === head.length ? '' : ' | ',
      ]);
    }
  });

  it('prints random bytes, records and huge lines through the stream, in random chunks, with no raw control', async () => {
    // Prepare
    const input = hostileInput(prng(SEED + 1), SIZE.hugeBytes);

    // Act: the same input and chunks, without and with colour
    const output = await throughStream(prng(SEED + 2), input, false);
    const coloured = await throughStream(prng(SEED + 2), input, true);

    // Assess: nothing leaks; colour adds the painter's escapes and nothing else
    expect(firstLeak(output)).toBeUndefined();
    expect(coloured).not.toBe(output);
    expect(coloured.replace(PAINTER_SGR, '')).toBe(output);
  });

  it('prints a huge hostile record through a real worker transport, capped, and the records after it', async () => {
    if (!existsSync(join(__dirname, '..', 'dist', 'index.js'))) throw new Error('build the package first');
    // Prepare: one record of workerHugeBytes made of terminal controls, between two ordinary ones
    const dir = mkdtempSync(join(tmpdir(), 'ppe-hostile-worker-'));
    const file = join(dir, 'console.log');
    const transport = pino.transport({
      target: 'pino-pretty-extras',
      options: { destination: file, timeZone: 'UTC', colorize: false },
    });
    const logger = pino({ name: 'app' }, transport);
    const piece = '\u001b[2J\u009b2J\u202e\u2028';
    const huge = piece.repeat(Math.ceil(SIZE.workerHugeBytes / Buffer.byteLength(piece)));
    try {
      // Act
      logger.info('before');
      logger.warn({ [huge.slice(0, 1000)]: huge.slice(0, 5000), payload: huge }, huge);
      logger.info('after');
      const closed = once(transport, 'close');
      transport.end();
      await closed;

      // Assess: three lines, nothing leaks, the message and values capped (defaults: 10,000 characters)
      const output = readFileSync(file, 'utf8');
      expect(firstLeak(output)).toBeUndefined();
      const lines = output.slice(0, -1).split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/\[INFO\] app - before$/);
      expect(lines[1]).toMatch(/\[WARN\] app - (\\u001b\[2J)/);
      expect(lines[1].length).toBeLessThan(200_000);
      expect(lines[2]).toMatch(/\[INFO\] app - after$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the same through the CLI, lines cut at --maxLineBytes, and holds each line bounded', () => {
    if (!existsSync(join(__dirname, '..', 'dist', 'cli.js'))) throw new Error('build the package first');
    // Prepare
    const input = hostileInput(prng(SEED + 3), SIZE.cliHugeBytes);
    const run = (args: string[]): string => {
      const result = spawnSync(
        process.execPath,
        [CLI, '--utc', '--maxLineBytes', String(CLI_MAX_LINE_BYTES), ...args],
        {
          input,
          env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '' },
          maxBuffer: 1024 * 2 ** 20,
          encoding: 'utf8',
        },
      );
      expect([result.status, result.stderr]).toEqual([0, '']);
      return result.stdout;
    };

    // Act
    const output = run(['--no-colorize']);
    const coloured = run(['--colorize']);

    // Assess
    expect(firstLeak(output)).toBeUndefined();
    expect(coloured.replace(PAINTER_SGR, '')).toBe(output);
    expect(output).toContain(`…[line cut at ${CLI_MAX_LINE_BYTES} bytes]`);
    const longest = output.split('\n').reduce((max, line) => Math.max(max, line.length), 0);
    expect(longest).toBeLessThan(1_000_000);
  });
});
