import fs from 'node:fs';
import { checkOptionKeys, HOST_KEYS, isHostKey, nearestOption } from './option-keys';
import { checkOptionsObject, describeValue, OptionError } from './option-error';

const KNOWN = ['file', 'app', 'process', 'frequency', 'levelLabels', 'maxEventBytes', 'pid', 'utc'];

describe('nearestOption', () => {
  it.each([
    ['fiel', 'file'],
    ['frequncy', 'frequency'],
    ['frequecny', 'frequency'],
    ['levellabels', 'levelLabels'],
    ['level-labels', 'levelLabels'],
    ['max_event_bytes', 'maxEventBytes'],
    ['maxEventByte', 'maxEventBytes'],
    ['ap', 'app'],
    ['UTC', 'utc'],
  ])('takes %j for a typo of %j', (key, option) => {
    expect(nearestOption(key, KNOWN)).toBe(option);
  });

  it.each([['somethingNew'], ['pinoTransportId'], ['destination'], ['files2x']])(
    'finds nothing near %j',
    (key) => {
      expect(nearestOption(key, KNOWN)).toBeUndefined();
    },
  );
});

describe('isHostKey', () => {
  it("knows the keys pino adds and thread-stream's $ keys", () => {
    expect(HOST_KEYS).toEqual(['pinoWillSendConfig', 'levels', 'dedupe']);
    expect(['pinoWillSendConfig', 'levels', 'dedupe', '$context', '$anything'].every(isHostKey)).toBe(true);
    expect(isHostKey('file')).toBe(false);
  });
});

describe('checkOptionKeys', () => {
  const fail = (option: string, rule: string): never => {
    throw new Error(`${option} ${rule}`);
  };

  it('refuses a typo with the option it meant, ignores host keys, warns about the rest', () => {
    const warnings: string[] = [];
    const check = { fail, warn: (message: string) => warnings.push(message), name: 'pkg' };
    expect(() => checkOptionKeys({ file: 'x', fiel: 'y' }, KNOWN, check)).toThrow(
      'fiel is not known; did you mean "file"?',
    );
    checkOptionKeys({ file: 'x', pinoWillSendConfig: true, $context: {}, brandNew: 1 }, KNOWN, check);
    expect(warnings).toEqual([
      `pkg: option "brandNew" is not known and is ignored (known options: ${KNOWN.join(', ')})`,
    ]);
  });

  it('strict: refuses every unknown key, host keys too', () => {
    expect(() => checkOptionKeys({ brandNew: 1 }, KNOWN, { fail, strict: true })).toThrow(
      'brandNew is not known; known options: file, app',
    );
    expect(() => checkOptionKeys({ levels: {} }, KNOWN, { fail, strict: true })).toThrow(
      'levels is not known',
    );
  });

  it('refuses an option that belongs elsewhere, saying where', () => {
    expect(() =>
      checkOptionKeys({ maxFiles: 3 }, KNOWN, { fail, misplaced: { maxFiles: 'retention.maxFiles' } }),
    ).toThrow('maxFiles is not known here; did you mean "retention.maxFiles"?');
  });

  it('writes warnings synchronously on fd 2 by default', () => {
    const written = jest.spyOn(fs, 'writeSync').mockImplementation(() => 0);
    try {
      checkOptionKeys({ brandNew: 1 }, KNOWN, { fail });
      expect(written).toHaveBeenCalledWith(
        2,
        expect.stringMatching(/^option "brandNew" is not known and is ignored .*\n$/),
      );
    } finally {
      written.mockRestore();
    }
  });
});

describe('checkOptionsObject', () => {
  it.each([null, undefined, 'app.log', 42, []])(
    'refuses %p with an OptionError naming the option',
    (value) => {
      const act = (): void => checkOptionsObject('pkg', value, '{ a: 1 }');
      expect(act).toThrow(OptionError);
      expect(act).toThrow(
        `pkg: option "options" must be an object like { a: 1 }; got ${describeValue(value)}`,
      );
    },
  );

  it('accepts an object, and names another option when told', () => {
    expect(() => checkOptionsObject('pkg', {}, '{ a: 1 }')).not.toThrow();
    expect(() => checkOptionsObject('pkg', 1, '{ a: 1 }', 'config')).toThrow('pkg: option "config" must be');
  });
});
