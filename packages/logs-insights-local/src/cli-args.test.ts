import { CliUsageError, parseCliArgs } from './cli-args';
import { PERIOD_UNITS } from './catalog';
import { parseQuery } from './parser';
import { parseTimeArg } from './time-range';

const NOW = Date.UTC(2025, 11, 13, 12, 0);

describe('parseCliArgs', () => {
  it('takes the query, then files; options anywhere', () => {
    expect(
      parseCliArgs(
        ['stats count(*)', 'a.log', '--format', 'csv', 'b.log', '--since=-1h', '--until', '-1m'],
        NOW,
      ),
    ).toEqual({
      help: false,
      query: 'stats count(*)',
      inputs: ['a.log', 'b.log'],
      format: 'csv',
      since: NOW - 3_600_000,
      until: NOW - 60_000,
      chart: false,
    });
  });

  it.each([
    [['q', '--format', 'xml'], '--format must be one of table, json, csv, got "xml"'],
    [['q', '--since'], '--since needs a value'],
    [['q', '--until', 'yesterday'], '--until must be an ISO time'],
    [['q', '--verbose'], 'unknown option "--verbose"'],
    [[], 'no query given'],
    [
      ['q', '--chart', '--format', 'json'],
      '--chart draws bars instead of the table: it does not go with --format json',
    ],
    [['q', '--format=csv', '--chart'], 'it does not go with --format csv'],
    [['q', '--since', '-1h', '--until', '-2h'], '--since must be before --until'],
  ])('%j → %s', (argv, message) => {
    expect(() => parseCliArgs(argv, NOW)).toThrow(CliUsageError);
    expect(() => parseCliArgs(argv, NOW)).toThrow(message);
  });

  it('--chart goes with the table format, named or not', () => {
    expect(parseCliArgs(['q', '--chart', '--format', 'table'], NOW).chart).toBe(true);
    expect(parseCliArgs(['q', '--chart'], NOW)).toMatchObject({ chart: true, format: undefined });
  });

  it('--help needs no query', () => {
    expect(parseCliArgs(['--help'], NOW).help).toBe(true);
  });
});

describe('parseTimeArg', () => {
  it.each([
    ['-1h', NOW - 3_600_000],
    ['-30m', NOW - 1_800_000],
    ['-2d', NOW - 2 * 86_400_000],
    ['-90s', NOW - 90_000],
    ['2025-12-13T10:00:00Z', Date.UTC(2025, 11, 13, 10)],
    ['2025-12-13T11:00:00+01:00', Date.UTC(2025, 11, 13, 10)],
    ['2025-12-13 10:30', Date.UTC(2025, 11, 13, 10, 30)], // no zone: UTC
    ['2025-12-13', Date.UTC(2025, 11, 13)],
    ['1765620000000', 1765620000000],
  ])('%s', (text, expected) => {
    expect(parseTimeArg('--since', text, NOW)).toBe(expected);
  });
});

describe('one table of time units for bin() and --since / --until', () => {
  it.each(Object.entries(PERIOD_UNITS))('%s works in bin(5%s) and in --since -5%s', (unit) => {
    expect(() => parseQuery(`stats count(*) by bin(5${unit})`)).not.toThrow();
    expect(parseTimeArg('--since', `-5${unit}`, NOW)).toBeLessThan(NOW);
  });

  it.each([
    ['-5min', NOW - 5 * 60_000],
    ['-90sec', NOW - 90_000],
    ['-2hr', NOW - 2 * 3_600_000],
    ['-1w', NOW - 7 * 86_400_000],
    ['-1mo', Date.UTC(2025, 10, 13, 12, 0)],
    ['-1q', Date.UTC(2025, 8, 13, 12, 0)],
    ['-1y', Date.UTC(2024, 11, 13, 12, 0)],
  ])('--since %s', (text, expected) => {
    expect(parseCliArgs(['q', '--since', text], NOW).since).toBe(expected);
  });

  it.each(['-5fortnights', '-1.5mo'])('refuses %s, naming the option', (text) => {
    expect(() => parseCliArgs(['q', '--since', text], NOW)).toThrow('--since must be an ISO time');
  });
});
