import { EventEmitter } from 'node:events';
import { isPinoConfigMessage, listenForPinoConfig, workerExpectsPinoConfig } from './pino-config';

describe('listenForPinoConfig', () => {
  it('takes the first PINO_CONFIG message emitted on the stream and stops listening', () => {
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
});

describe('isPinoConfigMessage', () => {
  it('recognises only the PINO_CONFIG shape', () => {
    expect(isPinoConfigMessage({ code: 'PINO_CONFIG', config: {} })).toBe(true);
    expect(isPinoConfigMessage({ code: 'PINO_CONFIG' })).toBe(false);
    expect(isPinoConfigMessage(null)).toBe(false);
  });
});

describe('workerExpectsPinoConfig', () => {
  it('is false on the main thread', () => {
    expect(workerExpectsPinoConfig()).toBe(false);
  });
});
