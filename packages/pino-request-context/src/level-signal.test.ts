import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequestContexts, cycleLevelOnSignal } from './index';

/**
 * A real child process: a pino logger through the contexts, SIGUSR2 cycling the level. On each
 * line of its stdin it logs a debug and an info record to stdout.
 */
const CHILD = `
  const pino = require('pino');
  const { createRequestContexts, cycleLevelOnSignal } = require(${JSON.stringify(path.join(__dirname, '..', 'dist'))});
  const contexts = createRequestContexts();
  const logger = pino({ level: contexts.loggerLevel }, contexts.destination(pino.destination({ dest: 1, sync: true })));
  cycleLevelOnSignal(contexts, { logger });
  process.stdin.setEncoding('utf8').on('data', (text) => {
    for (const n of text.trim().split('\\n')) { logger.debug('probe ' + n); logger.info('tick ' + n); }
  });
  logger.info('ready');
`;

it('SIGUSR2 sent to a real process switches it to debug and back', async () => {
  const child = spawn(process.execPath, ['-e', CHILD], {
    cwd: __dirname,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const waitFor = async (text: string) => {
    for (let i = 0; i < 500 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 10));
    expect(out).toContain(text);
  };
  try {
    await waitFor('"msg":"ready"');
    child.stdin.write('1\n');
    await waitFor('tick 1');
    child.kill('SIGUSR2');
    await waitFor('log level changed');
    child.stdin.write('2\n');
    await waitFor('tick 2');
    child.kill('SIGUSR2');
    await waitFor('"log_level":"info"');
    child.stdin.write('3\n');
    await waitFor('tick 3');
  } finally {
    child.kill('SIGTERM');
  }
  const records = out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { msg: string; level: number; [key: string]: unknown });
  expect(records.map((r) => r.msg)).toEqual([
    'ready',
    'tick 1',
    'log level changed',
    'probe 2',
    'tick 2',
    'log level changed',
    'tick 3',
  ]);
  expect(records[2]).toMatchObject({
    level: 20,
    log_level: 'debug',
    previous_log_level: 'info',
    signal: 'SIGUSR2',
  });
  expect(records[5]).toMatchObject({ level: 30, log_level: 'info', previous_log_level: 'debug' });
});

describe('cycleLevelOnSignal options', () => {
  it('checks every level at once and removes its handler', () => {
    const contexts = createRequestContexts({ bufferFrom: 'debug' });
    expect(() => cycleLevelOnSignal(contexts, { levels: ['info', 'loud'] })).toThrow(/"loud" is not a level/);
    expect(() => cycleLevelOnSignal(contexts, { levels: ['info'] })).toThrow(/at least two levels/);
    expect(() => cycleLevelOnSignal(contexts, { signal: 'USR2' as never })).toThrow(
      /signal must be a signal name/,
    );
    expect(contexts.level).toBe('info');
    const before = process.listenerCount('SIGUSR2');
    const remove = cycleLevelOnSignal(contexts, { levels: ['info', 'warn', 'error'] });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    process.emit('SIGUSR2', 'SIGUSR2');
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(contexts.level).toBe('error');
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(contexts.level).toBe('info');
    remove();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });

  it('refuses an unknown or uncatchable signal and an unknown option, naming it', () => {
    const contexts = createRequestContexts();
    const before = process.listenerCount('SIGUSR2');
    expect(() => cycleLevelOnSignal(contexts, { signal: 'SIGFOO' as never })).toThrow(
      /signal must be a signal name .* got SIGFOO/,
    );
    expect(() => cycleLevelOnSignal(contexts, { signal: 'SIGKILL' })).toThrow(/got SIGKILL/);
    expect(() => cycleLevelOnSignal(contexts, { logegr: {} } as never)).toThrow(
      /cycleLevelOnSignal: logegr is not an option; accepted: signal, levels, logger/,
    );
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });

  it('by default goes from the current level to debug and back, also from silent', () => {
    for (const [from, to] of [
      ['info', 'debug'],
      ['silent', 'debug'],
      ['debug', 'trace'],
    ]) {
      const contexts = createRequestContexts({ level: from });
      const remove = cycleLevelOnSignal(contexts);
      try {
        process.emit('SIGUSR2', 'SIGUSR2');
        expect([from, contexts.level]).toEqual([from, to]);
        process.emit('SIGUSR2', 'SIGUSR2');
        expect(contexts.level).toBe(from);
      } finally {
        remove();
      }
    }
  });

  it('cycles through levels given in any case', () => {
    const contexts = createRequestContexts();
    const remove = cycleLevelOnSignal(contexts, { levels: ['INFO', 'Debug'] });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(contexts.level).toBe('debug');
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(contexts.level).toBe('info');
    } finally {
      remove();
    }
  });

  it('a failing logger does not stop the change and is said once on stderr', () => {
    const stderr = jest.spyOn(fs, 'writeSync').mockImplementation(() => 0);
    const contexts = createRequestContexts();
    const logger = {
      debug: () => {
        throw new Error('closed');
      },
      info: () => {
        throw new Error('closed');
      },
    };
    const remove = cycleLevelOnSignal(contexts, { logger });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      process.emit('SIGUSR2', 'SIGUSR2');
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(contexts.level).toBe('debug');
      const reports = stderr.mock.calls.filter(([fd]) => fd === 2);
      expect(reports.map(([, text]) => String(text))).toEqual([
        expect.stringMatching(/handling SIGUSR2 failed \(the level is now debug\): Error: closed/),
      ]);
    } finally {
      remove();
      stderr.mockRestore();
    }
  });
});
