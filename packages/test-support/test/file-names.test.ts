import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import build from 'pino-cloudwatch-file';
import { parseUtcSuffix, utcPeriodName, type SuffixStyle } from '../src/file-names';
import { prng } from '../src/prng';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The names pino-cloudwatch-file writes for one record at each instant, through its public factory. */
async function namesWritten(frequency: 'hourly' | 'daily' | number, times: number[]): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-support-names-'));
  try {
    const names: string[] = [];
    for (const [i, t] of times.entries()) {
      const sub = path.join(dir, String(i));
      const stream = await build({
        file: path.join(sub, 'app.log'),
        app: 'names',
        frequency,
        allowShortFrequency: true,
        retention: false,
        levels: { info: 30 },
        now: () => t,
      });
      stream.write(`{"level":30,"time":${t},"msg":"m"}\n`);
      await new Promise<void>((resolve) => stream.end(resolve));
      names.push(...fs.readdirSync(sub).filter((name) => name.startsWith('app.log.')));
    }
    return names;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the test-only file-name rule agrees with pino-cloudwatch-file', () => {
  const next = prng(20251213);
  const times = [
    0,
    Date.UTC(2025, 11, 13, 12, 30, 45, 123),
    Date.UTC(2025, 11, 31, 23, 59, 59, 999),
    Date.UTC(2024, 1, 29, 0, 0, 0, 0),
    ...Array.from({ length: 6 }, () => Math.floor(next() * Date.UTC(2100, 0, 1))),
  ];
  it.each<[string, 'hourly' | 'daily' | number, number, SuffixStyle]>([
    ['hourly', 'hourly', HOUR, 'hour'],
    ['daily', 'daily', DAY, 'day'],
    ['every 15 s', 15_000, 15_000, 'second'],
    ['every 10 min', 600_000, 600_000, 'second'],
  ])('%s: the suffix of each file written, and the start it names', async (_, frequency, periodMs, style) => {
    const written = await namesWritten(frequency, times);

    expect(written).toEqual(times.map((t) => `app.log.${utcPeriodName(t, periodMs, style)}`));
    for (const [i, name] of written.entries()) {
      expect(parseUtcSuffix(name.slice('app.log.'.length), style)).toBe(
        Math.floor(times[i] / periodMs) * periodMs,
      );
    }
  });

  it('parseUtcSuffix refuses what is not exactly a suffix of the style', () => {
    for (const [text, style] of [
      ['2025-12-13_12.gz', 'hour'],
      ['2025-12-13', 'hour'],
      ['2025-12-13_12', 'day'],
      ['2025-13-01', 'day'],
      ['2025-04-31', 'day'],
      ['2025-12-13_24', 'hour'],
      ['1969-12-31', 'day'],
      ['2025-12-13_12-30-60', 'second'],
    ] as const) {
      expect([text, parseUtcSuffix(text, style)]).toEqual([text, undefined]);
    }
  });
});
