import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import pino from 'pino';
import { CORE_KEYS, PINO_LEVELS } from 'pino-cloudwatch-core';
import build, { keepLoggedName } from 'pino-cloudwatch-file';
import { parseUtcSuffix } from 'pino-cloudwatch-test-support';
import {
  assertBuilt,
  parseOrUndefined,
  prng,
  removeTempDirs,
  reportFigures,
  sized,
  tempDir,
  type LineOnDisk,
} from '../helpers';
import { topLevelKeys } from '../json-keys';

/**
 * Hostile input for the JSON file, seeded: lines pino never writes (raw control characters, bidi
 * and C1 characters, escapes JSON does not have, core keys spelled with escapes, malformed values),
 * JSON from other producers, random text, wild `time` values, a 50 MB line and an unterminated last
 * line — written through the in-process stream (the bulk) and through a real `pino.transport`
 * worker, with symbolic links planted at this period's and the next period's file names.
 *
 * Asserted on every line on disk: it is JSON, its first keys are the six core keys and each core
 * key is written once (read from the text: JSON.parse would hide a duplicate); its `@timestamp`
 * and its file's name are within the agent's accepted window; every input line is there exactly
 * once (each carries a marker); nothing was written through a link; the work buffer and the
 * ArrayBuffer memory come back after the spike. Small in `npm test`; `STRESS=1` runs it large.
 * `HOSTILE_FILE_SEED=<n>` replays a run (the seed is in the test names).
 */
const SEED = Number(process.env.HOSTILE_FILE_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SIZE = sized(
  { lines: 3_000, workerLines: 600, hugeBytes: 50 * 2 ** 20 },
  { lines: 60_000, workerLines: 10_000, hugeBytes: 100 * 2 ** 20 },
);
const MAX_EVENT_BYTES = 262_118;
const HOUR = 3_600_000;
const ACCEPTED_PAST_MS = 14 * 86_400_000;
const ACCEPTED_AHEAD_MS = 2 * HOUR;
/** After a spike the work buffer is back to its usual size, under this. */
const WORK_BYTES_BOUND = 1024 * 1024;
/** ArrayBuffer memory (the work buffer, Buffers) after a spike and a GC, over what it was before it. */
const ARRAY_BUFFERS_GROWTH_BOUND = 4 * 2 ** 20;

jest.setTimeout(sized(60_000, 600_000));
beforeAll(assertBuilt);
afterAll(removeTempDirs);

/** Text that has broken parsers, terminals and readers; no newline (it would end the line). */
const PIECES = [
  '\u001b[2J',
  '\u001b]0;pwned\u0007',
  '\u0000',
  '\t',
  '\r',
  '\u0085',
  '\u009b2J',
  '\u202e',
  '\u2066',
  '\u2028',
  '\u2029',
  '\ud800',
  '\\x',
  '\\u00',
  '\\u0041',
  '\\"',
  '\\\\',
  '\\',
  '"',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  'é',
  '🚀',
  ' ',
  ' | user=admin',
];
/** Keys as a line may spell them: the core keys plain and with escapes, pino's, and others. */
const KEYS = [
  '"lev\\u0065l"',
  '"\\u0040timestamp"',
  '"m\\u0065ssage"',
  '"\\u0061pp"',
  '"l\\u006fgger"',
  '"pr\\u006fcess"',
  '"n\\u0061me"',
  '"m\\u0073g"',
  '"level"',
  '"time"',
  '"@timestamp"',
  '"message"',
  '"logger"',
  '"app"',
  '"process"',
  '"name"',
  '"err"',
  '"error"',
  '"a\\tb"',
  '"a\tb"',
  '"user_id"',
];
/** The keys JSON.parse reads (not the one with a raw tab). */
const JSON_KEYS = KEYS.filter((key) => !key.includes('\t'));
const VALUES = [
  '1',
  'true',
  'null',
  '{"b":}',
  '{"b":1}}',
  '[1,]',
  'tru',
  '-',
  '{"b":"\\x"}',
  '[]',
  '{}',
  '"ok"',
];

/** A generator of hostile lines; every line carries `Q<seq>Q` in its text and no other Q. */
function hostileLines(seed: number, now: () => number) {
  const next = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const text = (n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += next() < 0.5 ? pick(PIECES) : 'abcxyz 019'[Math.floor(next() * 10)];
    return out;
  };
  /** A JSON string of `text` as a raw producer might write it: sometimes escaped, sometimes not. */
  const rawString = (n: number): string => (next() < 0.5 ? JSON.stringify(text(n)) : `"${text(n)}"`);
  const wildTimes = () => [
    '9e15',
    '1e20',
    '-1',
    '0',
    '1.5',
    'null',
    '1e400',
    '"abc"',
    '"2026-99-99"',
    String(now() * 1000),
    String(now() + 3 * HOUR),
    String(now() - 15 * 86_400_000),
  ];
  return function line(seq: number): string {
    const marker = `Q${seq}Q`;
    const t = now();
    const kind = Math.floor(next() * 7);
    if (kind === 0 || kind === 1) {
      // pino's prefix, then whatever another producer (or a rewriting hook) put after it.
      let pairs = '';
      for (let i = Math.floor(next() * 5); i > 0; i--) {
        pairs += `,${next() < 0.6 ? pick(KEYS) : rawString(3)}:${next() < 0.5 ? pick(VALUES) : rawString(4)}`;
      }
      const name = next() < 0.5 ? `,"name":${rawString(2)}` : '';
      return `{"level":30,"time":${t},"pid":1,"hostname":"h"${name}${pairs},"msg":"${marker}${text(3)}"}`;
    }
    if (kind === 2) {
      // Valid JSON from another producer, with core keys as its own fields.
      const record: Record<string, unknown> = { level: pick([30, 50, 'warn', { x: 1 }]), time: t };
      for (let i = Math.floor(next() * 4); i > 0; i--)
        record[JSON.parse(pick(JSON_KEYS)) as string] = text(3);
      record.msg = `${marker}${text(4)}`;
      return JSON.stringify(record);
    }
    if (kind === 3) {
      // A valid line broken at a random place before its message.
      const body = JSON.stringify({ level: 30, time: t, a: text(3), b: { c: [1, text(2)] } }).slice(0, -1);
      const at = Math.floor(next() * body.length);
      return `${body.slice(0, at)}${pick(PIECES)}${body.slice(at)},"msg":"${marker}"}`;
    }
    if (kind === 4) return `{"level":30,"time":${pick(wildTimes())},"msg":"${marker}"}`;
    if (kind === 5) {
      // A valid record of the next hour: its file is the next period's (a link is planted there).
      return `{"level":30,"time":${t + HOUR},"msg":"${marker} next hour"}`;
    }
    return `${marker}${text(8)}`; // not JSON at all
  };
}

/** Every assertion on the lines of a run; returns the markers found, by sequence number. */
function checkLines(lines: readonly LineOnDisk[], window: { from: number; to: number }): Map<number, number> {
  const seen = new Map<number, number>();
  for (const { file, text, record } of lines) {
    const where = `${file}: ${text.slice(0, 300)}`;
    if (record === undefined) throw new Error(`not JSON: ${where}`);
    const keys = topLevelKeys(text);
    if (keys === undefined) throw new Error(`not one object: ${where}`);
    for (const key of CORE_KEYS) {
      if (keys.filter((k) => k === key).length !== 1) throw new Error(`core key ${key} not once: ${where}`);
    }
    if (keys.slice(0, 6).join() !== CORE_KEYS.join()) throw new Error(`core keys not first: ${where}`);
    const time = Date.parse(String(record['@timestamp']));
    if (!(time >= window.from - ACCEPTED_PAST_MS && time <= window.to + ACCEPTED_AHEAD_MS)) {
      throw new Error(`@timestamp outside the accepted window: ${where}`);
    }
    if (Buffer.byteLength(text) > MAX_EVENT_BYTES) throw new Error(`over maxEventBytes: ${file}`);
    for (const m of text.matchAll(/Q(\d+)Q/g)) seen.set(Number(m[1]), (seen.get(Number(m[1])) ?? 0) + 1);
  }
  return seen;
}

/** Sequence numbers in [0, n) not seen exactly once. */
function notOnce(seen: Map<number, number>, n: number): number[] {
  const wrong: number[] = [];
  for (let seq = 0; seq < n; seq++) if (seen.get(seq) !== 1) wrong.push(seq);
  return wrong;
}

/** File names of the family: each a period suffix (no NaN) within the accepted window. */
function checkFileNames(dir: string, window: { from: number; to: number }): string[] {
  const names = fs.readdirSync(dir).filter((name) => name.startsWith('app.log.'));
  for (const name of names) {
    const start = parseUtcSuffix(name.slice('app.log.'.length), 'hour');
    expect([name, start !== undefined && Number.isFinite(start)]).toEqual([name, true]);
    expect([name, (start as number) >= window.from - ACCEPTED_PAST_MS - HOUR]).toEqual([name, true]);
    expect([name, (start as number) <= window.to + ACCEPTED_AHEAD_MS]).toEqual([name, true]);
  }
  return names;
}

/** Every line of the family's regular files (a link left where the transport never wrote is not read). */
function linesOnDisk(dir: string): LineOnDisk[] {
  const lines: LineOnDisk[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.startsWith('app.log.') || !fs.lstatSync(path.join(dir, file)).isFile()) continue;
    const parts = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    if (parts[parts.length - 1] === '') parts.pop();
    for (const text of parts) lines.push({ file, text, record: parseOrUndefined(text) });
  }
  return lines;
}

const hourName = (time: number): string =>
  `app.log.${new Date(time).toISOString().slice(0, 13).replace('T', '_')}`;

/**
 * Links at this and the next period's names, and as the staging folder. Returns the check: nothing
 * was written through them, and (`replaced`) the names the transport wrote are regular files now.
 */
function plantLinks(dir: string, now: number): (replaced: boolean) => void {
  const outside = tempDir('hostile-outside');
  const target = path.join(outside, 'victim.txt');
  fs.writeFileSync(target, 'ORIGINAL\n');
  const dangling = path.join(outside, 'created-through-a-link.txt');
  const stagingTarget = path.join(outside, 'staging');
  fs.mkdirSync(stagingTarget);
  fs.symlinkSync(target, path.join(dir, hourName(now)));
  fs.symlinkSync(dangling, path.join(dir, hourName(now + HOUR)));
  fs.symlinkSync(stagingTarget, path.join(dir, '.staging'));
  return (replaced) => {
    expect(fs.readFileSync(target, 'utf8')).toBe('ORIGINAL\n');
    expect(fs.existsSync(dangling)).toBe(false);
    expect(fs.readdirSync(stagingTarget)).toEqual([]);
    if (!replaced) return;
    for (const name of [hourName(now), hourName(now + HOUR)]) {
      expect([name, fs.lstatSync(path.join(dir, name)).isFile()]).toEqual([name, true]);
    }
  };
}

/** A full collection, twice, with a pause for V8 to free ArrayBuffer memory (it does so concurrently). */
async function settledArrayBuffers(): Promise<number> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().arrayBuffers;
}

describe(`hostile input into the JSON file (seed ${SEED})`, () => {
  test(`in-process: ${SIZE.lines} hostile lines, a ${SIZE.hugeBytes / 2 ** 20} MB line, an unterminated last line`, async () => {
    const dir = tempDir('hostile-file');
    // The clock runs from 12:40 of a fixed day, so the next hour's file is opened by records 1 h ahead.
    const start = Date.UTC(2026, 0, 15, 12, 40, 0, 0);
    const realStart = Date.now();
    const now = (): number => start + (Date.now() - realStart);
    const linksUntouched = plantLinks(dir, start);
    // The transport says what it refused once each on file descriptor 2 (fs.writeSync): kept here.
    const realFs = jest.requireActual<typeof fs>('node:fs');
    const writeSync = realFs.writeSync;
    const messages: string[] = [];
    const stderr = jest.spyOn(realFs, 'writeSync').mockImplementation(((fd: number, ...rest: [string]) => {
      if (fd !== 2) return writeSync(fd, ...rest);
      messages.push(rest[0]);
      return rest[0].length;
    }) as typeof realFs.writeSync);
    const stream = await build({
      file: path.join(dir, 'app.log'),
      app: 'hostile',
      retention: false,
      // Set, as when writing to the stream directly: the stream does not wait for pino's config.
      levels: PINO_LEVELS,
      now,
    });
    const line = hostileLines(SEED, now);
    const n = SIZE.lines;
    // This period's file first (then the next hour's records open the next one's).
    stream.write(`{"level":30,"time":${now()},"msg":"Q${n + 3}Q first"}\n`);
    // Lines go in chunks of random sizes, cut anywhere (a chunk may end inside a line or a character).
    const next = prng(SEED ^ 0x5eed);
    let pending = '';
    for (let seq = 0; seq < n; seq++) {
      pending += `${line(seq)}\n`;
      if (pending.length > next() * 200_000) {
        const cut = Math.floor(next() * pending.length);
        stream.write(pending.slice(0, cut));
        pending = pending.slice(cut);
      }
    }
    stream.write(pending);
    // A spike: one line of SIZE.hugeBytes, then ordinary lines again.
    const before = await settledArrayBuffers();
    stream.write(`Q${n}Q${'y'.repeat(SIZE.hugeBytes)}\n`);
    stream.write(`{"level":30,"time":${now()},"msg":"Q${n + 1}Q after the spike"}\n`);
    const workBytes = stream.workBytes;
    const growth = (await settledArrayBuffers()) - before;
    // The last line has no newline: it is written when the stream ends.
    stream.write(`{"level":30,"time":${now()},"msg":"Q${n + 2}Q unterminated"}`);
    await new Promise<void>((resolve) => stream.end(resolve));
    stderr.mockRestore();

    const window = { from: start, to: now() };
    const lines = linesOnDisk(dir);
    const seen = checkLines(lines, window);
    expect(notOnce(seen, n + 4)).toEqual([]);
    expect(lines).toHaveLength(n + 4);
    const names = checkFileNames(dir, window);
    expect(names).toEqual(expect.arrayContaining([hourName(start), hourName(start + HOUR)]));
    linksUntouched(true);
    expect(workBytes).toBeLessThan(WORK_BYTES_BOUND);
    expect(growth).toBeLessThan(ARRAY_BUFFERS_GROWTH_BOUND);
    // What was refused or changed is said once each on stderr.
    const said = (part: string): number => messages.filter((m) => m.includes(part)).length;
    expect(said('is a symbolic link')).toBe(3);
    expect(said('is not an epoch-millisecond time')).toBe(1);
    expect(said('was cut to its first')).toBe(1);
    reportFigures('hostile-file', {
      case: 'in-process',
      lines: n,
      hugeBytes: SIZE.hugeBytes,
      workBytesAfterSpike: workBytes,
      arrayBuffersGrowthAfterSpike: growth,
    });
    console.log(
      `hostile-file: work buffer ${workBytes} bytes, ArrayBuffer memory ${growth} bytes over before, after a ${SIZE.hugeBytes}-byte line`,
    );
  });

  test(`through a real pino.transport worker: ${SIZE.workerLines} raw hostile lines and hostile objects pino wrote`, async () => {
    const dir = tempDir('hostile-worker');
    const start = Date.now();
    const linksUntouched = plantLinks(dir, start);
    const transport = pino.transport({
      target: 'pino-cloudwatch-file',
      options: { file: path.join(dir, 'app.log'), app: 'hostile', retention: false },
    }) as ReturnType<typeof pino.transport> & { write(data: string): boolean; end(): void };
    const errors: string[] = [];
    const ended = new Promise<void>((resolve) => {
      transport.on('error', (err: Error) => {
        errors.push(err.message);
        resolve();
      });
      transport.once('close', () => resolve());
    });
    // As pino-cloudwatch-setup builds it: a logged object's name is kept as _name.
    const logger = pino({ name: 'app', formatters: { log: keepLoggedName } }, transport);
    const line = hostileLines(SEED + 1, Date.now);
    const n = SIZE.workerLines;
    const next = prng(SEED + 2);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    for (let seq = 0; seq < n; seq++) {
      if (seq % 2 === 0) {
        transport.write(`${line(seq)}\n`);
      } else {
        // pino's own lines from hostile objects: core keys, a name, control and bidi characters.
        const fields: Record<string, unknown> = {};
        for (const key of ['level', 'message', 'name', '@timestamp', 'logger', 'app', 'process', 'x']) {
          if (next() < 0.4) fields[key] = `${pick(PIECES)}${pick(PIECES)}`;
        }
        logger.info(fields, `Q${seq}Q ${pick(PIECES)}`);
      }
    }
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    if (errors.length === 0) transport.end();
    await ended;
    expect(errors).toEqual([]);
    const window = { from: start, to: Date.now() };
    const lines = linesOnDisk(dir);
    expect(notOnce(checkLines(lines, window), n)).toEqual([]);
    expect(lines).toHaveLength(n);
    checkFileNames(dir, window);
    linksUntouched(false); // which names it wrote depends on the order of the hostile lines
    // A logged object's name never replaces the logger's (pino wrote the odd sequence numbers).
    const pinoLines = lines.filter((l) => Number(/Q(\d+)Q/.exec(l.text)?.[1]) % 2 === 1);
    expect(pinoLines).toHaveLength(n / 2);
    expect(pinoLines.filter((l) => l.record?.logger !== 'app').map((l) => l.text)).toEqual([]);
  });
});
