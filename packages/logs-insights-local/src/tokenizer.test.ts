import { QueryError } from './query-error';
import { tokenize } from './tokenizer';

const kinds = (query: string) => tokenize(query).map((token) => [token.kind, token.value]);

describe('tokenize', () => {
  it('reads names with dots, @ and dashes, strings in both quotes, numbers, periods and operators', () => {
    expect(
      kinds(
        `fields @@timestamp, res.statusCode, \`request-id\` | filter x >= 1.5 and y != 'a\\'b' | stats count(*) by bin(5m)`,
      ),
    ).toEqual([
      ['identifier', 'fields'],
      ['identifier', '@@timestamp'],
      ['operator', ','],
      ['identifier', 'res.statusCode'],
      ['operator', ','],
      ['identifier', 'request-id'],
      ['operator', '|'],
      ['identifier', 'filter'],
      ['identifier', 'x'],
      ['operator', '>='],
      ['number', '1.5'],
      ['identifier', 'and'],
      ['identifier', 'y'],
      ['operator', '!='],
      ['string', "a'b"],
      ['operator', '|'],
      ['identifier', 'stats'],
      ['identifier', 'count'],
      ['operator', '('],
      ['operator', '*'],
      ['operator', ')'],
      ['identifier', 'by'],
      ['identifier', 'bin'],
      ['operator', '('],
      ['duration', '5m'],
      ['operator', ')'],
      ['end', ''],
    ]);
  });

  it('tells a regex from a division by what comes before the slash', () => {
    expect(kinds('filter @message like /a\\/b[/]c/i')).toEqual([
      ['identifier', 'filter'],
      ['identifier', '@message'],
      ['identifier', 'like'],
      ['regex', 'a\\/b[/]c'],
      ['end', ''],
    ]);
    expect(tokenize('filter @message like /x/i')[3].extra).toBe('i');
    expect(kinds('fields a / 2')).toEqual([
      ['identifier', 'fields'],
      ['identifier', 'a'],
      ['operator', '/'],
      ['number', '2'],
      ['end', ''],
    ]);
  });

  it('skips # comments and keeps offsets into the query', () => {
    const tokens = tokenize('# latest errors\nfilter level = "ERROR" # only errors\n| limit 5');
    expect(tokens.map((token) => token.value)).toEqual([
      'filter',
      'level',
      '=',
      'ERROR',
      '|',
      'limit',
      '5',
      '',
    ]);
    expect(tokens[0].offset).toBe(16);
    expect(tokens[3].offset).toBe(31);
  });

  it('reads `backtick` names as field names, whatever they hold, and @`name` as a system field', () => {
    const [, field] = tokenize('fields `my field-1`');
    expect(field).toMatchObject({ kind: 'identifier', value: 'my field-1', extra: '`' });
    // The special characters page: filter @`aws.tag.aws:cloudformation:stack-name` = "my-stack"
    expect(kinds('filter @`aws.tag.aws:cloudformation:stack-name` = "my-stack"')).toEqual([
      ['identifier', 'filter'],
      ['identifier', '@aws.tag.aws:cloudformation:stack-name'],
      ['operator', '='],
      ['string', 'my-stack'],
      ['end', ''],
    ]);
  });

  it('a - is always a minus outside backticks (`foo-bar` needs them, the special characters page)', () => {
    expect(kinds('fields a - b, a -1, a-b')).toEqual([
      ['identifier', 'fields'],
      ['identifier', 'a'],
      ['operator', '-'],
      ['identifier', 'b'],
      ['operator', ','],
      ['identifier', 'a'],
      ['operator', '-'],
      ['number', '1'],
      ['operator', ','],
      ['identifier', 'a'],
      ['operator', '-'],
      ['identifier', 'b'],
      ['end', ''],
    ]);
  });

  it.each([
    ['filter x = "open', 11, 'unterminated string'],
    ['filter x like /open', 14, 'unterminated regular expression'],
    ['fields `open', 7, 'unterminated `quoted field name`'],
    ['fields a; b', 8, 'unexpected character ";"'],
  ])('%s is an error at offset %i', (query, offset, message) => {
    let error: unknown;
    try {
      tokenize(query);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ offset, message });
  });
});
