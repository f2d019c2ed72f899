import { compactJson, formatValue, logfmtString, needsQuoting, truncateText } from './format-value';

describe('needsQuoting', () => {
  it.each([
    ['', true],
    ['plain', false],
    ['a b', true],
    ['a=b', true],
    ['a"b', true],
    ['a\tb', true],
    ['a\u007fb', true],
    ['a\u009bb', true],
    ['a\u202eb', true],
    ['a\u2028b', true],
    ['/path?q=1', true],
    ['/path?q', false],
    ['naïve', false],
  ])('%j → %s', (text, expected) => {
    expect(needsQuoting(text)).toBe(expected);
  });
});

describe('logfmtString', () => {
  it('quotes with JSON escapes', () => {
    expect(logfmtString('a "b"\n')).toBe('"a \\"b\\"\\n"');
    expect(logfmtString('ok')).toBe('ok');
  });

  it('escapes what JSON leaves as it is: DEL, C1 controls, bidi controls, line separators', () => {
    expect(logfmtString('a\u007f\u009b\u202e\u2066\u2028\u200e')).toBe(
      '"a\\u007f\\u009b\\u202e\\u2066\\u2028\\u200e"',
    );
  });
});

describe('truncateText', () => {
  it('cuts with a marker that tells how much is missing', () => {
    expect(truncateText('abcdef', 4)).toBe('abcd…[+2 chars]');
    expect(truncateText('abcd', 4)).toBe('abcd');
  });
});

describe('formatValue', () => {
  it('prints bigint, dates and symbols, and drops undefined and functions', () => {
    expect(formatValue(10n, 100, 3)).toBe('10');
    expect(formatValue(new Date(0), 100, 3)).toBe('1970-01-01T00:00:00.000Z');
    expect(formatValue(Symbol('s'), 100, 3)).toBe('Symbol(s)');
    expect(formatValue(undefined, 100, 3)).toBeUndefined();
    expect(formatValue(() => 1, 100, 3)).toBeUndefined();
  });
});

describe('compactJson', () => {
  it('caps depth and keeps JSON valid', () => {
    expect(compactJson([1, [2, [3, [4]]], { a: { b: 1 } }], 100, 2)).toBe(
      '[1,[2,"[Array]"],{"a":"[Object]"}]',
    );
  });

  it('writes undefined array items as null and skips undefined properties', () => {
    expect(compactJson([undefined, Number.NaN, 1n, new Date(0)], 100, 3)).toBe(
      '[null,null,"1","1970-01-01T00:00:00.000Z"]',
    );
    expect(compactJson({ a: undefined, b: () => 1, c: 1 }, 100, 3)).toBe('{"c":1}');
  });

  it('escapes DEL, C1 and bidi controls and line separators in strings and keys', () => {
    expect(compactJson({ 'k\u202e': ['\u009b2J', '\u2029'] }, 100, 3)).toBe(
      '{"k\\u202e":["\\u009b2J","\\u2029"]}',
    );
  });

  it('stops a huge array at the length cap', () => {
    const text = compactJson(
      Array.from({ length: 100_000 }, (_, i) => i),
      20,
      3,
    );
    expect(text).toBe('[0,1,2,3,4,5,6,7,8,9…[truncated]');
  });
});
