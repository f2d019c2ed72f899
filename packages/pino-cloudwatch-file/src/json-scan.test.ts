import { readObject, splitObject } from './json-scan';

/** Runs readObject and returns the pairs it found, as texts, or false. */
function scan(text: string): [string, string][] | false {
  const pairs: number[] = [];
  const bytes = readObject(text, Buffer.from(text, 'utf8'), pairs);
  if (bytes === undefined) return false;
  expect(pairs.length % 4).toBe(0);
  const found: [string, string][] = [];
  for (let p = 0; p < pairs.length; p += 4) {
    expect(bytes[pairs[p] - 1]).toBe(0x22); // the key's opening quote
    found.push([
      bytes.toString('utf8', pairs[p], pairs[p + 1]),
      bytes.toString('utf8', pairs[p + 2], pairs[p + 3]),
    ]);
  }
  return found;
}

/** Whether splitObject splits the text (compact objects only). */
const splits = (text: string): boolean =>
  splitObject(Buffer.from(text, 'utf8'), 0, Buffer.byteLength(text), []);

describe('readObject splits compact objects', () => {
  it.each<[string, string, [string, string][]]>([
    ['the empty object', '{}', []],
    ['one number', '{"a":1}', [['a', '1']]],
    [
      'a pino record',
      '{"level":30,"time":1765629045123,"pid":1,"hostname":"h","msg":"GET /"}',
      [
        ['level', '30'],
        ['time', '1765629045123'],
        ['pid', '1'],
        ['hostname', '"h"'],
        ['msg', '"GET /"'],
      ],
    ],
    [
      'every literal',
      '{"t":true,"f":false,"n":null,"z":0,"neg":-1.5e+10,"e":1E5,"h":0.5,"m":-0}',
      [
        ['t', 'true'],
        ['f', 'false'],
        ['n', 'null'],
        ['z', '0'],
        ['neg', '-1.5e+10'],
        ['e', '1E5'],
        ['h', '0.5'],
        ['m', '-0'],
      ],
    ],
    ['escaped quotes in a value', '{"a":"say \\"hi\\""}', [['a', '"say \\"hi\\""']]],
    [
      'a value ending in an escaped backslash',
      '{"a":"C:\\\\","b":1}',
      [
        ['a', '"C:\\\\"'],
        ['b', '1'],
      ],
    ],
    ['an escaped backslash before an escaped quote', '{"a":"x\\\\\\"y"}', [['a', '"x\\\\\\"y"']]],
    ['an escaped quote in a key', '{"we\\"ird":1}', [['we\\"ird', '1']]],
    ['a key ending in a backslash', '{"k\\\\":1}', [['k\\\\', '1']]],
    [
      'nested objects and arrays with braces inside strings',
      '{"req":{"url":"/a{b}","h":{"x":"}"}},"arr":[1,"]",{"y":"[{"}],"z":2}',
      [
        ['req', '{"url":"/a{b}","h":{"x":"}"}}'],
        ['arr', '[1,"]",{"y":"[{"}]'],
        ['z', '2'],
      ],
    ],
    [
      'unicode as is and escaped',
      '{"msg":"héllo 😀 \u2028","ключ":"значение","esc":"\\u00e9\\n"}',
      [
        ['msg', '"héllo 😀 \u2028"'],
        ['ключ', '"значение"'],
        ['esc', '"\\u00e9\\n"'],
      ],
    ],
    [
      'commas and colons inside strings',
      '{"a":"x,y:z}","b":"{"}',
      [
        ['a', '"x,y:z}"'],
        ['b', '"{"'],
      ],
    ],
    [
      'an empty key and an empty string',
      '{"":1,"a":""}',
      [
        ['', '1'],
        ['a', '""'],
      ],
    ],
    [
      'empty nested values',
      '{"o":{},"a":[]}',
      [
        ['o', '{}'],
        ['a', '[]'],
      ],
    ],
  ])('splits %s', (_what, text, pairs) => {
    // Act
    const result = scan(text);
    // Assess: the raw pairs, which rebuild the text and decode like JSON.parse does
    expect(result).toEqual(pairs);
    expect(`{${pairs.map(([k, v]) => `"${k}":${v}`).join(',')}}`).toBe(text);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    for (const [k, v] of pairs) expect(JSON.parse(v)).toEqual(parsed[JSON.parse(`"${k}"`) as string]);
  });

  it('keeps both pairs of a duplicate key, in order', () => {
    expect(scan('{"a":1,"a":2}')).toEqual([
      ['a', '1'],
      ['a', '2'],
    ]);
  });

  it('empties the pairs it is given before filling them', () => {
    const pairs = [7, 7, 7, 7];
    expect(readObject('{"a":1}', Buffer.from('{"a":1}'), pairs)).toBeDefined();
    expect(pairs).toEqual([2, 3, 5, 6]);
    expect(readObject('{}', Buffer.from('{}'), pairs)).toBeDefined();
    expect(pairs).toEqual([]);
  });

  it('splits a range of a larger buffer, with offsets into it', () => {
    const bytes = Buffer.from('xx{"a":"é","b":[1]}yy');
    const pairs: number[] = [];
    expect(splitObject(bytes, 2, bytes.length - 2, pairs)).toBe(true);
    expect(pairs).toEqual([4, 5, 7, 11, 13, 14, 16, 19]);
  });

  it('splits what JSON.stringify writes for many kinds of values', () => {
    const record = {
      level: 30,
      nested: { a: [1, { b: '}]"\\' }], c: null },
      text: 'line1\nline2\t"quoted"\\',
      emoji: '😀',
      big: 1.7976931348623157e308,
      small: 5e-324,
    };
    const text = JSON.stringify(record);
    const result = scan(text);
    expect(result).not.toBe(false);
    expect(Object.fromEntries((result as [string, string][]).map(([k, v]) => [k, JSON.parse(v)]))).toEqual(
      record,
    );
  });
});

describe('readObject reads an object written with white space', () => {
  it.each([
    ['a space after the brace', '{ "a":1}', [['a', '1']]],
    ['a space after the colon', '{"a": 1}', [['a', '1']]],
    ['a space before the brace', '{"a":1 }', [['a', '1']]],
    ['a space before the colon', '{"a" :1}', [['a', '1']]],
    [
      'a space after a comma',
      '{"a":1, "b":2}',
      [
        ['a', '1'],
        ['b', '2'],
      ],
    ],
    ['leading space', ' {"a":1}', [['a', '1']]],
    ['trailing space', '{"a":1} ', [['a', '1']]],
    ['a newline inside', '{\n"a":1}', [['a', '1']]],
    ['a trailing newline', '{"a":1}\n', [['a', '1']]],
    [
      'pretty-printed JSON',
      JSON.stringify({ a: 1, b: [1, { c: 'x y' }] }, null, 2),
      [
        ['a', '1'],
        ['b', '[1,{"c":"x y"}]'],
      ],
    ],
    [
      'values JSON.stringify writes otherwise',
      '{ "n": 1.50, "e": "\\u00e9" }',
      [
        ['n', '1.5'],
        ['e', '"é"'],
      ],
    ],
  ])('as its compact text: %s', (_what, text, pairs) => {
    // The split alone refuses it; readObject parses it once and splits what JSON.stringify writes.
    expect(splits(text)).toBe(false);
    expect(scan(text)).toEqual(pairs);
  });
});

describe('readObject parses a line at most once', () => {
  it.each([
    ['a compact object', '{"a":1}', true],
    ['a compact object with a bad nested value', '{"a":{oops}}', false],
    ['an object with white space', '{ "a": 1 }', true],
    ['an object with white space and a bad value', '{ "a": tru }', false],
    ['text that is not an object', 'plain', false],
  ])('%s', (_what, text, read) => {
    const parse = jest.spyOn(JSON, 'parse');
    try {
      expect(scan(text) !== false).toBe(read);
      expect(parse.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      parse.mockRestore();
    }
  });
});

describe('splitObject and readObject refuse what is not one JSON object', () => {
  it.each([
    ['text after the object', '{"a":1}x'],
    ['an extra closing brace', '{"a":1}}'],
    ['two objects', '{"a":1}{"b":2}'],
    ['two objects with a comma', '{"a":1},{"b":2}'],
  ])('with trailing garbage: %s', (_what, text) => {
    expect(splits(text)).toBe(false);
    expect(scan(text)).toBe(false);
  });

  it.each(['[]', '[1,2]', '[{"a":1}]', '', '{', '}', 'null', '"x"', '1', 'true', 'hello', '{}{}'])(
    'that is not an object: %j',
    (text) => {
      expect(splits(text)).toBe(false);
      expect(scan(text)).toBe(false);
    },
  );

  it.each([
    '{"a":1',
    '{"a":"b',
    '{"a":"b}',
    '{"a":{"b":1}',
    '{"a":[1,2}',
    '{"a',
    '{"a"}',
    '{"a":}',
    '{"a":"x\\"}',
    '{"a":1,}',
    '{,"a":1}',
    '{"a"1}',
    '{"a"::1}',
    '{"a":1,,"b":2}',
    '{"a":1;"b":2}',
    "{'a':1}",
    '{a:1}',
  ])('that is truncated or malformed: %j', (text) => {
    expect(splits(text)).toBe(false);
    expect(scan(text)).toBe(false);
  });

  it.each([
    'tru',
    'True',
    'nul',
    'undefined',
    'NaN',
    'Infinity',
    '01',
    '1.',
    '.5',
    '+1',
    '-',
    '1e',
    '0x10',
    '1_000',
    '12abc',
    '"a"b',
  ])('with the bad literal %s', (literal) => {
    expect(splits(`{"a":${literal}}`)).toBe(false);
    expect(scan(`{"a":${literal}}`)).toBe(false);
    expect(scan(`{"level":30,"a":${literal},"b":1}`)).toBe(false);
  });

  // Regression (fixed): the split only balances nested values and checks neither string escapes nor
  // raw control characters. Without readObject's JSON.parse these texts, which are not JSON, were
  // copied into the output line as invalid JSON (shape('{"msg":"x","a":{oops}}') ->
  // `...,"message":"x","a":{oops}}`), although the contract says input that is not a JSON record is
  // written as a valid record with the raw text as message.
  test.each([
    ['an unquoted word in a nested object', '{"msg":"x","a":{oops}}'],
    ['a trailing comma in a nested array', '{"a":[1,}}'],
    ['mismatched brackets', '{"a":[1}}'],
    ['a bad literal in a nested array', '{"a":[tru]}'],
    ['an invalid escape', '{"a":"\\q"}'],
    ['a raw tab inside a string', '{"a":"tab\there"}'],
  ])('refuses %s, which JSON.parse refuses', (_what, text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(splits(text)).toBe(true); // the split only balances nested values: the parse refuses it
    expect(scan(text)).toBe(false);
  });
});
