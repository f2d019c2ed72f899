import fs from 'node:fs';
import { checkOptionKeys, HOST_KEYS, isHostKey, nearestOption } from './option-keys';

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
