import pino from 'pino';
import { Writable } from 'node:stream';
import { keepLoggedName } from './logged-name';

/** The lines a pino logger with `keepLoggedName` writes for `log`. */
function linesOf(options: pino.LoggerOptions, log: (logger: pino.Logger) => void): string[] {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  log(pino({ ...options, formatters: { log: keepLoggedName } }, sink));
  return lines;
}

describe('keepLoggedName', () => {
  it("renames a logged object's name to _name, in place, and leaves the caller's object alone", () => {
    const logged = { a: 1, name: 'Ada', b: 2 };
    expect(Object.entries(keepLoggedName(logged))).toEqual([
      ['a', 1],
      ['_name', 'Ada'],
      ['b', 2],
    ]);
    expect(logged).toEqual({ a: 1, name: 'Ada', b: 2 });
  });

  it('returns an object without a name as it is, and takes the next free _ name', () => {
    const plain = { a: 1 };
    expect(keepLoggedName(plain)).toBe(plain);
    expect(keepLoggedName({ _name: 1, name: 2 })).toEqual({ _name: 1, __name: 2 });
  });

  it("leaves the logger's and a child's name binding as pino's name keys, the logged one as _name", () => {
    const lines = linesOf({ name: 'app' }, (logger) => {
      logger.info({ name: 'Ada' }, 'signup');
      logger.child({ name: 'db' }).info({ name: { first: 'Ada' } }, 'query');
      logger.child({ name: 'db' }).info('plain');
    });
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.map((record) => [record.name, record._name])).toEqual([
      ['app', 'Ada'],
      ['db', { first: 'Ada' }],
      ['db', undefined],
    ]);
  });
});
