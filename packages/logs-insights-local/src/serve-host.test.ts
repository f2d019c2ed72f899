import { hostAllowed, isLoopback } from './serve-host';

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['my-laptop.lan', false],
  ])('%s: %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});

describe('hostAllowed (against DNS rebinding)', () => {
  it.each([
    ['127.0.0.1:7400', '127.0.0.1', true],
    ['localhost:7400', '127.0.0.1', true],
    ['LOCALHOST:7400', '127.0.0.1', true],
    ['[::1]:7400', '::1', true],
    ['192.168.1.10:7400', '0.0.0.0', true],
    ['my-laptop.lan:7400', 'my-laptop.lan', true],
    ['my-laptop.lan:7400', '0.0.0.0', false],
    ['evil.example:7400', '127.0.0.1', false],
    ['127.0.0.1:7401', '127.0.0.1', false],
    ['127.0.0.1', '127.0.0.1', false],
    ['', '127.0.0.1', false],
    ['127.0.0.1:7400:1', '127.0.0.1', false],
  ])('Host %j for a server on %s: %s', (header, listen, expected) => {
    expect(hostAllowed(header, listen, 7400)).toBe(expected);
  });

  it('no Host header: refused; port 80 may be left out', () => {
    expect(hostAllowed(undefined, '127.0.0.1', 7400)).toBe(false);
    expect(hostAllowed('localhost', '127.0.0.1', 80)).toBe(true);
  });
});
