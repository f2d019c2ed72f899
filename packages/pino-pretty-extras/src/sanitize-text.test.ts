import { isUnsafeChar, sanitizeText } from './sanitize-text';

/** Every character the console escapes, by family. */
const UNSAFE = {
  'C0 controls': ['\u0000', '\u0007', '\u0008', '\t', '\n', '\u000b', '\u000c', '\r', '\u001b', '\u001f'],
  DEL: ['\u007f'],
  'C1 controls (U+009B is an 8-bit CSI)': ['\u0080', '\u0085', '\u008d', '\u009b', '\u009d', '\u009f'],
  'bidi embeddings and overrides': ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e'],
  'bidi isolates': ['\u2066', '\u2067', '\u2068', '\u2069'],
  'bidi marks': ['\u200e', '\u200f', '\u061c'],
  'line and paragraph separators': ['\u2028', '\u2029'],
};

describe('isUnsafeChar', () => {
  it.each(Object.entries(UNSAFE))('is true for %s', (_family, chars) => {
    for (const char of chars) expect([char, isUnsafeChar(char.charCodeAt(0))]).toEqual([char, true]);
  });

  it.each([
    ' ',
    'a',
    '~',
    '|',
    '\u00a0',
    'é',
    '\u00ad',
    '\u200b',
    '\u200d',
    '\u2027',
    '\u202f',
    '\u2065',
    '\u206a',
    '\ufeff',
  ])('is false for %j', (char) => {
    expect(isUnsafeChar(char.charCodeAt(0))).toBe(false);
  });
});

describe('sanitizeText', () => {
  it('leaves safe text as it is (the same string)', () => {
    const text = 'GET /users?id=1 → café 🙂 a|b';
    expect(sanitizeText(text)).toBe(text);
  });

  it('escapes newlines, carriage returns and tabs by name, other unsafe characters as \\uXXXX', () => {
    expect(sanitizeText('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(sanitizeText('\u001b[2J\u009b2J\u202eevil\u2066\u2028\u007f\u200f')).toBe(
      '\\u001b[2J\\u009b2J\\u202eevil\\u2066\\u2028\\u007f\\u200f',
    );
  });

  it.each(Object.entries(UNSAFE))('leaves no %s', (_family, chars) => {
    const escaped = sanitizeText(`x${chars.join('y')}z`);
    for (let i = 0; i < escaped.length; i++) expect(isUnsafeChar(escaped.charCodeAt(i))).toBe(false);
  });
});
