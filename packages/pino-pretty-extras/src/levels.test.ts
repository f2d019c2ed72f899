import { PLAIN_PAINTER } from './colorize';
import { LevelBadges, parseCustomLevels, parseLevelLabels } from './levels';
import { OptionError } from './option-error';

describe('parseLevelLabels', () => {
  it('reads presets, objects, pairs and JSON', () => {
    expect(parseLevelLabels(undefined)).toEqual({});
    expect(parseLevelLabels('python')).toEqual({ warn: 'WARNING', fatal: 'CRITICAL' });
    expect(parseLevelLabels({ Warn: 'W' })).toEqual({ warn: 'W' });
    expect(parseLevelLabels('warn:W, fatal:F')).toEqual({ warn: 'W', fatal: 'F' });
    expect(parseLevelLabels('{"warn":"W"}')).toEqual({ warn: 'W' });
  });

  it('refuses labels that would break the badge', () => {
    expect(() => parseLevelLabels({ warn: 'A B' })).toThrow('option "levelLabels.warn"');
    expect(() => parseLevelLabels('{bad')).toThrow('option "levelLabels" must be valid JSON');
  });

  it("applies the JSON file's rule too: a label with a quote or backslash is refused as an OptionError", () => {
    expect(() => parseLevelLabels({ warn: 'W"' })).toThrow(OptionError);
    expect(() => parseLevelLabels({ warn: 'a\\b' })).toThrow(
      'option "levelLabels.warn" must be a non-empty label',
    );
    expect(() => parseLevelLabels({ warn: 'A', Warn: 'B' })).toThrow(
      'option "levelLabels.Warn" names the same level',
    );
  });
});

describe('parseCustomLevels', () => {
  it("merges over pino's levels", () => {
    expect(parseCustomLevels('notice:35')).toMatchObject({ info: 30, notice: 35 });
    expect(parseCustomLevels({ audit: 45 })).toMatchObject({ fatal: 60, audit: 45 });
  });
});

describe('LevelBadges', () => {
  it('lets the first name of a shared number win, as pino does', () => {
    const badges = new LevelBadges({ info: 30, notice: 30 }, {}, PLAIN_PAINTER);
    expect(badges.of(30)).toBe('[INFO]');
    expect(badges.of('notice')).toBe('[NOTICE]');
  });

  it('prints unknown numbers and names as they are', () => {
    const badges = new LevelBadges({ info: 30 }, {}, PLAIN_PAINTER);
    expect(badges.of(35)).toBe('[35]');
    expect(badges.of('audit')).toBe('[AUDIT]');
    expect(badges.of(true)).toBe('[true]');
  });

  it('escapes a label that is not a level name, so it cannot control the terminal', () => {
    // Prepare: a `level` label from a line pino did not write
    const badges = new LevelBadges({ info: 30 }, {}, PLAIN_PAINTER);

    // Act
    const badge = badges.of('\u001b[2J\u001b]0;pwned\u0007');

    // Assess
    expect(badge).toBe('[\\u001b[2J\\u001b]0;PWNED\\u0007]');
  });

  it('cuts a long unknown label and does not keep it', () => {
    const badges = new LevelBadges({ info: 30 }, {}, PLAIN_PAINTER);
    expect(badges.of('x'.repeat(200))).toBe(`[${'X'.repeat(64)}…[+136 chars]]`);
  });
});
