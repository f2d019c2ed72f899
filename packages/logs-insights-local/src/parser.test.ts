import { REFUSED_COMMANDS, REFUSED_FUNCTIONS } from './catalog';
import { parseQuery } from './parser';
import { QueryError } from './query-error';

function errorOf(query: string): QueryError {
  try {
    parseQuery(query);
  } catch (err) {
    if (err instanceof QueryError) return err;
    throw err;
  }
  throw new Error(`no error for ${query}`);
}

describe('parseQuery', () => {
  it('splits commands at | and names columns by alias, field name or text', () => {
    const query = parseQuery(
      'fields @timestamp, toMillis(@ingestionTime) - toMillis(@timestamp) as delivery_ms, strlen( message )\n| sort @timestamp desc | limit 50',
    );
    expect(query.commands.map((command) => command.kind)).toEqual(['fields', 'sort', 'limit']);
    const [fields, sort, limit] = query.commands;
    expect(fields.kind === 'fields' && fields.items.map((item) => item.name)).toEqual([
      '@timestamp',
      'delivery_ms',
      'strlen( message )',
    ]);
    expect(sort).toMatchObject({ keys: [{ expr: { type: 'field', name: '@timestamp' }, descending: true }] });
    expect(limit).toMatchObject({ count: 50 });
  });

  it('gives operators their precedence: or < and < not < comparison < + - < * / % < ^ < unary -', () => {
    const [filter] = parseQuery('filter a = 1 or not b > 2 and c + 2 * 3 ^ 2 < -d').commands;
    expect(filter).toMatchObject({
      expr: {
        op: 'or',
        left: { op: '=' },
        right: {
          op: 'and',
          left: { type: 'not', operand: { op: '>' } },
          right: {
            op: '<',
            left: { op: '+', right: { op: '*', right: { op: '^' } } },
            right: { type: 'negate' },
          },
        },
      },
    });
  });

  it('reads like / not like / =~ / in / not in', () => {
    const [filter] = parseQuery(
      'filter a like /x/ and b not like "y" and c =~ /z/ and d in [1, "2"] and e not in ["f"]',
    ).commands;
    expect(filter).toMatchObject({
      expr: {
        left: {
          left: {
            left: { left: { type: 'like', negated: false }, right: { type: 'like', negated: true } },
            right: { op: '=~', right: { type: 'regex' } },
          },
          right: {
            type: 'in',
            negated: false,
            list: { type: 'list', items: [{ value: 1 }, { value: '2' }] },
          },
        },
        right: { type: 'in', negated: true },
      },
    });
  });

  it('reads stats with aggregates, aliases and groups, bin() among them', () => {
    const [stats] = parseQuery(
      'stats count(*) as requests, pct(ms, 95), sum(x) / count(*) as mean by bin(5m) as period, res.statusCode',
    ).commands;
    expect(stats).toMatchObject({
      kind: 'stats',
      items: [{ name: 'requests' }, { name: 'pct(ms, 95)' }, { name: 'mean' }],
      groups: [
        { name: 'period', expr: { type: 'call', name: 'bin', args: [{ type: 'period', text: '5m' }] } },
        { name: 'res.statusCode' },
      ],
    });
  });

  it('reads parse with a glob (default field @message) and with a regex of named groups', () => {
    const [glob] = parseQuery('parse "* [*] *" as loggingTime, loggingType, loggingMessage').commands;
    expect(glob).toMatchObject({
      kind: 'parse',
      source: { name: '@message' },
      names: ['loggingTime', 'loggingType', 'loggingMessage'],
    });
    const [regex] = parseQuery('parse message /^(?<method>[A-Z]+) (?<route>\\S+)/').commands;
    expect(regex).toMatchObject({ source: { name: 'message' }, names: ['method', 'route'] });
  });

  it('reads dedup, limit any, asc/desc and case-insensitive keywords', () => {
    const commands = parseQuery(
      'FILTER Level = "x" AND a IN [1] | SORT a ASC, b | dedup a, b | limit any 3',
    ).commands;
    expect(commands).toMatchObject([
      { kind: 'filter' },
      { kind: 'sort', keys: [{ descending: false }, { descending: false }] },
      { kind: 'dedup', fields: [{ name: 'a' }, { name: 'b' }] },
      { kind: 'limit', count: 3 },
    ]);
  });

  it.each([
    ['pattern @message', 'pattern is a Logs Insights command that logs-insights does not run', 0],
    ['filter x = 1 | diff', 'diff is a Logs Insights command that logs-insights does not run', 15],
    ['anomaly', 'anomaly is a Logs Insights command', 0],
    ['SOURCE logGroups(namePrefix: ["/app"]) | fields x', 'SOURCE is a Logs Insights command', 0],
    ['unmask(@message)', 'unmask is a Logs Insights command', 0],
    ['filterIndex region = "x"', 'filterIndex is a Logs Insights command', 0],
    [
      'fields jsonParse(@message) as j',
      'jsonParse() is a Logs Insights function that logs-insights does not run',
      7,
    ],
    ['frobnicate x', 'unknown command "frobnicate"', 0],
    ['fields nosuch(x)', 'unknown function nosuch()', 7],
    ['fields count(*)', 'count() is an aggregate function: use it in stats', 7],
    ['stats x by y', 'stats needs an aggregate function here', 6],
    ['stats count(*) by count(*)', 'an aggregate function cannot be a group', 18],
    ['fields a = = 2', 'expected a value, got "="', 11],
    ['fields (a', 'expected ), got the end of the query', 9],
    ['limit 0', 'limit takes a whole number of rows', 6],
    ['stats count(*) by bin(5parsecs)', 'invalid period "5parsecs"', 22],
    ['parse @message "* *" as a', 'the pattern has 2 * but 1 field names', 15],
    ['parse @message /(\\d+)/', 'needs named groups', 15],
    ['fields substr(x)', 'substr() takes 2 to 3 argument(s), got 1', 7],
    ['filter x like /(/', 'invalid regular expression', 14],
    ['', 'the query is empty', 0],
    ['fields a b', 'unexpected "b"; commands are separated by |', 9],
    ['fields a | dedup a | sort a', 'only limit can follow dedup, not sort', 21],
    ['parse @message logfmt', 'parse in logfmt mode is not run by logs-insights', 15],
    ['parse CSV', 'parse in CSV mode is not run', 6],
    ['stats count(*) by bin(5m) offset 1h', 'stats ... by bin() offset (time-shifted bins) is not run', 26],
  ])('%s is refused: %s (offset %i)', (query, message, offset) => {
    const error = errorOf(query);
    expect(error.message).toContain(message);
    expect(error.offset).toBe(offset);
  });

  it.each(REFUSED_COMMANDS)('the command %s is refused by name, wherever it stands', (command) => {
    expect(errorOf(`${command} x`).message).toMatch(
      new RegExp(`^${command} is a Logs Insights command that logs-insights does not run`),
    );
    expect(errorOf(`filter a = 1 | ${command} x`).offset).toBe(15);
  });

  it.each(REFUSED_FUNCTIONS)('the function %s() is refused by name', (name) => {
    expect(errorOf(`fields ${name}(@message) as x`)).toMatchObject({
      message: `${name}() is a Logs Insights function that logs-insights does not run`,
      offset: 7,
    });
  });

  it.each([
    ['stats pct(response_time_ms, 101)', '101', 28],
    ['stats percentile(response_time_ms, -5)', '-5', 35],
    ['stats pct(response_time_ms, "p95")', '"p95"', 28],
    ['stats pct(response_time_ms, level)', 'level', 28],
  ])('%s: the percentile is a number from 0 to 100', (query, got, offset) => {
    expect(errorOf(query)).toMatchObject({
      message: expect.stringContaining(`takes the percentile as a number from 0 to 100, got ${got}`),
      offset,
    });
  });

  it.each([
    ['stats count(*) by bin(level)', 'bin() takes a period like 5m, 1h or 1d, got level', 22],
    ['fields datefloor(@timestamp, ms) as t', 'datefloor() takes a period like 5m, 1h or 1d, got ms', 29],
    ['fields dateceil(@timestamp, "abc") as t', 'invalid period "abc"', 28],
  ])('%s: the period is written in the query', (query, message, offset) => {
    expect(errorOf(query)).toMatchObject({ message: expect.stringContaining(message), offset });
  });

  it('points at the column with a caret line', () => {
    const query = 'fields @timestamp\n| filter level == "x"';
    expect(errorOf(query).describe(query)).toBe(
      'expected a value, got "=" (line 2, column 17)\n  | filter level == "x"\n                  ^',
    );
  });

  it('keeps the caret under the column after a tab, wide characters and a CRLF line end', () => {
    const query = 'fields @message\r\n|\tfilter message = "日本🙂e\u0301" and and\r\n| limit 5';
    const described = errorOf(query).describe(query).split('\n');
    expect(described).toEqual([
      'expected a value, got the keyword and (line 2, column 33)',
      '  |\tfilter message = "日本🙂e\u0301" and and',
      // `filter message = "` 18, 日本 4, 🙂 2, e and its accent 1, `" and ` 6
      `   \t${' '.repeat(18)}${' '.repeat(4)}  ${' '}${' '.repeat(6)}^`,
    ]);
  });
});
