import { EXPECTED_DEFAULT_LABELS } from 'pino-cloudwatch-test-support';
import { LEVEL_LABEL_PRESETS, LevelLabels, PINO_LEVELS, labelOf, parseLevelLabels } from './levels';

const { python } = LEVEL_LABEL_PRESETS;

describe('LevelLabels.ofNumber', () => {
  it.each(EXPECTED_DEFAULT_LABELS)('labels pino’s default level %p as %s, JSON-encoded', (num, label) => {
    expect(new LevelLabels(undefined, {}).ofNumber(num)).toBe(`"${label}"`);
    expect(new LevelLabels(PINO_LEVELS, {}).ofNumber(num)).toBe(`"${label}"`);
  });

  it('labels custom levels by their upper-cased names, small or large numbers alike', () => {
    // Prepare
    const labels = new LevelLabels({ ...PINO_LEVELS, audit: 35, chatty: 5, huge: 1000, negative: -5 }, {});
    // Act / Assess
    expect(labels.ofNumber(35)).toBe('"AUDIT"');
    expect(labels.ofNumber(5)).toBe('"CHATTY"');
    expect(labels.ofNumber(1000)).toBe('"HUGE"');
    expect(labels.ofNumber(-5)).toBe('"NEGATIVE"');
    expect(labels.ofNumber(30)).toBe('"INFO"');
  });

  it('labels levels 127 and 128, either side of the fast lookup table', () => {
    const labels = new LevelLabels({ edge: 127, beyond: 128, fraction: 30.5 }, {});
    expect(labels.ofNumber(127)).toBe('"EDGE"');
    expect(labels.ofNumber(128)).toBe('"BEYOND"');
    expect(labels.ofNumber(30.5)).toBe('"FRACTION"');
  });

  it('applies the python preset: WARNING and CRITICAL, the rest upper-cased', () => {
    const labels = new LevelLabels(undefined, python);
    expect([10, 20, 30, 40, 50, 60].map((n) => labels.ofNumber(n))).toEqual([
      '"TRACE"',
      '"DEBUG"',
      '"INFO"',
      '"WARNING"',
      '"ERROR"',
      '"CRITICAL"',
    ]);
  });

  it('applies a custom map to default and custom levels, and ignores names the logger does not have', () => {
    const labels = new LevelLabels(
      { ...PINO_LEVELS, audit: 35 },
      { info: 'INFORMATION', audit: 'AUDIT_LOG', nonexistent: 'NOPE' },
    );
    expect(labels.ofNumber(30)).toBe('"INFORMATION"');
    expect(labels.ofNumber(35)).toBe('"AUDIT_LOG"');
    expect(labels.ofNumber(40)).toBe('"WARN"');
  });

  it('labels pino’s default levels too when the map holds only custom levels (pino hands targets just those)', () => {
    const labels = new LevelLabels({ audit: 35 }, {});
    expect(labels.ofNumber(35)).toBe('"AUDIT"');
    expect(labels.ofNumber(30)).toBe('"INFO"');
  });

  it('lets a custom name win over a default one on the same number', () => {
    const labels = new LevelLabels({ notice: 30 }, {});
    expect(labels.ofNumber(30)).toBe('"NOTICE"');
  });

  it('lets the first name win when two names share a number, as pino’s labels map does', () => {
    const labels = new LevelLabels({ warn: 40, warning: 40 }, {});
    expect(labels.ofNumber(40)).toBe('"WARN"');
  });

  it.each([0, 1, 35, 127, 128, 1000, -1, 30.5, 1e21])('writes the unknown number %p as its digits', (num) => {
    // Act
    const encoded = new LevelLabels(undefined, {}).ofNumber(num);
    // Assess
    expect(encoded).toBe(`"${num}"`);
    expect(JSON.parse(encoded)).toBe(String(num));
  });

  it('always returns valid JSON, even for a label that needs escaping', () => {
    const labels = new LevelLabels({ odd: 33, accented: 34 }, { odd: 'SAY "HI" \\ NOW' });
    expect(JSON.parse(labels.ofNumber(33))).toBe('SAY "HI" \\ NOW');
    expect(labels.ofNumber(34)).toBe('"ACCENTED"');
    expect(new LevelLabels({ évènement: 33 }, {}).ofNumber(33)).toBe('"ÉVÈNEMENT"');
  });

  // Regression (levels.ts, fixed): labels are looked up with `labels[name]` on a plain object, so a custom level named
  // like an Object.prototype member ("toString", "constructor") picks up the inherited function:
  // JSON.stringify(function) is undefined and the level is written as its number ("35") instead of
  // "TOSTRING". Low impact (odd level names), but a documented custom level loses its label.
  test('labels custom levels named like Object.prototype members by their names', () => {
    const labels = new LevelLabels({ toString: 35, constructor: 36 }, {});
    expect(labels.ofNumber(35)).toBe('"TOSTRING"');
    expect(labels.ofNumber(36)).toBe('"CONSTRUCTOR"');
  });
});

describe('LevelLabels.ofText', () => {
  it.each([
    ['info', {}, 'INFO'],
    ['INFO', {}, 'INFO'],
    ['audit', {}, 'AUDIT'],
    ['warn', python, 'WARNING'],
    ['WARN', python, 'WARNING'],
    ['fatal', python, 'CRITICAL'],
    ['error', python, 'ERROR'],
    ['info', { info: 'INFORMATION' }, 'INFORMATION'],
    ['Info', { info: 'INFORMATION' }, 'INFORMATION'],
    ['Notice', { Notice: 'NOTE' }, 'NOTE'],
  ] as [string, Record<string, string>, string][])(
    'labels the text level %j with %j as %s',
    (text, map, label) => {
      expect(LevelLabels.ofText(text, map)).toBe(`"${label}"`);
    },
  );

  it('returns valid JSON for text that needs escaping', () => {
    expect(JSON.parse(LevelLabels.ofText('we"ird\\', {}))).toBe('WE"IRD\\');
  });

  // Regression (levels.ts, fixed): same prototype lookup; here JSON.stringify(Object) is undefined, so ofText returns
  // undefined (typed string) and the line gets `"level":undefined`, which is not JSON.
  test('returns a JSON string for a text level named like an Object.prototype member', () => {
    expect(LevelLabels.ofText('constructor', {})).toBe('"CONSTRUCTOR"');
  });
});

describe('parseLevelLabels (the one rule of the file, the console and the setup helper)', () => {
  it('reads the presets, a map, and the map as text or JSON', () => {
    expect(parseLevelLabels(undefined)).toBe(LEVEL_LABEL_PRESETS.default);
    expect(parseLevelLabels('default')).toBe(LEVEL_LABEL_PRESETS.default);
    expect(parseLevelLabels('python')).toBe(LEVEL_LABEL_PRESETS.python);
    expect(parseLevelLabels({ warn: 'W' })).toEqual({ warn: 'W' });
    expect(parseLevelLabels('warn:W, fatal:F')).toEqual({ warn: 'W', fatal: 'F' });
    expect(parseLevelLabels(' {"warn":"W"} ')).toEqual({ warn: 'W' });
    expect(Object.isFrozen(parseLevelLabels({ warn: 'W' }))).toBe(true);
  });

  it('compares level names without regard to case: { Warn: "WARNING" } renames warn', () => {
    const labels = parseLevelLabels({ Warn: 'WARNING', FATAL: 'CRITICAL', Audit: 'AUD' });
    expect(labels).toEqual({ warn: 'WARNING', fatal: 'CRITICAL', audit: 'AUD' });
    const byNumber = new LevelLabels({ ...PINO_LEVELS, Audit: 35 }, labels);
    expect([40, 60, 35].map((num) => byNumber.ofNumber(num))).toEqual(['"WARNING"', '"CRITICAL"', '"AUD"']);
    expect(LevelLabels.ofText('WARN', labels)).toBe('"WARNING"');
  });

  it('refuses two keys that name the same level', () => {
    expect(() => parseLevelLabels({ warn: 'A', WARN: 'B' })).toThrow(
      'option "levelLabels.WARN" names the same level as levelLabels.warn',
    );
  });

  it.each([
    ['', 'empty'],
    ['WARN ING', 'a space'],
    ['[W]', 'brackets'],
    ['W"', 'a quote'],
    ['a\\b', 'a backslash'],
    ['x\n', 'a line break'],
    ['\u0007', 'a control character'],
  ])('refuses the label %j (%s), naming the level', (label) => {
    expect(() => parseLevelLabels({ warn: label })).toThrow(
      'option "levelLabels.warn" must be a non-empty label',
    );
  });

  it('accepts printable labels in any script', () => {
    expect(parseLevelLabels({ warn: 'Avertissement', error: 'ÉCHEC!', fatal: '致命' })).toEqual({
      warn: 'Avertissement',
      error: 'ÉCHEC!',
      fatal: '致命',
    });
  });

  it.each([['java'], [null], [['INFO']], [5], ['{bad']])('refuses %j naming the option', (value) => {
    expect(() => parseLevelLabels(value)).toThrow('option "levelLabels" must be');
  });

  it("reports through the caller's own failure", () => {
    const fail = (option: string, rule: string): never => {
      throw new Error(`mine: ${option} ${rule}`);
    };
    expect(() => parseLevelLabels({ warn: 5 }, fail)).toThrow(
      'mine: levelLabels.warn must be a non-empty label',
    );
  });
});

describe('labelOf', () => {
  it('upper-cases a name the map does not rename, and looks names up in any case', () => {
    expect(labelOf('notice', {})).toBe('NOTICE');
    expect(labelOf('Warn', { warn: 'WARNING' })).toBe('WARNING');
    expect(labelOf('constructor', {})).toBe('CONSTRUCTOR');
  });
});
