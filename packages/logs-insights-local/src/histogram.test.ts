import { binFor, DEFAULT_BIN_MS, histogramOf, histogramQuery, MAX_BARS } from './histogram';
import { parseQuery } from './parser';
import { QueryRun } from './pipeline';
import { eventOf, ourLine } from './test-helpers';

const at = (text: string) => Date.parse(`${text}Z`);

describe('binFor', () => {
  it.each([
    [60_000, 1000],
    [3_600_000, 60_000],
    [86_400_000, 30 * 60_000],
    [7 * 86_400_000, 3 * 3_600_000],
  ])('a span of %i ms: %i ms bins', (span, bin) => {
    expect(binFor(span)).toBe(bin);
    expect(span / binFor(span)).toBeLessThanOrEqual(MAX_BARS);
  });

  it('only multiples of the counted bin', () => {
    expect(binFor(150 * 60_000, 60_000)).toBe(5 * 60_000);
    expect(binFor(1000, 60_000)).toBe(60_000);
  });
});

describe('histogramQuery', () => {
  it('keeps the commands up to the first stats/sort/limit/dedup and counts per bin', () => {
    const query = parseQuery(
      'filter level = "ERROR" | parse message "* *" as a, b | sort @timestamp desc | limit 2',
    );
    const histogram = histogramQuery(query, DEFAULT_BIN_MS);
    expect(histogram.commands.map((command) => command.kind)).toEqual(['filter', 'parse', 'stats', 'limit']);
    const run = new QueryRun(histogram);
    for (const [time, level] of [
      ['00:01', 'ERROR'],
      ['00:59', 'ERROR'],
      ['01:00', 'INFO'],
      ['03:30', 'ERROR'],
    ])
      run.push(eventOf(ourLine(time, level, 'a b')));
    expect(run.finish().rows).toEqual([
      { t: '2025-12-13 12:00:00.000', events: '2' },
      { t: '2025-12-13 12:03:00.000', events: '1' },
    ]);
  });
});

describe('histogramOf', () => {
  const rows = [
    { t: '2025-12-13 12:00:00.000', events: '2' },
    { t: '2025-12-13 12:03:00.000', events: '1' },
  ];

  it('from the first bin to the end of the last, empty bins as 0', () => {
    expect(histogramOf(rows, 60_000)).toEqual({
      binMs: 60_000,
      start: at('2025-12-13T12:00:00'),
      counts: [2, 0, 0, 1],
    });
  });

  it('over the asked range, in round bins of at most MAX_BARS', () => {
    const day = histogramOf(rows, 60_000, at('2025-12-13T00:00:00'), at('2025-12-14T00:00:00'));
    expect(day.binMs).toBe(30 * 60_000);
    expect(day.counts).toHaveLength(48);
    expect(day.counts[24]).toBe(3);
  });

  it('no events and no range: no bars', () => {
    expect(histogramOf([], 60_000)).toEqual({ binMs: 60_000, start: 0, counts: [] });
  });
});
