import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FAST_PATH, ScanBuffer } from './plain-scan';
import { NOT_PINO, type RecordShaper } from './shape';
import { FIXED_TIME, testShaper } from './test-shaper';
import { allStrings } from 'pino-cloudwatch-test-support';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { moduleText, target } = require('../scripts/build-wasm.js') as {
  moduleText: () => string;
  target: string;
};

const HAS_WAT2WASM = spawnSync('wat2wasm', ['--version']).status === 0;
if (!HAS_WAT2WASM && !process.env.CI) {
  console.warn(
    'wat2wasm (Debian: wabt) is not installed: skipping the check of the fast path module against its text.',
  );
}

const TIME = FIXED_TIME;
const shaper = (): RecordShaper => testShaper();

/** Shapes `lines` the way the transport does: in one ScanBuffer, runs of lines first, each line left over on its own. */
function shapeAsWorker(s: RecordShaper, lines: string[]): { out: string; runs: number; single: number } {
  const text = lines.map((line) => `${line}\n`).join('');
  const sb = new ScanBuffer(64 * 1024 + 3 * text.length);
  const inStart = 32 * 1024;
  const inEnd = inStart + sb.bytes.write(text, inStart, 'utf8');
  sb.begin(inStart, inEnd);
  let outPos = 0;
  const parts: string[] = [];
  const run = { outEnd: 0 };
  let runs = 0;
  let single = 0;
  let start = inStart;
  while (start < inEnd) {
    const next = s.shapeLines(sb.bytes, start, sb.clearEnd(start), outPos, inStart, run);
    if (next > start) runs++;
    outPos = run.outEnd;
    start = next;
    if (start >= inEnd) break;
    const end = sb.bytes.indexOf(10, start);
    const line = sb.bytes.toString('utf8', start, end);
    const plain = sb.plain(sb.bytes, start, end);
    const outEnd = plain ? s.shapeBytes(sb.bytes, start, end, outPos, inStart, true) : NOT_PINO;
    if (outEnd >= 0) outPos = outEnd;
    else {
      parts.push(sb.bytes.toString('utf8', 0, outPos), `${s.shape(line)}\n`);
      outPos = 0;
    }
    single++;
    start = end + 1;
  }
  parts.push(sb.bytes.toString('utf8', 0, outPos));
  return { out: parts.join(''), runs, single };
}

describe('the WebAssembly fast path', () => {
  test('is available here (Node 20 has WebAssembly with SIMD)', () => {
    expect(FAST_PATH).toBe(true);
  });

  // CI installs wabt; elsewhere the check runs where wat2wasm is.
  const testWithWat2wasm = HAS_WAT2WASM || process.env.CI ? test : test.skip;
  testWithWat2wasm('fast-path-module.ts is what wat2wasm makes of fast-path.wat', () => {
    expect(fs.readFileSync(path.resolve(target), 'utf8')).toBe(moduleText());
  });

  test('takes a compact value exactly when JSON.parse does (every text of up to 6 characters of objects and arrays)', () => {
    const s = shaper();
    const sb = new ScanBuffer(4096);
    const from = 2048;
    let accepted = 0;
    for (const text of allStrings('{}[]",:1', 6)) {
      const line = `{"level":30,"time":${TIME},"x":${text},"msg":"m"}`;
      let json: boolean;
      try {
        JSON.parse(line);
        json = true;
      } catch {
        json = false;
      }
      const end = from + sb.bytes.write(line, from, 'utf8');
      const out = s.shapeBytes(sb.bytes, from, end, 0, from);
      if ((out !== NOT_PINO) !== json) throw new Error(`the fast path disagrees with JSON.parse on ${text}`);
      if (json) {
        accepted++;
        if (sb.bytes.toString('utf8', 0, out) !== `${s.shape(line)}\n`) {
          throw new Error(`the fast path shapes ${text} unlike the general path`);
        }
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });

  test('checks nesting up to 64 levels and hands deeper values to the general path', () => {
    const s = shaper();
    const line = (depth: number) =>
      `{"level":30,"time":${TIME},"x":${'['.repeat(depth)}1${']'.repeat(depth)},"msg":"m"}`;
    const sb = new ScanBuffer(4096);
    const shapeAt = (text: string) =>
      s.shapeBytes(sb.bytes, 2048, 2048 + sb.bytes.write(text, 2048), 0, 2048);
    expect(shapeAt(line(64))).toBeGreaterThan(0);
    expect(shapeAt(line(65))).toBe(NOT_PINO);
  });

  test('shapes runs of lines in one call and stops at each new header, where the caller places the time', () => {
    const s = shaper();
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) {
      // three records a millisecond; an unparsed line and one with a raw tab among them
      lines.push(`{"level":30,"time":${TIME + Math.floor(i / 3)},"n":${i},"msg":"m${i}"}`);
      if (i === 10) lines.push('not json');
      if (i === 20) lines.push(`{"level":30,"time":${TIME},"tab":"a\tb","msg":"t"}`);
    }
    const { out, runs, single } = shapeAsWorker(s, lines);
    expect(out).toBe(lines.map((line) => `${s.shape(line)}\n`).join(''));
    // Ten milliseconds: each opens with a line shaped on its own (a new header), and so do the two odd
    // lines and the piece's last line (its last 64 bytes are checked line by line); the rest go in runs.
    expect(single).toBe(13);
    expect(runs).toBeGreaterThanOrEqual(10);
  });

  test.each([true, false])(
    'the header follows every record: milliseconds, seconds, levels and loggers changing (utc: %p)',
    (utc) => {
      const s = testShaper({ utc });
      const lines: string[] = [];
      const times = [0, 1, 1, 2, 999, 1000, 1001, 0, 59_999, 60_000, 3_600_000, 5];
      times.forEach((dt, i) => {
        const level = [30, 30, 40, 30][i % 4];
        const name = i % 5 === 3 ? '' : i % 7 === 6 ? ',"name":"other"' : ',"name":"app"';
        lines.push(`{"level":${level},"time":${TIME - 3_600_000 + dt}${name},"n":${i},"msg":"m"}`);
      });
      const { out } = shapeAsWorker(s, lines);
      expect(out).toBe(lines.map((line) => `${s.shape(line)}\n`).join(''));
    },
  );

  test('forgetHeader makes the next line stop the run, even in the same millisecond', () => {
    const s = shaper();
    const lines = Array.from({ length: 4 }, (_, i) => `{"level":30,"time":${TIME},"n":${i},"msg":"m"}`);
    const text = lines.map((line) => `${line}\n`).join('');
    const sb = new ScanBuffer(64 * 1024);
    const inStart = 32 * 1024;
    const inEnd = inStart + sb.bytes.write(text, inStart);
    sb.begin(inStart, inEnd);
    const run = { outEnd: 0 };
    // The first line sets the header; the next ones go in one run (up to the piece's last 64 bytes).
    const first = sb.bytes.indexOf(10, inStart);
    const second = sb.bytes.indexOf(10, first + 1);
    const outEnd = s.shapeBytes(sb.bytes, inStart, first, 0, inStart, true);
    expect(s.shapeLines(sb.bytes, first + 1, sb.clearEnd(first + 1), outEnd, inStart, run)).toBeGreaterThan(
      second,
    );
    expect(run.outEnd).toBeGreaterThan(outEnd);
    // After forgetHeader a run stops at once, before the same lines.
    s.forgetHeader();
    expect(s.shapeLines(sb.bytes, first + 1, sb.clearEnd(first + 1), 0, inStart, run)).toBe(first + 1);
    expect(run.outEnd).toBe(0);
  });

  test('a line of a buffer outside a ScanBuffer is shaped the same, in the shaper’s own', () => {
    const s = shaper();
    const line = `{"level":50,"time":${TIME},"err":{"type":"Error","message":"boom"},"msg":"failed"}`;
    const work = Buffer.alloc(8192, 0x7b);
    const from = 4096;
    const end = from + work.write(line, from);
    const out = s.shapeBytes(work, from, end, 100, from);
    expect(work.toString('utf8', 100, out)).toBe(`${s.shape(line)}\n`);
    expect(work[99]).toBe(0x7b);
  });
});
