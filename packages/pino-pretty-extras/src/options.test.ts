import fs from 'node:fs';
import { parseOptions, withPinoConfig } from './options';
import { OptionError } from './option-error';
import { PLAIN_RUNTIME, format, pinoRecord } from './test-helpers';
import { formatRecord } from './format-record';

describe('parseOptions', () => {
  it('returns a frozen context with the defaults', () => {
    const context = parseOptions({}, PLAIN_RUNTIME);
    expect(Object.isFrozen(context)).toBe(true);
    expect(Object.isFrozen(context.settings)).toBe(true);
    expect(context.settings).toMatchObject({
      colorize: false,
      timeZone: 'local',
      timeFormat: 'YYYY-MM-DD HH:mm:ss',
      messageKey: 'msg',
      errorKey: 'err',
      destination: 1,
      maxDepth: 5,
      maxValueLength: 1000,
      eol: '\n',
      raw: false,
    });
  });

  it.each([
    [{ colorize: 'true' }, 'colorize', 'must be true or false; got "true"'],
    [{ utc: 'false' }, 'utc', 'must be true or false'],
    [{ crlf: 'true' }, 'crlf', 'must be true or false'],
    [{ raw: 1 }, 'raw', 'must be true or false; got 1'],
    [{ maxDepth: '3' }, 'maxDepth', 'must be a positive integer; got "3"'],
    [{ destination: '2' }, 'destination', 'is a file descriptor only as a number (2)'],
    [{ customLevels: { notice: '35' } }, 'customLevels.notice', 'must be an integer level number'],
  ])(
    'takes typed values only, as the JSON file does: refuses %j (the CLI converts its text)',
    (options, option, rule) => {
      expect(() => parseOptions(options as never, PLAIN_RUNTIME)).toThrow(`option "${option}" ${rule}`);
    },
  );

  it('takes the text forms of the list and map options, as pino-pretty does', () => {
    const context = parseOptions(
      { ignore: 'a, b', customLevels: 'notice:35', customColors: 'notice:cyan', levelLabels: 'warn:W' },
      PLAIN_RUNTIME,
    );
    expect([...context.settings.ignore]).toEqual(['a', 'b']);
    expect(context.settings.levels).toMatchObject({ notice: 35 });
    expect(context.settings.levelLabels).toEqual({ warn: 'W' });
  });

  it('colours by default only when the destination is a TTY', () => {
    expect(parseOptions({}, { env: {}, isTTY: (fd) => fd === 1 }).settings.colorize).toBe(true);
    expect(parseOptions({ destination: 2 }, { env: {}, isTTY: (fd) => fd === 1 }).settings.colorize).toBe(
      false,
    );
    expect(parseOptions({}, { env: { NO_COLOR: '1' }, isTTY: () => true }).settings.colorize).toBe(false);
    expect(
      parseOptions({ destination: '/tmp/x.log' }, { env: {}, isTTY: () => true }).settings.colorize,
    ).toBe(false);
    expect(
      parseOptions({ colorize: 'auto' }, { env: { FORCE_COLOR: '1' }, isTTY: () => false }).settings.colorize,
    ).toBe(true);
  });

  it.each([
    [{ maxDepth: 0 }, 'maxDepth', 'must be a positive integer; got 0'],
    [{ maxValueLength: 'lots' }, 'maxValueLength', 'must be a positive integer; got "lots"'],
    [{ colorize: 'yes' }, 'colorize', 'must be true or false; got "yes"'],
    [{ messageKey: '' }, 'messageKey', 'must be a non-empty string; got ""'],
    [{ levelLabels: 'java' }, 'levelLabels', "must be 'default', 'python' or a map of level names to labels"],
    [{ levelLabels: { warn: '' } }, 'levelLabels.warn', 'must be a non-empty label'],
    [
      { customLevels: { notice: 'high' } },
      'customLevels.notice',
      'must be an integer level number; got "high"',
    ],
    [{ customColors: { nope: 'red' } }, 'customColors.nope', 'must name a known level'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone', "must be 'local', 'UTC' or an IANA time zone"],
    [{ timeFormat: '' }, 'timeFormat', 'must be a non-empty string'],
    [{ destination: {} }, 'destination', 'must be a file descriptor, a file path or a writable stream'],
    [{ ignore: [1] }, 'ignore', 'must be an array of key names'],
    [{ include: 'pid', ignore: 'pid' }, 'include', 'must not name a key that "ignore" names'],
  ])('rejects %j naming the option', (options, option, rule) => {
    let error: unknown;
    try {
      parseOptions(options as never, PLAIN_RUNTIME);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OptionError);
    expect((error as OptionError).option).toBe(option);
    expect((error as Error).message).toContain(`option "${option}" ${rule}`);
  });

  it('refuses a typo of an option, naming the option it meant', () => {
    expect(() => parseOptions({ colorise: true } as never, PLAIN_RUNTIME)).toThrow(
      'option "colorise" is not known; did you mean "colorize"?',
    );
    expect(() => parseOptions({ max_depth: 3 } as never, PLAIN_RUNTIME)).toThrow('did you mean "maxDepth"?');
  });

  it('ignores the keys pino and thread-stream add, and reports (without refusing) a key far from every option', () => {
    const written = jest.spyOn(fs, 'writeSync').mockImplementation(() => 0);
    try {
      const host = {
        pinoWillSendConfig: true,
        levels: { notice: 35 },
        $context: { threadStreamVersion: '4' },
      };
      expect(() => parseOptions(host as never, PLAIN_RUNTIME)).not.toThrow();
      expect(written).not.toHaveBeenCalled();
      expect(() => parseOptions({ somethingNew: 1 } as never, PLAIN_RUNTIME)).not.toThrow();
      expect(written).toHaveBeenCalledWith(
        2,
        expect.stringContaining('pino-pretty-extras: option "somethingNew" is not known and is ignored'),
      );
    } finally {
      written.mockRestore();
    }
  });
});

describe('withPinoConfig', () => {
  it("takes the logger's levels, messageKey and errorKey", () => {
    // Prepare
    const context = parseOptions({ timeZone: 'UTC' }, PLAIN_RUNTIME);
    const record = pinoRecord({
      level: 35,
      message: 'hi',
      failure: { type: 'E', message: 'm', stack: 'E: m' },
    });

    // Act
    const configured = withPinoConfig(context, {
      levels: { values: { info: 30, notice: 35 } },
      messageKey: 'message',
      errorKey: 'failure',
    });

    // Assess
    expect(formatRecord(record, context)).toContain('[35] app | message=hi failure.type=E');
    expect(formatRecord(record, configured)).toBe(
      '2025-12-13 12:30:45 [NOTICE] app - hi | failure.type=E failure.message=m\n    E: m\n',
    );
  });

  it('keeps the label map of the options', () => {
    const context = withPinoConfig(parseOptions({ levelLabels: 'python', timeZone: 'UTC' }, PLAIN_RUNTIME), {
      levels: { values: { warn: 40 } },
    });
    expect(formatRecord(pinoRecord({ level: 40 }, 'x'), context)).toBe(
      '2025-12-13 12:30:45 [WARNING] app - x\n',
    );
  });
});

describe('timestampKey', () => {
  it('reads the time from another key and hides it', () => {
    const record = { level: 30, ts: Date.UTC(2025, 0, 2, 3, 4, 5), msg: 'x', time: 'kept' };
    expect(format(record, { timestampKey: 'ts', timeZone: 'UTC' })).toBe(
      '2025-01-02 03:04:05 [INFO] x | time=kept\n',
    );
  });
});
