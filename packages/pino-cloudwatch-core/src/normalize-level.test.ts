import { levelMap, lowestLevel, normalizeLevel } from './levels';

describe('normalizeLevel', () => {
  it.each([
    ['info', 'info'],
    ['INFO', 'info'],
    [' Debug ', 'debug'],
    ['WARNING', 'warn'],
    ['critical', 'fatal'],
    ['silent', 'silent'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeLevel(input, 'logLevel')).toBe(expected);
  });

  it('accepts custom levels, in any case', () => {
    const levels = levelMap({ audit: 35, Notice: 33 });
    expect(normalizeLevel('AUDIT', 'logLevel', { levels })).toBe('audit');
    expect(normalizeLevel('notice', 'logLevel', { levels })).toBe('Notice');
  });

  it('refuses an unknown level, naming the option and the accepted values', () => {
    expect(() => normalizeLevel('verbose', 'LOG_LEVEL')).toThrow(
      'LOG_LEVEL: "verbose" is not a level; accepted: trace, debug, info, warn, error, fatal, silent',
    );
    expect(() => normalizeLevel(30, 'logLevel')).toThrow('logLevel: 30 is not a level');
  });

  it('refuses silent where a target needs a real level', () => {
    expect(() => normalizeLevel('silent', 'fileLevel', { allowSilent: false })).toThrow(
      'accepted: trace, debug, info, warn, error, fatal (',
    );
  });
});

describe('levelMap / lowestLevel', () => {
  it('adds custom levels to pino’s, or uses only them', () => {
    expect(levelMap({ audit: 35 })).toMatchObject({ info: 30, audit: 35 });
    expect(levelMap({ audit: 35 }, true)).toEqual({ audit: 35 });
  });

  it('finds the lowest level, custom ones included', () => {
    expect(lowestLevel(levelMap())).toBe('trace');
    expect(lowestLevel(levelMap({ chatty: 5 }))).toBe('chatty');
  });
});
