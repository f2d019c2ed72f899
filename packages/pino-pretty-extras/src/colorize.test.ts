import { createPainter, resolveColorize } from './colorize';
import { format, pinoRecord } from './test-helpers';

const ESC = '\u001b[';

describe('resolveColorize', () => {
  it.each([
    ['a TTY', undefined, {}, true, true],
    ['a pipe or file', undefined, {}, false, false],
    ['a dumb terminal', undefined, { TERM: 'dumb' }, true, false],
    ['NO_COLOR on a TTY', undefined, { NO_COLOR: '1' }, true, false],
    ['an empty NO_COLOR', undefined, { NO_COLOR: '' }, true, true],
    ['FORCE_COLOR on a pipe', undefined, { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR=0 on a TTY', undefined, { FORCE_COLOR: '0' }, true, false],
    ['NO_COLOR and FORCE_COLOR', undefined, { NO_COLOR: '1', FORCE_COLOR: '1' }, true, false],
    ['colorize: true on a pipe with NO_COLOR', true, { NO_COLOR: '1' }, false, true],
    ['colorize: false on a TTY with FORCE_COLOR', false, { FORCE_COLOR: '1' }, true, false],
  ])('decides for %s', (_case, option, env, isTTY, expected) => {
    expect(resolveColorize(option, env, isTTY)).toBe(expected);
  });
});

describe('createPainter', () => {
  it("paints levels in pino-pretty's colours", () => {
    const painter = createPainter(true, []);
    expect(painter.level(30, '[INFO]')).toBe(`${ESC}32m[INFO]${ESC}39m`);
    expect(painter.level(50, '[ERROR]')).toBe(`${ESC}31m[ERROR]${ESC}39m`);
    expect(painter.level(35, '[NOTICE]')).toBe(`${ESC}37m[NOTICE]${ESC}39m`);
  });

  it('applies custom colours', () => {
    expect(createPainter(true, [[35, 'cyan']]).level(35, '[NOTICE]')).toBe(`${ESC}36m[NOTICE]${ESC}39m`);
  });

  it('leaves text alone without colour', () => {
    const painter = createPainter(false, []);
    expect(painter.level(30, '[INFO]')).toBe('[INFO]');
    expect(painter.dim(' | a=1')).toBe(' | a=1');
  });
});

describe('colour in the line', () => {
  it('colours the level and dims the extras with colorize: true', () => {
    const line = format(pinoRecord({ a: 1 }, 'x'), { colorize: true, timeZone: 'UTC' });
    expect(line).toBe(`2025-12-13 12:30:45 ${ESC}32m[INFO]${ESC}39m app - x${ESC}90m | a=1${ESC}39m\n`);
  });

  it('prints no escape codes with colorize: false', () => {
    expect(format(pinoRecord({ a: 1 }, 'x'), { colorize: false, timeZone: 'UTC' })).toBe(
      '2025-12-13 12:30:45 [INFO] app - x | a=1\n',
    );
  });

  it('colours custom levels from customColors', () => {
    const line = format(pinoRecord({ level: 35 }, 'x'), {
      colorize: true,
      customLevels: { notice: 35 },
      customColors: 'notice:magenta',
      timeZone: 'UTC',
    });
    expect(line).toBe(`2025-12-13 12:30:45 ${ESC}35m[NOTICE]${ESC}39m app - x\n`);
  });
});
