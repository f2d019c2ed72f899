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
