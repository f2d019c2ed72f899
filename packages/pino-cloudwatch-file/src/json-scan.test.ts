import { scanObject } from './json-scan';

/** Runs scanObject and returns the pairs it found, or false. */
function scan(text: string): [string, string][] | false {
  const keys: string[] = [];
  const values: string[] = [];
  if (!scanObject(text, keys, values)) return false;
  expect(values).toHaveLength(keys.length);
  return keys.map((k, i) => [k, values[i]]);
}

describe('scanObject accepts compact objects', () => {
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

  it('empties the arrays it is given before filling them', () => {
    const keys = ['stale'];
    const values = ['stale'];
    expect(scanObject('{"a":1}', keys, values)).toBe(true);
    expect(keys).toEqual(['a']);
    expect(values).toEqual(['1']);
    expect(scanObject('{}', keys, values)).toBe(true);
    expect(keys).toEqual([]);
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

describe('scanObject refuses what is not one compact object', () => {
  it.each([
    ['a space after the brace', '{ "a":1}'],
    ['a space after the colon', '{"a": 1}'],
    ['a space before the brace', '{"a":1 }'],
    ['a space before the colon', '{"a" :1}'],
    ['a space after a comma', '{"a":1, "b":2}'],
    ['leading space', ' {"a":1}'],
    ['trailing space', '{"a":1} '],
    ['a newline inside', '{\n"a":1}'],
    ['a trailing newline', '{"a":1}\n'],
    ['pretty-printed JSON', JSON.stringify({ a: 1, b: [1] }, null, 2)],
  ])('with white space: %s', (_what, text) => {
    expect(scan(text)).toBe(false);
  });

  it.each([
    ['text after the object', '{"a":1}x'],
    ['an extra closing brace', '{"a":1}}'],
    ['two objects', '{"a":1}{"b":2}'],
    ['two objects with a comma', '{"a":1},{"b":2}'],
  ])('with trailing garbage: %s', (_what, text) => {
    expect(scan(text)).toBe(false);
  });

  it.each(['[]', '[1,2]', '[{"a":1}]', '', '{', '}', 'null', '"x"', '1', 'true', 'hello', '{}{}'])(
    'that is not an object: %j',
    (text) => {
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
    expect(scan(`{"a":${literal}}`)).toBe(false);
    expect(scan(`{"level":30,"a":${literal},"b":1}`)).toBe(false);
  });

  // Regression (fixed): nested values are only matched for brackets and strings, never validated, and
  // string escapes and raw control characters are not checked. These texts are not JSON, yet scanObject
  // accepts them, so RecordShaper.shape() copies them into the output line and writes invalid JSON
  // (e.g. shape('{"msg":"x","a":{oops}}') -> `...,"message":"x","a":{oops}}`), although the contract says
  // input that is not a JSON record is written as a valid record with the raw text as message.
  test.each([
    ['an unquoted word in a nested object', '{"msg":"x","a":{oops}}'],
    ['a trailing comma in a nested array', '{"a":[1,}}'],
    ['mismatched brackets', '{"a":[1}}'],
    ['a bad literal in a nested array', '{"a":[tru]}'],
    ['an invalid escape', '{"a":"\\q"}'],
    ['a raw tab inside a string', '{"a":"tab\there"}'],
  ])('refuses %s, which JSON.parse refuses', (_what, text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(scan(text)).toBe(false);
  });
});
