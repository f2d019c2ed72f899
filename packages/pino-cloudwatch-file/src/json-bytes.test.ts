import { bytesOf, bytesStringEnd, bytesStringStart, bytesValueEnd, matchBytes } from './json-bytes';
import { stringEnd, valueEnd } from './json-scan';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Every string of up to `max` characters over `alphabet`. */
function* strings(alphabet: string, max: number): Generator<string> {
  let level = [''];
  for (let n = 1; n <= max; n++) {
    const next: string[] = [];
    for (const prefix of level) for (const c of alphabet) next.push(prefix + c);
    yield* next;
    level = next;
  }
}

function isJsonLiteral(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value === null || typeof value === 'number' || typeof value === 'boolean';
  } catch {
    return false;
  }
}

describe('both scanners read literals as JSON.parse does', () => {
  it('for every text of up to 5 characters over the characters of numbers', () => {
    let accepted = 0;
    let checked = 0;
    for (const literal of strings('019-+.eE', 5)) {
      const expected = isJsonLiteral(literal) ? literal.length : -1;
      if (
        valueEnd(`${literal},`, 0) !== expected ||
        bytesValueEnd(b(`${literal},`), 0, literal.length + 1) !== expected
      ) {
        throw new Error(`a scanner disagrees with JSON.parse on ${literal}`);
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
      expect(valueEnd(`${literal}}`, 0)).toBe(expected);
      expect(bytesValueEnd(b(`${literal}}`), 0, literal.length + 1)).toBe(expected);
    },
  );
});

describe('bytesValueEnd agrees with the text scanner (json-scan valueEnd)', () => {
  it('on every text of up to 5 characters over the characters of numbers, literals and strings', () => {
    let checked = 0;
    for (const value of strings('01-.eE"\\tn{}[],', 5)) {
      for (const after of [',', '}']) {
        const text = value + after;
        const bytes = b(text);
        if (bytesValueEnd(bytes, 0, bytes.length) !== valueEnd(text, 0)) {
          throw new Error(`disagree on ${JSON.stringify(text)}`);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1_000_000);
  });

  it.each([
    ['a string', '"abc",', 5],
    ['a string with an escaped quote', '"a\\"b",', 6],
    ['a string ending in an escaped backslash', '"a\\\\",', 5],
    ['a long string (native search)', `"${'x'.repeat(100)}\\"${'y'.repeat(50)}",`, 154],
    ['an object with braces in strings', '{"a":"}","b":[1,{"c":"]"}]},', 27],
    ['true', 'true,', 4],
    ['a number at the limit', '12', 2],
  ])('%s', (_what, text, end) => {
    expect(bytesValueEnd(b(text), 0, b(text).length)).toBe(end);
    expect(valueEnd(text, 0)).toBe(end);
  });

  it('counts bytes, not characters, in multi-byte text', () => {
    const text = '"héllo 🚀",';
    expect(bytesValueEnd(b(text), 0, b(text).length)).toBe(b('"héllo 🚀"').length);
  });

  it('never reads past the limit', () => {
    const text = '"abc" and later "';
    expect(bytesValueEnd(b(text), 0, 3)).toBe(-1);
    expect(bytesStringEnd(b(`"${'x'.repeat(40)}"`), 0, 30)).toBe(-1);
    expect(bytesValueEnd(b('{"a":1}'), 0, 5)).toBe(-1);
    expect(bytesValueEnd(b('123,'), 0, 2)).toBe(-1);
  });
});

describe('bytesStringEnd / bytesStringStart', () => {
  it.each(['"abc"', '""', '"a\\"b"', '"a\\\\"', '"x\\\\\\"y"', `"${'z'.repeat(60)}\\"${'w'.repeat(60)}"`])(
    'find the quotes of %s',
    (text) => {
      const bytes = b(`x${text}y`);
      expect(bytesStringEnd(bytes, 1, bytes.length)).toBe(stringEnd(`x${text}y`, 1));
      expect(bytesStringStart(bytes, text.length, 0)).toBe(1);
    },
  );

  it('refuses a floor after the opening quote', () => {
    expect(bytesStringStart(b('"abc"'), 4, 1)).toBe(-1);
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
