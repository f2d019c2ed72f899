import { parseLine, RawLine } from './parse-line';

describe('parseLine', () => {
  it('parses a JSON object, leading spaces allowed', () => {
    expect(parseLine('  {"a":1}')).toEqual({ a: 1 });
  });

  it.each(['plain text', '', '42', 'null', '[1,2]', '{"cut":', '"text"'])(
    'keeps %j as a raw line',
    (line) => {
      const parsed = parseLine(line);
      expect(parsed).toBeInstanceOf(RawLine);
      expect((parsed as RawLine).text).toBe(line);
    },
  );
});

describe("parseLine keeps pino's own level", () => {
  it('keeps the level pino writes first when a logged object has its own (renamed _level)', () => {
    // Prepare: what `logger.info({ level: '\u001b[2J' }, 'x')` writes
    const line = '{"level":30,"time":1,"pid":1,"hostname":"h","name":"app","level":"\\u001b[2J","msg":"x"}';

    // Act
    const record = parseLine(line) as Record<string, unknown>;

    // Assess: pino's level in its place, the logged one kept under the file's collision name
    expect(record).toEqual({
      level: 30,
      time: 1,
      pid: 1,
      hostname: 'h',
      name: 'app',
      _level: '\u001b[2J',
      msg: 'x',
    });
    expect(Object.keys(record)[0]).toBe('level');
  });

  it('keeps a numeric level, whatever number the logged object says', () => {
    expect(parseLine('{"level":30,"time":1,"level":60,"msg":"x"}')).toEqual({
      level: 30,
      time: 1,
      msg: 'x',
      _level: 60,
    });
  });

  it('reads a level that formatters.level wrote as a label', () => {
    expect(parseLine('{"level":"info","time":1,"level":"fatal"}')).toMatchObject({
      level: 'info',
      _level: 'fatal',
    });
    expect(parseLine('{"level":"in\\"fo","level":60}')).toMatchObject({ level: 'in"fo', _level: 60 });
  });

  it.each([
    ['-1', -1],
    ['2.5', 2.5],
    ['1e2', 100],
    ['12345678901234567890', 12345678901234567000],
  ])('reads a first level written as %s', (text, value) => {
    expect(parseLine(`{"level":${text},"level":"x"}`)).toEqual({ level: value, _level: 'x' });
    expect(parseLine(`{"level":${text},"msg":"m","level":${text}}`)).toEqual({ level: value, msg: 'm' });
  });

  it('leaves a first level that is not a number or a string to JSON', () => {
    expect(parseLine('{"level":null,"level":60}')).toEqual({ level: 60 });
    expect(parseLine('{"level":{"a":1},"level":60}')).toEqual({ level: 60 });
  });

  it('also sees through a key spelled with escapes', () => {
    expect(parseLine('{"level":30,"lev\\u0065l":60}')).toEqual({ level: 30, _level: 60 });
  });

  it('adds another underscore while the renamed key is taken', () => {
    expect(parseLine('{"level":30,"_level":1,"level":60}')).toEqual({ level: 30, _level: 1, __level: 60 });
  });

  it('adds nothing when the logged level equals pino’s', () => {
    expect(parseLine('{"level":30,"level":30}')).toEqual({ level: 30 });
  });

  it('uses the only level there is when the line does not start with pino’s', () => {
    // A formatters.level that renames the key, or a line not written by pino: nothing tells
    // pino's level from a logged one, so JSON's rule (the last key) stands.
    expect(parseLine('{"severity":"INFO","level":60}')).toEqual({ severity: 'INFO', level: 60 });
    expect(parseLine(' {"level":30,"level":60}')).toEqual({ level: 60 });
  });
});
