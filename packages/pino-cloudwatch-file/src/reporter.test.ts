import fs from 'node:fs';
import { Reporter } from './reporter';

/** A Reporter writing into an array. */
function recording(): { reporter: Reporter; lines: string[] } {
  const lines: string[] = [];
  return { reporter: new Reporter((text) => lines.push(text)), lines };
}

describe('Reporter', () => {
  it('prints a problem once per cause while it lasts, prefixed and with a newline', () => {
    // Prepare
    const { reporter, lines } = recording();
    // Act
    const printed = [
      reporter.problem('write:/logs/app.log', 'ENOSPC: no space left'),
      reporter.problem('write:/logs/app.log', 'ENOSPC: no space left'),
      reporter.problem('write:/logs/app.log', 'something else'),
    ];
    // Assess
    expect(printed).toEqual([true, false, false]);
    expect(lines).toEqual(['pino-cloudwatch-file: ENOSPC: no space left\n']);
  });

  it('prints each distinct cause once', () => {
    const { reporter, lines } = recording();
    reporter.problem('a', 'problem a');
    reporter.problem('b', 'problem b');
    reporter.problem('a', 'problem a');
    expect(lines).toEqual(['pino-cloudwatch-file: problem a\n', 'pino-cloudwatch-file: problem b\n']);
  });

  it('prints the resolution once, and only for a cause that was reported', () => {
    const { reporter, lines } = recording();
    reporter.resolved('never', 'never reported');
    reporter.problem('disk', 'disk full');
    reporter.resolved('disk', 'writing again');
    reporter.resolved('disk', 'writing again');
    expect(lines).toEqual(['pino-cloudwatch-file: disk full\n', 'pino-cloudwatch-file: writing again\n']);
  });

  it('reports a cause again when it comes back after it was resolved', () => {
    const { reporter, lines } = recording();
    expect(reporter.problem('disk', 'full')).toBe(true);
    reporter.resolved('disk', 'ok');
    expect(reporter.problem('disk', 'full')).toBe(true);
    expect(lines).toHaveLength(3);
  });

  it('resolves every cause with a prefix, each with its own message, and leaves the others', () => {
    // Prepare
    const { reporter, lines } = recording();
    reporter.problem('open:/logs/a', 'cannot open a');
    reporter.problem('open:/logs/b', 'cannot open b');
    reporter.problem('write:/logs/a', 'cannot write a');
    lines.length = 0;
    // Act
    reporter.resolvedAll('open:', (cause) => `reopened ${cause}`);
    // Assess
    expect(lines).toEqual([
      'pino-cloudwatch-file: reopened open:/logs/a\n',
      'pino-cloudwatch-file: reopened open:/logs/b\n',
    ]);
    expect(reporter.has('open:')).toBe(false);
    expect(reporter.has('write:')).toBe(true);
    expect(reporter.problem('open:/logs/a', 'cannot open a')).toBe(true);
  });

  it('resolves nothing and prints nothing when no cause has the prefix', () => {
    const { reporter, lines } = recording();
    reporter.problem('write:x', 'w');
    lines.length = 0;
    reporter.resolvedAll('open:', () => 'nope');
    expect(lines).toEqual([]);
    expect(reporter.has('write:')).toBe(true);
  });

  it('tells whether a cause with a prefix is still unresolved', () => {
    const { reporter } = recording();
    expect(reporter.has('')).toBe(false);
    reporter.problem('retention', 'x');
    expect(reporter.has('ret')).toBe(true);
    expect(reporter.has('retention')).toBe(true);
    expect(reporter.has('retentions')).toBe(false);
    reporter.resolved('retention', 'y');
    expect(reporter.has('ret')).toBe(false);
  });

  it('prints a note every time', () => {
    const { reporter, lines } = recording();
    reporter.note('retention deleted 1 old file(s)');
    reporter.note('retention deleted 1 old file(s)');
    expect(lines).toEqual([
      'pino-cloudwatch-file: retention deleted 1 old file(s)\n',
      'pino-cloudwatch-file: retention deleted 1 old file(s)\n',
    ]);
  });

  it('never throws when its writer throws, and keeps its bookkeeping', () => {
    // Prepare
    let calls = 0;
    const reporter = new Reporter(() => {
      calls++;
      throw new Error('EPIPE');
    });
    // Act / Assess
    expect(reporter.problem('disk', 'full')).toBe(true);
    expect(reporter.problem('disk', 'full')).toBe(false);
    expect(() => reporter.resolved('disk', 'ok')).not.toThrow();
    expect(() => reporter.note('note')).not.toThrow();
    reporter.problem('open:a', 'a');
    expect(() => reporter.resolvedAll('open:', () => 'ok')).not.toThrow();
    expect(reporter.has('')).toBe(false);
    expect(calls).toBe(5);
  });

  it('writes straight to file descriptor 2 by default', () => {
    // Prepare: a worker thread's process.stderr is relayed asynchronously, fd 2 is not.
    const writeSync = jest.spyOn(fs, 'writeSync').mockImplementation(() => 0);
    try {
      // Act
      new Reporter().note('hello');
      // Assess
      expect(writeSync).toHaveBeenCalledWith(2, 'pino-cloudwatch-file: hello\n');
    } finally {
      writeSync.mockRestore();
    }
  });
});
