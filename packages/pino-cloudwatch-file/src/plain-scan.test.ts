import { plainBytes, ScanBuffer, SIMD_SCAN } from './plain-scan';
import { prng } from 'pino-cloudwatch-test-support';

/** Writes `lines` as one piece (newline after each) into a ScanBuffer and checks each line with `plain`. */
function scanned(lines: readonly string[], at = 1000): boolean[] {
  const sb = new ScanBuffer(64 * 1024 + at);
  const text = lines.map((line) => `${line}\n`).join('');
  const end = at + sb.bytes.write(text, at, 'latin1');
  sb.begin(at, end);
  const verdicts: boolean[] = [];
  let start = at;
  for (let k = 0; k < lines.length; k++) {
    const lineEnd = sb.bytes.indexOf(10, start);
    verdicts.push(sb.plain(sb.bytes, start, lineEnd));
    start = lineEnd + 1;
  }
  return verdicts;
}

/** The reference: one line checked byte by byte, the escapes read in order. */
const reference = (line: string): boolean => plainBytes(Buffer.from(line, 'latin1'), 0, line.length);

describe('plainBytes: no raw control character, only the escapes JSON allows', () => {
  it.each<[string, boolean]>([
    ['{"a":"plain text, DEL \u007f and é"}', true],
    ['{"a":"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE80"}', true],
    ['{"a":"tab\there"}', false],
    ['{"a":"cr\rhere"}', false],
    ['{"a":"nul\u0000"}', false],
    ['{"a":"\\x41"}', false],
    ['{"a":"\\u12g4"}', false],
    ['{"a":"\\u12"}', false],
    ['{"a":"\\\\x"}', true], // an escaped backslash, then x
    ['{"a":"\\\\\\x"}', false], // an escaped backslash, then \x
    ['{"a":"ends with a backslash\\', false],
  ])('%j → %s', (line, plain) => {
    expect(reference(line)).toBe(plain);
  });
});

describe('ScanBuffer.plain agrees with plainBytes', () => {
  it('uses the WebAssembly search on this Node', () => {
    expect(SIMD_SCAN).toBe(true);
  });

  it('on lines placed around the 64-byte windows and the piece end', () => {
    const cases = ['\\x', '\\u00zz', '\\u00e9', '\\\\x', '\\\\\\x', '\\n', '\t', '\r', '\\\\u', '\\'];
    for (const bad of cases) {
      for (let pad = 0; pad < 140; pad++) {
        const line = `{"a":"${'x'.repeat(pad)}${bad}${'y'.repeat(pad % 7)}"}`;
        const lines = [line, `{"b":"${'z'.repeat(pad)}"}`, line];
        expect([bad, pad, scanned(lines)]).toEqual([bad, pad, lines.map(reference)]);
      }
    }
  });

  it('on 4,000 seeded random lines of bytes that matter (SCAN_SEED to replay)', () => {
    const seed = Number(process.env.SCAN_SEED ?? 20261130);
    const next = prng(seed);
    // Every byte that may follow a backslash, and bytes that share a half with one (R, l, 2, B, ...).
    const alphabet = [...'\\\\"/bfnrtuxRl2BNT0aF\t\r\u0001\u001f\u007f é\u0085\u2028'];
    for (let round = 0; round < 40; round++) {
      const lines: string[] = [];
      for (let k = 0; k < 100; k++) {
        const length = Math.floor(next() ** 2 * 300);
        let line = '';
        for (let c = 0; c < length; c++) {
          // Mostly plain text, so that whole 64-byte windows are clear too.
          line +=
            next() < 0.9
              ? 'abcdefgh'[Math.floor(next() * 8)]
              : alphabet[Math.floor(next() * alphabet.length)];
        }
        lines.push(line);
      }
      const expected = lines.map(reference);
      const got = scanned(lines, 1000 + round);
      for (let k = 0; k < lines.length; k++) {
        if (got[k] !== expected[k]) {
          throw new Error(`seed ${seed}, round ${round}: ${JSON.stringify(lines[k])} gave ${got[k]}`);
        }
      }
    }
  });

  it('checks lines outside the announced piece, and other buffers, byte by byte', () => {
    const sb = new ScanBuffer(4096);
    sb.bytes.write('{"a":"\\x"}\n', 0, 'latin1');
    expect(sb.plain(sb.bytes, 0, 10)).toBe(false); // no piece announced
    const other = Buffer.from('{"a":"ok"}');
    sb.begin(0, 11);
    expect(sb.plain(other, 0, other.length)).toBe(true);
  });
});

describe('ScanBuffer.resize', () => {
  it('keeps the first bytes when it grows and gives a spike back when it shrinks', () => {
    const sb = new ScanBuffer(320 * 1024);
    sb.bytes.write('kept', 0);
    sb.resize(50 * 1024 * 1024, 4);
    expect(sb.bytes.length).toBe(50 * 1024 * 1024);
    expect(sb.bytes.toString('latin1', 0, 4)).toBe('kept');
    sb.resize(320 * 1024, 4);
    expect(sb.bytes.length).toBe(320 * 1024);
    expect(sb.bytes.buffer.byteLength).toBeLessThan(1024 * 1024);
    expect(sb.bytes.toString('latin1', 0, 4)).toBe('kept');
    // The search still works on the new memory.
    sb.bytes.write(`${'a'.repeat(200)}\t\n`, 100, 'latin1');
    sb.begin(100, 302);
    expect(sb.plain(sb.bytes, 100, 301)).toBe(false);
  });
});
