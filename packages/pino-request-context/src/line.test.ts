import pino from 'pino';
import { droppedRecord, levelOfLine, markBuffered } from './line';

/** The lines a real pino logger writes for `log`. */
function pinoLines(options: pino.LoggerOptions, log: (logger: pino.Logger) => void): string[] {
  const lines: string[] = [];
  log(pino({ level: 'trace', ...options }, { write: (line: string) => void lines.push(line) }));
  return lines;
}

describe('levelOfLine', () => {
  it('reads the level pino writes first', () => {
    const lines = pinoLines({}, (logger) => {
      logger.trace('a');
      logger.debug('b');
      logger.fatal('c');
    });
    expect(lines.map(levelOfLine)).toEqual([10, 20, 60]);
  });

  it('is undefined for a line that does not start with a numeric level', () => {
    expect(levelOfLine('{"level":"info","msg":"x"}')).toBeUndefined();
    expect(levelOfLine('{"msg":"x","level":30}')).toBeUndefined();
    expect(levelOfLine('plain text\n')).toBeUndefined();
  });
});

describe('markBuffered', () => {
  it("adds the marker after level, time and pino's base bindings, keeping everything else exactly", () => {
    const [line] = pinoLines({ name: 'app' }, (logger) =>
      logger.child({ reqId: 'req-1' }).debug({ a: 1 }, 'hi'),
    );
    const marked = markBuffered(line as string, 0);
    expect(marked).toMatch(
      /^\{"level":20,"time":\d+,"pid":\d+,"hostname":"[^"]*","name":"app","buffered":true,"reqId":/,
    );
    const { buffered, ...rest } = JSON.parse(marked);
    expect(buffered).toBe(true);
    expect(rest).toEqual(JSON.parse(line as string));
    expect(marked.endsWith('"msg":"hi"}\n')).toBe(true);
  });

  it('adds the dropped count when there is one', () => {
    const [line] = pinoLines({}, (logger) => logger.debug('x'));
    expect(JSON.parse(markBuffered(line as string, 7))).toMatchObject({ buffered: true, buffer_dropped: 7 });
  });

  it('handles an ISO time, no time, and other JSON objects', () => {
    const [iso] = pinoLines({ timestamp: pino.stdTimeFunctions.isoTime }, (logger) => logger.debug('x'));
    expect(markBuffered(iso as string, 0)).toMatch(
      /^\{"level":20,"time":"[^"]+","pid":\d+,"hostname":"[^"]*","buffered":true,/,
    );
    const [none] = pinoLines({ timestamp: false }, (logger) => logger.debug('x'));
    expect(markBuffered(none as string, 0)).toMatch(
      /^\{"level":20,"pid":\d+,"hostname":"[^"]*","buffered":true,"msg"/,
    );
    const [bare] = pinoLines({ base: null }, (logger) => logger.debug('x'));
    expect(markBuffered(bare as string, 0)).toMatch(/^\{"level":20,"time":\d+,"buffered":true,"msg"/);
    const escaped = '{"level":20,"time":1,"pid":1,"hostname":"a\\"b","name":"n\\\\","x":1}\n';
    expect(JSON.parse(markBuffered(escaped, 0))).toEqual({ ...JSON.parse(escaped), buffered: true });
    expect(markBuffered(escaped, 0)).toContain('"name":"n\\\\","buffered":true,"x":1');
    expect(JSON.parse(markBuffered('{"msg":"x","level":20}\n', 0))).toEqual({
      msg: 'x',
      level: 20,
      buffered: true,
    });
    expect(JSON.parse(markBuffered('{}', 0))).toEqual({ buffered: true });
    expect(markBuffered('not json\n', 0)).toBe('not json\n');
  });
});

describe('droppedRecord', () => {
  it('is a pino-shaped line with the count', () => {
    const line = droppedRecord(20, 1700000000000, 3);
    expect(line.endsWith('}\n')).toBe(true);
    expect(levelOfLine(line)).toBe(20);
    expect(JSON.parse(line)).toEqual({
      level: 20,
      time: 1700000000000,
      buffered: true,
      buffer_dropped: 3,
      msg: 'buffered records dropped',
    });
  });
});
