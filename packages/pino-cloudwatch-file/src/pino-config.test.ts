import { EventEmitter } from 'node:events';
import {
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
