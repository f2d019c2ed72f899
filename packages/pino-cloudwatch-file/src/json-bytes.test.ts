import { allStrings } from 'pino-cloudwatch-test-support';
import { bytesOf, bytesStringEnd, bytesValueEnd, matchBytes } from './json-bytes';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');

function isJsonLiteral(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value === null || typeof value === 'number' || typeof value === 'boolean';
  } catch {
    return false;
  }
}

describe('bytesValueEnd reads literals as JSON.parse does', () => {
  it('for every text of up to 5 characters over the characters of numbers', () => {
    let accepted = 0;
    let checked = 0;
    for (const literal of allStrings('019-+.eE', 5)) {
      const expected = isJsonLiteral(literal) ? literal.length : -1;
      if (bytesValueEnd(b(`${literal},`), 0, literal.length + 1) !== expected) {
        throw new Error(`bytesValueEnd disagrees with JSON.parse on ${literal}`);
      }
      if (expected !== -1) accepted++;
      checked++;
    }
    expect(checked).toBeGreaterThan(30_000);
    expect(accepted).toBeGreaterThan(1_000);
  });

  it.each(['true', 'false', 'null', 'tru', 'nulll', 'falsey', 'truE', 'nan', '-true', '1.5e+300', '-0.0e-0'])(
    'for %s',
    (literal) => {
      const expected = isJsonLiteral(literal) ? literal.length : -1;
      expect(bytesValueEnd(b(`${literal}}`), 0, literal.length + 1)).toBe(expected);
    },
  );
});

describe('bytesValueEnd on strings', () => {
  // A string ends at its first quote not escaped by a backslash (escapes themselves are not checked).
  const STRING = /^"(?:[^"\\]|\\.)*"/s;

  it('ends every text of up to 6 characters over quotes, backslashes and letters where the pattern of a string ends', () => {
    let checked = 0;
    for (const rest of allStrings('"\\an,}', 6)) {
      const text = `"${rest}`;
      const match = STRING.exec(text);
      const expected = match === null ? -1 : match[0].length;
      if (bytesValueEnd(b(text), 0, b(text).length) !== expected) {
        throw new Error(`bytesValueEnd disagrees on ${JSON.stringify(text)}`);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(50_000);
  });
});

describe('bytesValueEnd', () => {
  it.each([
    ['a string', '"a",', 0, 3],
    ['true', 'true,', 0, 4],
    ['null before a brace', 'null}', 0, 4],
    ['a number with fraction and exponent', '-12.5e3,', 0, 7],
    ['an object with braces in strings', '{"a":[1,{"b":"}"}]},', 0, 19],
    ['an object with more braces in strings', '{"a":"}","b":[1,{"c":"]"}]},', 0, 27],
    ['nested arrays', '[[],[[]]]', 0, 9],
    ['a value after a key', 'x:123}', 2, 5],
    ['a string with an escaped quote', '"a\\"b",', 0, 6],
    ['a string ending in an escaped backslash', '"a\\\\",', 0, 5],
    ['a long string (native search)', `"${'x'.repeat(100)}\\"${'y'.repeat(50)}",`, 0, 154],
    ['a number at the limit', '12', 0, 2],
  ])('finds the end of %s', (_what, text, start, end) => {
    expect(bytesValueEnd(b(text), start, b(text).length)).toBe(end);
  });

  it.each([
    ['', 0],
    [',', 0],
    ['}', 0],
    ['tru,', 0],
    ['"abc', 0],
    ['{"a":1', 0],
    ['[1,2', 0],
  ])('returns -1 for %j at %p', (text, start) => {
    expect(bytesValueEnd(b(text), start, b(text).length)).toBe(-1);
  });

  it('counts bytes, not characters, in multi-byte text', () => {
    const text = '"héllo 🚀",';
    expect(bytesValueEnd(b(text), 0, b(text).length)).toBe(b('"héllo 🚀"').length);
  });

  it('never reads past the limit', () => {
    expect(bytesValueEnd(b('"abc" and later "'), 0, 3)).toBe(-1);
    expect(bytesStringEnd(b(`"${'x'.repeat(40)}"`), 0, 30)).toBe(-1);
    expect(bytesValueEnd(b('{"a":1}'), 0, 5)).toBe(-1);
    expect(bytesValueEnd(b('123,'), 0, 2)).toBe(-1);
  });
});

describe('bytesStringEnd', () => {
  it.each([
    ['"abc"', 0, 4],
    ['""', 0, 1],
    ['x"ab"', 1, 4],
    ['"a\\"b"', 0, 5],
    ['"a\\\\"', 0, 4],
    ['"a\\\\\\"b"', 0, 7],
    ['"😀"', 0, 5],
    [`"${'z'.repeat(60)}\\"${'w'.repeat(60)}"`, 0, 123],
  ])('finds the closing quote of %s opened at %p', (text, open, end) => {
    const bytes = b(text);
    expect(bytesStringEnd(bytes, open, bytes.length)).toBe(end);
  });

  it.each(['"abc', '"a\\"', '"', '"\\\\\\"'])('bytesStringEnd returns -1 for the unterminated %s', (text) => {
    expect(bytesStringEnd(b(text), 0, b(text).length)).toBe(-1);
  });
});

describe('matchBytes', () => {
  it('compares UTF-8 bytes', () => {
    expect(matchBytes(b('x,"msg":"'), 1, bytesOf(',"msg":"'))).toBe(true);
    expect(matchBytes(b(',"mség":'), 0, bytesOf(',"mség":'))).toBe(true);
    expect(matchBytes(b(',"mseg":'), 0, bytesOf(',"mség":'))).toBe(false);
    expect(matchBytes(b(',"ms'), 0, bytesOf(',"msg":"'))).toBe(false);
  });
});
