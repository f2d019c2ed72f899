import { fitToLimit, truncationMarker } from './truncate';

const CORE = {
  '@timestamp': '2025-12-13T12:30:45.123Z',
  level: 'INFO',
  logger: 'app',
  app: 'cw_demo',
  process: 'cw_demo',
  message: 'GET /',
};
const MARKED = /^([\s\S]*)…\[truncated (\d+) chars\]$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const line = (fields: Record<string, unknown>): string => JSON.stringify({ ...CORE, ...fields });
const bytes = (text: string): number => Buffer.byteLength(text);

/** Every string in a JSON value with its path, in document order. */
function strings(value: unknown, at = '$'): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
  return [];
}

/** The value with every string replaced by a placeholder: the shape that truncation must keep. */
function shape(value: unknown): unknown {
  if (typeof value === 'string') return 'S';
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return value;
}

/** The bytes a string takes in JSON.stringify's text, quotes excluded: what the longest-first rule measures. */
const textBytes = (value: string): number => bytes(JSON.stringify(value)) - 2;

/**
 * Checks every promise of fitToLimit for one input; returns the parsed result. `longestFirst`
 * compares string lengths as JSON.stringify writes them: leave it off for input written otherwise.
 */
function expectFitted(
  input: string,
  maxBytes: number,
  { longestFirst = true } = {},
): Record<string, unknown> {
  // Act
  const out = fitToLimit(input, maxBytes);
  // Assess: one valid JSON line within the limit, marked, nothing lost but string tails
  expect(bytes(out)).toBeLessThanOrEqual(maxBytes);
  expect(out).not.toContain('\n');
  const result = JSON.parse(out) as Record<string, unknown>;
  const original = JSON.parse(input) as Record<string, unknown>;
  expect(result.truncated).toBe(true);
  expect(shape(result)).toEqual(shape({ ...original, truncated: true }));
  expect(LONE_SURROGATE.test(out)).toBe(false);
  const before = new Map(strings(original));
  const cut: number[] = [];
  const kept: number[] = [];
  for (const [where, value] of strings(result)) {
    const was = before.get(where) as string;
    if (value === was) {
      kept.push(textBytes(was));
      continue;
    }
    const m = MARKED.exec(value);
    expect(m).not.toBeNull();
    const [, prefix, removed] = m as RegExpExecArray;
    expect(was.startsWith(prefix)).toBe(true);
    expect(prefix.length + Number(removed)).toBe(was.length);
    expect(value.length).toBeLessThan(was.length);
    expect(LONE_SURROGATE.test(value)).toBe(false); // not even one written as an escape
    cut.push(textBytes(was));
  }
  // Longest first (in bytes): every string that was cut was longer than every string left whole.
  if (longestFirst && cut.length > 0 && kept.length > 0) {
    expect(Math.min(...cut)).toBeGreaterThan(Math.max(...kept));
  }
  return result;
}

describe('fitToLimit', () => {
  it('writes the marker with the number of removed characters', () => {
    expect(truncationMarker(1234)).toBe('…[truncated 1234 chars]');
  });

  it.each([1024, 1500, 4096, 10_000, 100_000])('cuts one long message to fit %p bytes', (maxBytes) => {
    // Prepare
    const input = line({ message: 'm'.repeat(200_000), user_id: 123 });
    // Act
    const result = expectFitted(input, maxBytes);
    // Assess: the rest untouched, and the room used (within a few bytes of the limit)
    expect(result.user_id).toBe(123);
    expect(result['@timestamp']).toBe(CORE['@timestamp']);
    expect(bytes(fitToLimit(input, maxBytes))).toBeGreaterThan(maxBytes - 8);
  });

  it('cuts the longest strings first and leaves short ones whole', () => {
    // Prepare
    const input = line({ big: 'b'.repeat(50_000), medium: 'd'.repeat(3000), small: 's'.repeat(40), n: 1 });
    // Act
    const result = expectFitted(input, 4000);
    // Assess
    expect(result.small).toBe('s'.repeat(40));
    expect(result.message).toBe('GET /');
    expect(result.big).toMatch(MARKED);
  });

  it('cuts all long strings to the same length', () => {
    const input = line({ a: 'a'.repeat(10_000), b: 'b'.repeat(9000), c: 'c'.repeat(8000) });
    const result = expectFitted(input, 3000);
    const prefixes = ['a', 'b', 'c'].map(
      (k) => (MARKED.exec(result[k] as string) as RegExpExecArray)[1].length,
    );
    expect(new Set(prefixes).size).toBe(1);
  });

  it.each([
    ['two-byte', 'é'],
    ['three-byte', '€'],
    ['four-byte (surrogate pairs)', '😀'],
    ['mixed', 'a€😀é'],
  ])('counts %s text in UTF-8 bytes and never splits a character', (_what, unit) => {
    const input = line({ message: unit.repeat(20_000), note: `${unit}x`.repeat(5000) });
    for (let maxBytes = 1024; maxBytes < 1200; maxBytes += 7) expectFitted(input, maxBytes);
    expectFitted(input, 5000);
  });

  it('accounts for JSON escapes (quotes, backslashes, control characters)', () => {
    const input = line({ message: '"\\\n\t\u0001'.repeat(10_000) });
    expectFitted(input, 2048);
  });

  it('cuts strings inside nested objects and arrays, keeping the structure', () => {
    // Prepare
    const input = line({
      req: { method: 'GET', headers: { cookie: 'c'.repeat(20_000), host: 'example.com' } },
      list: ['x'.repeat(8000), { deep: 'd'.repeat(8000), n: [1, 2, null, true] }, 42],
      error: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (file.js:1:1)\n'.repeat(500) },
    });
    // Act
    const result = expectFitted(input, 6000);
    // Assess
    const req = result.req as { method: string; headers: { host: string } };
    expect(req.method).toBe('GET');
    expect(req.headers.host).toBe('example.com');
    expect((result.list as unknown[])[2]).toBe(42);
  });

  it('keeps every key in its order, adding truncated at the end', () => {
    const input = line({ z: 'z'.repeat(5000), a: 1, m: 'm'.repeat(5000) });
    const out = fitToLimit(input, 2000);
    expect(Object.keys(JSON.parse(out) as object)).toEqual([
      ...Object.keys(JSON.parse(input) as object),
      'truncated',
    ]);
  });

  it('keeps the text of every value it does not cut as it was written', () => {
    // Prepare: numbers and escapes that JSON.parse and JSON.stringify would rewrite
    const kept =
      '"id":12345678901234567891,"ratio":1.50,"tiny":1E-400,"huge":1e400,"zero":-0,"esc":"caf\\u00e9 \\/ \\"q\\""';
    const input = `${line({ a: 1 }).slice(0, -1)},${kept},"big":"${'b'.repeat(10_000)}"}`;
    // Act
    const out = fitToLimit(input, 2048);
    // Assess
    expect(bytes(out)).toBeLessThanOrEqual(2048);
    expect(out).toContain(`,"a":1,${kept},"big":"bbb`);
    expect(out).toMatch(/,"big":"b+…\[truncated \d+ chars\]","truncated":true\}$/);
  });

  it('keeps a field named truncated under another name, and marks the line at its end', () => {
    // Prepare
    const input = line({ truncated: 'mine', _truncated: 'taken', big: 'b'.repeat(10_000) });
    // Act
    const result = JSON.parse(fitToLimit(input, 2048)) as Record<string, unknown>;
    // Assess
    expect(result).toMatchObject({ __truncated: 'mine', _truncated: 'taken', truncated: true });
    expect(Object.keys(result)).toEqual([
      ...Object.keys(CORE),
      '__truncated',
      '_truncated',
      'big',
      'truncated',
    ]);
  });

  it('cuts text written with escapes between escapes, never inside one or inside an escaped surrogate pair', () => {
    // Prepare: the raw text of each value as another producer may write it
    const raw = {
      accents: '\\u00e9'.repeat(3000),
      emoji: '\\ud83d\\ude00'.repeat(2000),
      slashes: '\\\\'.repeat(3000),
      quotes: 'x\\"'.repeat(3000),
      mixed: 'a\\nb\\u20ac😀\\\\"é'.replace('"', '\\"').repeat(1000),
    };
    const input = `${line({}).slice(0, -1)},${Object.entries(raw)
      .map(([k, v]) => `"${k}":"${v}"`)
      .join(',')}}`;
    // Act, Assess
    for (let maxBytes = 1024; maxBytes < 1300; maxBytes++)
      expectFitted(input, maxBytes, { longestFirst: false });
    expectFitted(input, 20_000, { longestFirst: false });
  });

  it('writes a line with white space between its tokens as one compact line', () => {
    // Prepare
    const input = JSON.stringify({ ...CORE, list: [1, { a: 'x y' }], big: 'b'.repeat(5000) }, null, 2);
    // Act
    const out = fitToLimit(input, 1024);
    // Assess
    expect(out).toMatch(
      /^\{"@timestamp":"2025-12-13T12:30:45.123Z","level":"INFO",.*,"list":\[1,\{"a":"x y"\}\],"big":"b+…/,
    );
    expectFitted(input, 1024);
  });

  it('reads a line nested 100,000 deep without running out of stack', () => {
    // Prepare: nothing to cut but structure: only the core fields can stay
    const input = `${line({}).slice(0, -1)},"deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    // Act
    const out = fitToLimit(input, 1024);
    // Assess
    expect(JSON.parse(out)).toEqual({ ...CORE, truncated: true, droppedFields: 1 });
  });

  it.each(['{"a":"open', '[1,2]', 'plain text'])('refuses %j, which is not a JSON object', (text) => {
    expect(() => fitToLimit(text, 16)).toThrow(SyntaxError);
  });

  describe('with very many small fields', () => {
    it('keeps only the core fields and counts the dropped ones', () => {
      // Prepare: 3000 numbers cannot be shortened
      const extras = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`f${i}`, i]));
      const input = line(extras);
      // Act
      const out = fitToLimit(input, 1024);
      // Assess
      expect(bytes(out)).toBeLessThanOrEqual(1024);
      expect(JSON.parse(out)).toEqual({ ...CORE, truncated: true, droppedFields: 3000 });
    });

    it('also shortens a long message when only the core fields are kept', () => {
      const extras = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`s${i}`, 'short']));
      const input = line({ ...extras, message: 'm'.repeat(50_000) });
      const out = fitToLimit(input, 1024);
      expect(bytes(out)).toBeLessThanOrEqual(1024);
      const result = JSON.parse(out) as Record<string, unknown>;
      expect(Object.keys(result)).toEqual([...Object.keys(CORE), 'truncated', 'droppedFields']);
      expect(result.droppedFields).toBe(3000);
      expect(result.message).toMatch(MARKED);
      expect(result.level).toBe('INFO');
    });
  });
});
