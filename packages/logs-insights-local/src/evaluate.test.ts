import type { Expr } from './ast';
import { evaluate } from './evaluate';
import { parseQuery } from './parser';
import { eventOf } from './test-helpers';
import { formatValue } from './values';

/** The value of one expression (`fields <expr> as v`) for an event, as Logs Insights returns it. */
function value(expr: string, record: Record<string, unknown> = {}): string | undefined {
  const [fields] = parseQuery(`fields ${expr} as v`).commands;
  if (fields.kind !== 'fields') throw new Error('not fields');
  return formatValue(evaluate(fields.items[0].expr as Expr, eventOf(record)));
}

describe('evaluate: operators', () => {
  it.each([
    ['2 + 3', '5'],
    ['7 - 10', '-3'],
    ['6 * 7', '42'],
    ['7 / 2', '3.5'],
    ['2 ^ 3', '8'], // the functions page: 2 ^ 3 returns 8
    ['10 % 3', '1'], // and 10 % 3 returns 1
    ['-x', '-4'],
    ['x * 2 + 1', '9'],
    ['(x + 1) * 2', '10'],
    ['x / 0', undefined],
    ['missing + 1', undefined],
    ['s + 1', '42'], // numeric text is a number
  ])('%s = %s', (expr, expected) => {
    expect(value(expr, { x: 4, s: '41' })).toBe(expected);
  });

  it.each([
    ['x = 4', '1'],
    ['x = "4"', '1'],
    ['x != 4', '0'],
    ['x < 5', '1'],
    ['x >= 4', '1'],
    ['x > 4', '0'],
    ['level = "ERROR"', '1'],
    ['level = "error"', '0'], // comparison is case-sensitive
    ['level < "INFO"', '1'],
    ['missing = 1', '0'],
    ['missing != 1', '0'], // a missing field compares as nothing
    ['x = 4 and level = "ERROR"', '1'],
    ['x = 5 or level = "ERROR"', '1'],
    ['not x = 4', '0'],
    ['not missing', '1'],
    ['level in ["ERROR", "FATAL"]', '1'],
    ['level not in ["ERROR", "FATAL"]', '0'],
    ['x in [1, 2, 4]', '1'],
    ['missing in [1]', '0'],
    ['message like "Exception"', '1'],
    ['message like "exception"', '0'],
    ['message like /Excep.ion/', '1'],
    ['message like /(?i)exception/', '1'], // the filter page's case-insensitive example
    ['message not like /Exception/', '0'],
    ['message =~ /^Null/', '1'],
    ['message =~ /^Exception/', '0'],
    ['res.statusCode like /5\\d\\d/', '1'], // the filter page: statusCode like /2\d\d/
  ])('%s → %s', (expr, expected) => {
    expect(
      value(expr, { x: 4, level: 'ERROR', message: 'NullPointerException at x', res: { statusCode: 503 } }),
    ).toBe(expected);
  });
});
