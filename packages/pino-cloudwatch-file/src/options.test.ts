import fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DAY_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_RETENTION,
  HOUR_MS,
  validateOptions,
} from './options';
import { LEVEL_LABEL_PRESETS, OPTION_ERROR_CODE, OptionError } from 'pino-cloudwatch-core';

const base = { file: '/var/log/demo/app.log', app: 'demo' };
const MIN = 60_000;

describe('validateOptions: defaults', () => {
  it('fills in every default from { file, app }', () => {
    // Act
    const settings = validateOptions(base);
    // Assess
    expect(settings).toEqual({
      file: path.resolve('/var/log/demo/app.log'),
      dir: path.resolve('/var/log/demo'),
      baseName: 'app.log',
      app: 'demo',
      process: 'main',
      periodMs: HOUR_MS,
      suffixStyle: 'hour',
      utc: true,
      mkdir: true,
      mode: 0o640,
      dirMode: 0o750,
      retention: { maxFiles: Infinity, maxAgeHours: 72, maxTotalBytes: 1024 ** 3 },
      levelLabels: {},
      maxEventBytes: 262_118,
      pid: false,
      hostname: false,
      maxBufferedBytes: 64 * 1024 ** 2,
      levels: undefined,
      messageKey: undefined,
      errorKey: undefined,
      now: Date.now,
    });
    expect(DEFAULT_MAX_EVENT_BYTES).toBe(256 * 1024 - 26);
    expect(DEFAULT_MAX_BUFFERED_BYTES).toBe(64 * 1024 * 1024);
  });

  it('returns frozen settings, with frozen nested values', () => {
    const settings = validateOptions({
      ...base,
      retention: { maxFiles: 3 },
      levelLabels: { info: 'INFORMATION' },
      levels: { info: 30 },
    });
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings.retention)).toBe(true);
    expect(Object.isFrozen(settings.levelLabels)).toBe(true);
    expect(Object.isFrozen(settings.levels)).toBe(true);
    expect(Object.isFrozen(validateOptions(base).retention)).toBe(true);
  });

  it('copies what it keeps, so later changes to the input do not leak in', () => {
    // Prepare
    const labels: Record<string, string> = { info: 'INFORMATION' };
    const levels: Record<string, number> = { info: 30 };
    const input = { ...base, levelLabels: labels, levels };
    // Act
    const settings = validateOptions(input);
    labels.info = 'CHANGED';
    levels.info = 99;
    // Assess
    expect(settings.levelLabels).toEqual({ info: 'INFORMATION' });
    expect(settings.levels).toEqual({ info: 30 });
    expect(input).toEqual({ ...base, levelLabels: labels, levels });
  });

  it('resolves a relative file against the working directory', () => {
    const settings = validateOptions({ file: 'logs/app.log', app: 'demo' });
    expect(settings.file).toBe(path.resolve('logs/app.log'));
    expect(settings.dir).toBe(path.resolve('logs'));
    expect(settings.baseName).toBe('app.log');
  });

  it('accepts the options pino and thread-stream add', () => {
    expect(() =>
      validateOptions({
        ...base,
        pinoWillSendConfig: true,
        dedupe: false,
        $context: { threadStreamVersion: '3' },
      }),
    ).not.toThrow();
  });

  it('reports a key far from every option on stderr and starts (a newer pino may add keys of its own)', () => {
    const written = jest.spyOn(fs, 'writeSync').mockImplementation(() => 0);
    try {
      expect(validateOptions({ ...base, pinoTransportId: 7 }).app).toBe('demo');
      expect(written).toHaveBeenCalledWith(
        2,
        expect.stringContaining('pino-cloudwatch-file: option "pinoTransportId" is not known and is ignored'),
      );
    } finally {
      written.mockRestore();
    }
  });
});

describe('validateOptions: accepted values', () => {
  it.each([
    ['hourly', HOUR_MS, 'hour'],
    [HOUR_MS, HOUR_MS, 'hour'],
    ['daily', DAY_MS, 'day'],
    [DAY_MS, DAY_MS, 'day'],
    [2 * HOUR_MS, 2 * HOUR_MS, 'second'],
    [6 * HOUR_MS, 6 * HOUR_MS, 'second'],
    [12 * HOUR_MS, 12 * HOUR_MS, 'second'],
  ])('takes frequency %p as %p ms named by %s', (frequency, periodMs, suffixStyle) => {
    expect(validateOptions({ ...base, frequency })).toMatchObject({ periodMs, suffixStyle });
  });

  it.each([30 * MIN, 15 * MIN, MIN, 30_000, 1000, 8 * MIN])(
    'takes the short frequency %p ms with allowShortFrequency',
    (frequency) => {
      expect(validateOptions({ ...base, frequency, allowShortFrequency: true })).toMatchObject({
        periodMs: frequency,
        suffixStyle: 'second',
      });
    },
  );

  it('takes allowShortFrequency with an hourly frequency too', () => {
    expect(validateOptions({ ...base, allowShortFrequency: true }).periodMs).toBe(HOUR_MS);
    expect(validateOptions({ ...base, allowShortFrequency: false }).periodMs).toBe(HOUR_MS);
  });

  it.each(['utc', 'mkdir', 'pid', 'hostname'] as const)('takes %s as true or false', (key) => {
    expect(validateOptions({ ...base, [key]: true })[key]).toBe(true);
    expect(validateOptions({ ...base, [key]: false })[key]).toBe(false);
  });

  it('takes a process name', () => {
    expect(validateOptions({ ...base, process: 'worker-1' }).process).toBe('worker-1');
  });

  it.each([
    [false, false],
    [undefined, DEFAULT_RETENTION],
    [{}, { maxFiles: Infinity, maxAgeHours: 72, maxTotalBytes: 1024 ** 3 }],
    [{ maxFiles: 10 }, { maxFiles: 10, maxAgeHours: 72, maxTotalBytes: 1024 ** 3 }],
    [{ maxAgeHours: 0.5 }, { maxFiles: Infinity, maxAgeHours: 0.5, maxTotalBytes: 1024 ** 3 }],
    [{ maxTotalBytes: 1 }, { maxFiles: Infinity, maxAgeHours: 72, maxTotalBytes: 1 }],
    [
      { maxFiles: Infinity, maxAgeHours: Infinity, maxTotalBytes: Infinity },
      { maxFiles: Infinity, maxAgeHours: Infinity, maxTotalBytes: Infinity },
    ],
    [
      { maxFiles: 1, maxAgeHours: 1, maxTotalBytes: 1024 },
      { maxFiles: 1, maxAgeHours: 1, maxTotalBytes: 1024 },
    ],
  ])('takes retention %p', (retention, expected) => {
    expect(validateOptions({ ...base, retention }).retention).toEqual(expected);
  });

  it.each([
    ['default', {}],
    [undefined, {}],
    ['python', { warn: 'WARNING', fatal: 'CRITICAL' }],
    [
      { info: 'INFORMATION', audit: 'AUDIT' },
      { info: 'INFORMATION', audit: 'AUDIT' },
    ],
    [{ info: 'Információ' }, { info: 'Információ' }],
  ])('takes levelLabels %p', (levelLabels, expected) => {
    expect(validateOptions({ ...base, levelLabels }).levelLabels).toEqual(expected);
  });

  it("throws an OptionError with the toolkit's code, naming the option", () => {
    let error: unknown;
    try {
      validateOptions({ ...base, frequncy: 'hourly' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OptionError);
    expect(error).toMatchObject({ code: OPTION_ERROR_CODE, option: 'frequncy' });
  });

  it('uses the shared preset objects', () => {
    expect(validateOptions({ ...base, levelLabels: 'python' }).levelLabels).toBe(LEVEL_LABEL_PRESETS.python);
  });

  it.each([1024, 2048, 1_048_376])('takes maxEventBytes %p', (maxEventBytes) => {
    expect(validateOptions({ ...base, maxEventBytes }).maxEventBytes).toBe(maxEventBytes);
  });

  it.each<[unknown, number]>([
    [0o600, 0o600],
    [0o644, 0o644],
    ['640', 0o640],
    ['0660', 0o660],
    [0o777, 0o777],
  ])('takes mode %p as 0o%o', (mode, expected) => {
    expect(validateOptions({ ...base, mode }).mode).toBe(expected);
  });

  it.each<[unknown, number]>([
    [0o700, 0o700],
    ['750', 0o750],
    ['0770', 0o770],
  ])('takes dirMode %p', (dirMode, expected) => {
    expect(validateOptions({ ...base, dirMode }).dirMode).toBe(expected);
  });

  it('takes maxBufferedBytes', () => {
    expect(validateOptions({ ...base, maxBufferedBytes: 1 }).maxBufferedBytes).toBe(1);
  });

  it('takes levels as pino sends them ({ labels, values }) or as a plain map', () => {
    const values = { trace: 10, info: 30, audit: 35 };
    expect(validateOptions({ ...base, levels: { labels: { 10: 'trace' }, values } }).levels).toEqual(values);
    expect(validateOptions({ ...base, levels: values }).levels).toEqual(values);
  });

  it('takes messageKey, errorKey and a clock', () => {
    const now = (): number => 42;
    const settings = validateOptions({ ...base, messageKey: 'message', errorKey: 'error', now });
    expect(settings).toMatchObject({ messageKey: 'message', errorKey: 'error' });
    expect(settings.now).toBe(now);
  });
});

describe('validateOptions: file is the base path of the files, not their folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-options-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['./logs/', 'ends with a separator', "'./logs/app.log'", './logs/app.log'],
    ['logs//', 'ends with a separator', "'logs/app.log'", 'logs/app.log'],
    ['/', 'ends with a separator', "'/app.log'", '/app.log'],
    ['.', 'names a folder', "'./app.log'", './app.log'],
    ['logs/..', 'names a folder', "'logs/../app.log'", 'logs/../app.log'],
  ])('refuses %p (%s) and shows the form that works', (file, why, literal, example) => {
    expect(() => validateOptions({ ...base, file })).toThrow(
      `pino-cloudwatch-file: option "file" must be the base path of the files, not a folder: ` +
        `${JSON.stringify(file)} ${why}; write file: ${literal} for files ${example}.<period>`,
    );
  });

  it('refuses a path that names an existing folder (file: "/tmp" would write tmp.<period> in /)', () => {
    expect(() => validateOptions({ ...base, file: dir })).toThrow(
      `option "file" must be the base path of the files, not a folder: ${JSON.stringify(dir)} is a folder; ` +
        `write file: '${dir}/app.log' for files ${dir}/app.log.<period>`,
    );
  });

  it('refuses a relative path that names an existing folder, resolved against the working folder', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      fs.mkdirSync('logs', { recursive: true });
      expect(() => validateOptions({ ...base, file: 'logs' })).toThrow(
        `"logs" is a folder; write file: 'logs/app.log' for files logs/app.log.<period>`,
      );
    } finally {
      process.chdir(cwd);
    }
  });

  it('writes the example as a string literal that needs escapes when the path has a quote', () => {
    expect(() => validateOptions({ ...base, file: "/var/log/it's/" })).toThrow(
      `write file: "/var/log/it's/app.log" for files`,
    );
  });

  it('takes a base path in a folder that does not exist yet, creating nothing', () => {
    const file = path.join(dir, 'missing', 'app.log');
    expect(validateOptions({ ...base, file }).file).toBe(file);
    expect(fs.existsSync(path.join(dir, 'missing'))).toBe(false);
  });

  it('takes a base path that is an existing file (an earlier run wrote nothing but left the name)', () => {
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, '');
    expect(validateOptions({ ...base, file }).dir).toBe(dir);
  });
});

describe('validateOptions: rejections name the option', () => {
  const cases: [string, Record<string, unknown>, string, string?][] = [
    ['a missing file', { app: 'demo' }, 'file', "is required: give the files' base path"],
    ['an empty file', { ...base, file: '' }, 'file'],
    ['a blank file', { ...base, file: '   ' }, 'file'],
    ['a number as file', { ...base, file: 42 }, 'file', 'got 42'],
    ['a file with a line break', { ...base, file: 'a\nb.log' }, 'file', 'line breaks'],
    ['a missing app', { file: base.file }, 'app'],
    ['an empty app', { ...base, app: '' }, 'app', 'got ""'],
    ['null as app', { ...base, app: null }, 'app', 'got null'],
    ['an app with a line break', { ...base, app: 'x\r' }, 'app', 'line breaks'],
    ['an empty process', { ...base, process: '' }, 'process'],
    ['a number as process', { ...base, process: 5 }, 'process'],
    ['a process with a line break', { ...base, process: 'a\nb' }, 'process', 'line breaks'],
    ['an unknown frequency word', { ...base, frequency: 'weekly' }, 'frequency', "'hourly', 'daily'"],
    [
      'a mode in decimal digits',
      { ...base, mode: '644x' },
      'mode',
      "integer from 0 to 0o777 such as 0o640, or the same as octal text ('640')",
    ],
    ['a mode with the digit 8', { ...base, mode: '680' }, 'mode', 'got "680"'],
    ['a mode past 0o777', { ...base, mode: 0o1777 }, 'mode', 'got 1023'],
    ['a negative mode', { ...base, mode: -1 }, 'mode'],
    ['a fractional mode', { ...base, mode: 416.5 }, 'mode'],
    [
      'a mode the owner cannot write',
      { ...base, mode: 0o444 },
      'mode',
      'must let the owner read and write its files (0o600), got 0o444',
    ],
    ['a mode the owner cannot read', { ...base, mode: '200' }, 'mode', '(0o600)'],
    [
      'a dirMode without search',
      { ...base, dirMode: 0o600 },
      'dirMode',
      'read, write and search its folders (0o700), got 0o600',
    ],
    ['a dirMode as a boolean', { ...base, dirMode: true }, 'dirMode', 'got true'],
    ['a zero frequency', { ...base, frequency: 0 }, 'frequency'],
    ['a negative frequency', { ...base, frequency: -HOUR_MS }, 'frequency'],
    ['a fractional frequency', { ...base, frequency: 1.5 }, 'frequency'],
    ['NaN as frequency', { ...base, frequency: NaN }, 'frequency'],
    ['Infinity as frequency', { ...base, frequency: Infinity }, 'frequency'],
    ['a frequency as a string', { ...base, frequency: '3600000' }, 'frequency'],
    [
      'a frequency not dividing a day (7 h)',
      { ...base, frequency: 7 * HOUR_MS },
      'frequency',
      'does not divide a day',
    ],
    [
      'a frequency not dividing a day (59 min)',
      { ...base, frequency: 59 * MIN, allowShortFrequency: true },
      'frequency',
      'does not divide a day',
    ],
    ['two days', { ...base, frequency: 2 * DAY_MS }, 'frequency', 'does not divide a day'],
    [
      'a frequency of 1.5 s',
      { ...base, frequency: 1500, allowShortFrequency: true },
      'frequency',
      'whole seconds',
    ],
    [
      'a frequency of 500 ms',
      { ...base, frequency: 500, allowShortFrequency: true },
      'frequency',
      'whole seconds',
    ],
    ['15 min without allowShortFrequency', { ...base, frequency: 15 * MIN }, 'frequency', 'auto_removal'],
    [
      '1 s without allowShortFrequency',
      { ...base, frequency: 1000 },
      'frequency',
      'allowShortFrequency: true',
    ],
    [
      'a string allowShortFrequency',
      { ...base, allowShortFrequency: 'yes' },
      'allowShortFrequency',
      'true or false',
    ],
    ['a string utc', { ...base, utc: 'true' }, 'utc', 'true or false'],
    ['a number utc', { ...base, utc: 1 }, 'utc'],
    ['null mkdir', { ...base, mkdir: null }, 'mkdir'],
    ['a string pid', { ...base, pid: 'yes' }, 'pid'],
    ['a number hostname', { ...base, hostname: 0 }, 'hostname'],
    ['true as retention', { ...base, retention: true }, 'retention', 'or false'],
    ['null as retention', { ...base, retention: null }, 'retention'],
    ['an array as retention', { ...base, retention: [] }, 'retention', 'got []'],
    ['a string retention', { ...base, retention: 'none' }, 'retention'],
    ['zero retention', { ...base, retention: 0 }, 'retention'],
    [
      'an unknown retention key',
      { ...base, retention: { maxDays: 3 } },
      'retention.maxDays',
      'maxFiles, maxAgeHours or maxTotalBytes',
    ],
    ['zero maxFiles', { ...base, retention: { maxFiles: 0 } }, 'retention.maxFiles', 'positive whole number'],
    ['negative maxFiles', { ...base, retention: { maxFiles: -1 } }, 'retention.maxFiles'],
    ['fractional maxFiles', { ...base, retention: { maxFiles: 1.5 } }, 'retention.maxFiles'],
    ['a string maxFiles', { ...base, retention: { maxFiles: '10' } }, 'retention.maxFiles'],
    ['zero maxAgeHours', { ...base, retention: { maxAgeHours: 0 } }, 'retention.maxAgeHours'],
    ['negative maxAgeHours', { ...base, retention: { maxAgeHours: -1 } }, 'retention.maxAgeHours'],
    ['NaN maxAgeHours', { ...base, retention: { maxAgeHours: NaN } }, 'retention.maxAgeHours'],
    ['zero maxTotalBytes', { ...base, retention: { maxTotalBytes: 0 } }, 'retention.maxTotalBytes'],
    ['fractional maxTotalBytes', { ...base, retention: { maxTotalBytes: 1.5 } }, 'retention.maxTotalBytes'],
    ['an unknown preset', { ...base, levelLabels: 'java' }, 'levelLabels', "'default', 'python'"],
    ['null levelLabels', { ...base, levelLabels: null }, 'levelLabels'],
    ['an array as levelLabels', { ...base, levelLabels: ['INFO'] }, 'levelLabels'],
    ['an empty label', { ...base, levelLabels: { warn: '' } }, 'levelLabels.warn'],
    [
      'a label with a quote',
      { ...base, levelLabels: { warn: 'W"ARN' } },
      'levelLabels.warn',
      'without spaces, brackets, quotes',
    ],
    ['a label with a backslash', { ...base, levelLabels: { warn: 'a\\b' } }, 'levelLabels.warn'],
    ['a label with a line break', { ...base, levelLabels: { warn: 'x\n' } }, 'levelLabels.warn'],
    ['a number as label', { ...base, levelLabels: { warn: 5 } }, 'levelLabels.warn'],
    ['maxEventBytes under 1024', { ...base, maxEventBytes: 1023 }, 'maxEventBytes', 'at least 1024'],
    ['zero maxEventBytes', { ...base, maxEventBytes: 0 }, 'maxEventBytes'],
    ['negative maxEventBytes', { ...base, maxEventBytes: -1 }, 'maxEventBytes'],
    ['fractional maxEventBytes', { ...base, maxEventBytes: 2048.5 }, 'maxEventBytes'],
    ['a string maxEventBytes', { ...base, maxEventBytes: '262118' }, 'maxEventBytes'],
    ['zero maxBufferedBytes', { ...base, maxBufferedBytes: 0 }, 'maxBufferedBytes'],
    ['fractional maxBufferedBytes', { ...base, maxBufferedBytes: 1.5 }, 'maxBufferedBytes'],
    ['a string maxBufferedBytes', { ...base, maxBufferedBytes: 'x' }, 'maxBufferedBytes'],
    ['a string as levels', { ...base, levels: 'x' }, 'levels'],
    ['null levels', { ...base, levels: null }, 'levels'],
    ['an array as levels', { ...base, levels: [30] }, 'levels'],
    ['a string level number', { ...base, levels: { info: '30' } }, 'levels.info', 'must be a number'],
    ['a string level number in pino’s shape', { ...base, levels: { values: { info: 'x' } } }, 'levels.info'],
    ['an empty messageKey', { ...base, messageKey: '' }, 'messageKey'],
    ['a number messageKey', { ...base, messageKey: 5 }, 'messageKey'],
    ['an empty errorKey', { ...base, errorKey: '' }, 'errorKey'],
    ['a number as clock', { ...base, now: 5 }, 'now', 'function'],
    ['a string as clock', { ...base, now: 'Date.now' }, 'now'],
    ['a typo of an option', { ...base, fiel: 'x' }, 'fiel', 'is not known; did you mean "file"?'],
    ['another typo', { ...base, frequncy: 'daily' }, 'frequncy', 'did you mean "frequency"?'],
    ['an option in another case', { ...base, levellabels: 'python' }, 'levellabels', '"levelLabels"'],
    ['snake case', { ...base, max_event_bytes: 9000 }, 'max_event_bytes', '"maxEventBytes"'],
    [
      'a retention key at the top level',
      { ...base, maxFiles: 3 },
      'maxFiles',
      'is not known here; did you mean "retention.maxFiles"?',
    ],
  ];

  // Rows get an explicit '' detail: a missing argument would be taken for jest's done callback.
  const rows = cases.map(([what, options, option, detail]) => [what, options, option, detail ?? ''] as const);

  it.each(rows)('refuses %s', (_what, options, option, detail) => {
    // Act
    const act = (): unknown => validateOptions(options);
    // Assess
    expect(act).toThrow(`pino-cloudwatch-file: option "${option}"`);
    if (detail !== '') expect(act).toThrow(detail);
  });

  it.each([null, undefined, 'app.log', 42, [], [base]])('refuses %p as the options', (input) => {
    expect(() => validateOptions(input)).toThrow(
      'pino-cloudwatch-file: option "options" must be an object like { file, app }',
    );
  });
});
