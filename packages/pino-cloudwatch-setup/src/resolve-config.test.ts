import fs from 'node:fs';
import path from 'node:path';
import { levelMap } from 'pino-cloudwatch-core';
import { loggingOptions } from './logging-options';
import { resolveLoggingConfig } from './resolve-config';
import { tempDir } from './test-helpers';
import type { LoggingConfig } from './types';

describe('resolveLoggingConfig', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  const resolve = (config: Partial<LoggingConfig>, env: NodeJS.ProcessEnv = {}) =>
    resolveLoggingConfig({ env: 'local', app: 'cw_demo', ...config } as LoggingConfig, levelMap(), env);

  describe('local', () => {
    it('applies the defaults and freezes the result', () => {
      const resolved = resolve({});
      expect(resolved).toEqual({
        env: 'local',
        output: 'files',
        app: 'cw_demo',
        logPath: undefined,
        logDir: undefined,
        process: 'main',
        logLevel: 'info',
        fileLevel: 'info',
        name: 'cw_demo',
        colorize: 'auto',
        levelLabels: 'default',
        file: {},
        console: {},
      });
      expect(Object.isFrozen(resolved)).toBe(true);
    });

    it('ignores logPath: no folder is created locally', () => {
      const logPath = path.join(tmp.dir, 'logs', 'app.log');
      expect(resolve({ logPath }).logPath).toBeUndefined();
      expect(fs.existsSync(path.dirname(logPath))).toBe(false);
    });
  });

  describe('levels', () => {
    it('takes LOG_LEVEL when logLevel is not given, and logLevel over it', () => {
      expect(resolve({}, { LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
      expect(resolve({ logLevel: 'warning' }, { LOG_LEVEL: 'debug' }).logLevel).toBe('warn');
      expect(resolve({}, { LOG_LEVEL: '' }).logLevel).toBe('info');
    });

    it('names LOG_LEVEL when that is where the bad value came from', () => {
      expect(() => resolve({}, { LOG_LEVEL: 'loud' })).toThrow(
        'pino-cloudwatch-setup: LOG_LEVEL (the default of logLevel): "loud" is not a level',
      );
      expect(() => resolve({ logLevel: 'loud' })).toThrow(
        'pino-cloudwatch-setup: logLevel: "loud" is not a level',
      );
    });

    it('refuses silent as fileLevel', () => {
      expect(() => resolve({ fileLevel: 'silent' })).toThrow('fileLevel: "silent" is not a level');
    });
  });

  describe('console', () => {
    it('leaves colours to pino-pretty-extras unless told', () => {
      expect(resolve({}).colorize).toBe('auto');
      expect(resolve({ colorize: false }).colorize).toBe(false);
    });

    it('lets pino-pretty-extras check its own options at start-up', () => {
      expect(() => resolve({ console: { maxDepth: 'deep' as unknown as number } })).toThrow(/maxDepth/);
      expect(resolve({ console: { ignore: ['req.headers'] } }).console).toEqual({ ignore: ['req.headers'] });
    });
  });

  describe('bad values fail with a message naming the option', () => {
    it.each<[string, Partial<LoggingConfig> | unknown, RegExp | string]>([
      ['unknown env', { env: 'staging' }, `env must be one of 'local' | 'production', got "staging"`],
      ['missing env', { env: undefined }, 'env must be one of'],
      ['empty app', { app: '' }, 'app must be a non-empty string, got ""'],
      ['blank app', { app: '  ' }, 'app must be a non-empty string'],
      ['app not a string', { app: 42 }, 'app must be a non-empty string, got 42'],
      ['empty process', { process: '' }, 'process must be a non-empty string'],
      ['a typo', { logpath: 'x' }, 'logpath is not known; did you mean "logPath"?'],
      ['an unknown option', { rotation: 'x' }, /rotation is not known; known options: env, app, logPath/],
      [
        'a typo in file',
        { file: { frequncy: 'daily' } },
        'file.frequncy is not known; did you mean "frequency"?',
      ],
      [
        'an unknown file option',
        { file: { compress: true } },
        'file.compress is not known; known options: file',
      ],
      [
        'a typo in console',
        { console: { ignor: 'pid' } },
        'console.ignor is not known; did you mean "ignore"?',
      ],
      [
        'an unknown console option',
        { console: { colour: true } },
        'console.colour is not known; known options',
      ],
      ['a text boolean in console', { console: { sync: 'true' } }, 'option "sync" must be true or false'],
      ['colorize not boolean', { colorize: 'yes' }, `colorize must be true, false or 'auto'`],
      ['bad levelLabels', { levelLabels: 'java' }, `levelLabels must be 'default', 'python' or`],
      ['empty label', { levelLabels: { warn: '' } }, 'levelLabels.warn must be a non-empty label'],
      ['file not an object', { file: 'daily' }, 'file must be an object of transport options'],
      ['file.app', { file: { app: 'x' } }, 'file.app cannot be set here'],
      ['console.colorize', { console: { colorize: true } }, 'console.colorize cannot be set here'],
    ])('%s', (_what, config, message) => {
      expect(() => resolve(config as Partial<LoggingConfig>)).toThrow(message);
    });

    it('a config that is not an object', () => {
      expect(() => resolveLoggingConfig(null as unknown as LoggingConfig)).toThrow(
        'option "config" must be an object',
      );
    });
  });

  describe('production', () => {
    it('requires logPath', () => {
      expect(() => resolve({ env: 'production' })).toThrow('logPath is required in production');
      expect(() => resolve({ env: 'production', logPath: '' })).toThrow('logPath must be a non-empty string');
    });

    it('makes logPath absolute, and writes nothing: the folder is made where logging starts', () => {
      const logPath = path.join(path.relative(process.cwd(), tmp.dir), 'nested', 'app.log');
      const resolved = resolve({ env: 'production', logPath });
      expect(resolved.logPath).toBe(path.join(tmp.dir, 'nested', 'app.log'));
      expect(resolved.logDir).toBe(path.join(tmp.dir, 'nested'));
      expect(fs.existsSync(resolved.logDir!)).toBe(false);
    });

    it("loggingOptions creates the folder with the file transport's dirMode: 0750 by default, file.dirMode when set", () => {
      const umask = process.umask(0o022);
      try {
        loggingOptions({ env: 'production', app: 'a', logPath: path.join(tmp.dir, 'd1', 'app.log') });
        loggingOptions({
          env: 'production',
          app: 'a',
          logPath: path.join(tmp.dir, 'd2', 'app.log'),
          file: { dirMode: '700' },
        });
        expect(fs.statSync(path.join(tmp.dir, 'd1')).mode & 0o777).toBe(0o750);
        expect(fs.statSync(path.join(tmp.dir, 'd2')).mode & 0o777).toBe(0o700);
      } finally {
        process.umask(umask);
      }
    });

    it('loggingOptions refuses a path whose folder cannot be created or written', () => {
      const blocker = path.join(tmp.dir, 'file');
      fs.writeFileSync(blocker, '');
      expect(() =>
        loggingOptions({ env: 'production', app: 'a', logPath: path.join(blocker, 'app.log') }),
      ).toThrow(/logPath: cannot write log files .* is not writable \((ENOTDIR|EEXIST)/);
    });

    it('refuses a logPath that is a folder, naming logPath (not the file option it becomes)', () => {
      for (const logPath of [tmp.dir, tmp.dir + '/', './logs/']) {
        let thrown: unknown;
        try {
          resolve({ env: 'production', logPath });
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(Error);
        expect((thrown as Error).message).toMatch(
          /^pino-cloudwatch-setup: logPath must be the base path of the files, not a folder: .*; write logPath: '.*\/app\.log'/,
        );
        expect((thrown as Error).message).not.toContain('option "file"');
      }
    });

    it('lets pino-cloudwatch-file check its own options at start-up', () => {
      const logPath = path.join(tmp.dir, 'app.log');
      expect(() => resolve({ env: 'production', logPath, file: { frequency: 60_000 } })).toThrow(/frequency/);
      expect(() => resolve({ env: 'production', logPath, file: { retention: { maxFiles: -1 } } })).toThrow(
        /maxFiles/,
      );
      expect(resolve({ env: 'production', logPath, file: { frequency: 'daily' } }).file).toEqual({
        frequency: 'daily',
      });
    });
  });
});
