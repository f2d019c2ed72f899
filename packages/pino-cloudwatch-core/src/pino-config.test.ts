import { EventEmitter } from 'node:events';
import {
  ConfigWait,
  configFallbackMessage,
  hostLevelsMismatch,
  expectsPinoConfig,
  isPinoConfigMessage,
  listenForPinoConfig,
  PINO_CONFIG_WAIT_MS,
} from './pino-config';

describe('listenForPinoConfig', () => {
  it('takes the first PINO_CONFIG message emitted on the stream (pino in-process) and stops listening', () => {
    // Prepare
    const stream = new EventEmitter();
    const configs: unknown[] = [];
    listenForPinoConfig(stream, (config) => configs.push(config));

    // Act
    stream.emit('message', { code: 'OTHER' });
    stream.emit('message', { code: 'PINO_CONFIG', config: { messageKey: 'm' } });
    stream.emit('message', { code: 'PINO_CONFIG', config: { messageKey: 'again' } });

    // Assess
    expect(configs).toEqual([{ messageKey: 'm' }]);
    expect(stream.listenerCount('message')).toBe(0);
  });

  it('stops listening when asked', () => {
    const stream = new EventEmitter();
    const configs: unknown[] = [];
    const stop = listenForPinoConfig(stream, (config) => configs.push(config));
    stop();
    stream.emit('message', { code: 'PINO_CONFIG', config: {} });
    expect(configs).toEqual([]);
    expect(stream.listenerCount('message')).toBe(0);
  });
});

describe('isPinoConfigMessage', () => {
  it('recognises only the PINO_CONFIG shape', () => {
    expect(isPinoConfigMessage({ code: 'PINO_CONFIG', config: {} })).toBe(true);
    expect(isPinoConfigMessage({ code: 'PINO_CONFIG' })).toBe(false);
    expect(isPinoConfigMessage({ code: 'PINO_CONFIG', config: null })).toBe(false);
    expect(isPinoConfigMessage(null)).toBe(false);
  });
});

describe('expectsPinoConfig', () => {
  it('is false on the main thread', () => {
    expect(expectsPinoConfig()).toBe(false);
  });
});

it('waits 200 ms: one wait for both transports', () => {
  expect(PINO_CONFIG_WAIT_MS).toBe(200);
});

describe('ConfigWait', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('times out PINO_CONFIG_WAIT_MS after the first line, once', () => {
    const timeouts: number[] = [];
    const wait = new ConfigWait(() => timeouts.push(Date.now()));
    wait.firstLine();
    jest.advanceTimersByTime(100);
    wait.firstLine(); // a later line does not restart the clock
    expect(wait.pending).toBe(true);
    jest.advanceTimersByTime(PINO_CONFIG_WAIT_MS - 100);
    expect(timeouts).toHaveLength(1);
    expect(wait.pending).toBe(false);
    wait.firstLine();
    jest.advanceTimersByTime(PINO_CONFIG_WAIT_MS);
    expect(timeouts).toHaveLength(1);
  });

  it('never times out once the config came', () => {
    const wait = new ConfigWait(() => {
      throw new Error('timed out');
    });
    wait.firstLine();
    wait.settle();
    jest.advanceTimersByTime(10 * PINO_CONFIG_WAIT_MS);
    expect(wait.pending).toBe(false);
  });
});

describe('hostLevelsMismatch', () => {
  const defaults = { info: 30, warn: 40 };

  it('is undefined when the worker data had every custom level of the logger', () => {
    expect(
      hostLevelsMismatch(
        { notice: 35 },
        { levels: { values: { info: 30, warn: 40, notice: 35 } } },
        defaults,
      ),
    ).toBeUndefined();
    expect(hostLevelsMismatch({ notice: 35 }, {}, defaults)).toBeUndefined();
  });

  it('names the custom levels the worker data lacked', () => {
    expect(
      hostLevelsMismatch(
        { notice: 35 },
        { levels: { values: { info: 30, notice: 35, audit: 45 } } },
        defaults,
      ),
    ).toMatch(
      /^the logger's custom levels \(audit: 45\) were not in the worker data, where pino >=7\.10 <11 puts them/,
    );
  });
});

describe('configFallbackMessage', () => {
  it('says what the lines are written with and how to stop depending on it', () => {
    const text = configFallbackMessage({
      levels: { notice: 35 },
      levelsFrom: 'worker data',
      messageKey: 'msg',
      errorKey: 'err',
    });
    expect(text).toContain(
      "pino's config (the logger's levels, messageKey and errorKey) has not reached this target 200 ms",
    );
    expect(text).toContain("pino's default levels and notice from the worker data");
    expect(text).toContain('set levels, messageKey and errorKey in this target');
    expect(
      configFallbackMessage({ levels: undefined, levelsFrom: 'defaults', messageKey: 'm', errorKey: 'e' }),
    ).toContain(
      'pino\'s default levels (a custom level shows as its number), messageKey "m" and errorKey "e"',
    );
  });
});
