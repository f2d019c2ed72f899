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

/** Checks every promise of fitToLimit for one input; returns the parsed result. */
function expectFitted(input: string, maxBytes: number): Record<string, unknown> {
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
      kept.push(was.length);
      continue;
    }
    const m = MARKED.exec(value);
    expect(m).not.toBeNull();
    const [, prefix, removed] = m as RegExpExecArray;
    expect(was.startsWith(prefix)).toBe(true);
    expect(prefix.length + Number(removed)).toBe(was.length);
    expect(value.length).toBeLessThan(was.length);
    cut.push(was.length);
  }
  // Longest first: every string that was cut was longer than every string left whole.
  if (cut.length > 0 && kept.length > 0) expect(Math.min(...cut)).toBeGreaterThan(Math.max(...kept));
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
