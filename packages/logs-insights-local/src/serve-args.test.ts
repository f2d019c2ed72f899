import { DEFAULT_HOST, DEFAULT_PORT, parseServeArgs } from './serve-args';

describe('parseServeArgs', () => {
  it('defaults: loopback, the default port', () => {
    expect(parseServeArgs(['./logs/app.log.*'])).toEqual({
      help: false,
      port: DEFAULT_PORT,
      host: DEFAULT_HOST,
      inputs: ['./logs/app.log.*'],
    });
    expect(DEFAULT_HOST).toBe('127.0.0.1');
  });

  it('--port and --host, as --name value or --name=value, files anywhere', () => {
    expect(parseServeArgs(['a.log', '--port', '0', '--host=::1', 'b.log', '--', '--odd-name'])).toEqual({
      help: false,
      port: 0,
      host: '::1',
      inputs: ['a.log', 'b.log', '--odd-name'],
    });
  });

  it.each([
    [['--port', '-1', 'a'], '--port must be a whole number'],
    [['--port', '1.5', 'a'], '--port must be a whole number'],
    [['--port', '65536', 'a'], '--port must be a whole number'],
    [['--host', '', 'a'], '--host must be an address or a host name'],
    [['--host', 'http://x', 'a'], '--host must be an address or a host name'],
  ])('%j: %s', (argv, message) => {
    expect(() => parseServeArgs(argv)).toThrow(message);
  });
});
