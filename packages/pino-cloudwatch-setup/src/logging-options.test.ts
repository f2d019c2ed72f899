import path from 'node:path';
import pino, { type TransportMultiOptions } from 'pino';
import { loggingOptions } from './logging-options';
import { tempDir } from './test-helpers';

describe('loggingOptions', () => {
  let tmp: ReturnType<typeof tempDir>;
  const env = process.env;
  beforeEach(() => {
    tmp = tempDir();
    process.env = { ...env };
    delete process.env.LOG_LEVEL;
  });
  afterEach(() => {
    process.env = env;
    tmp.cleanup();
  });

  const targetsOf = (options: pino.LoggerOptions) => (options.transport as TransportMultiOptions).targets;

  it('local: one console target, showing whatever the logger lets through', () => {
    const options = loggingOptions({ env: 'local', app: 'cw_demo', logLevel: 'debug', colorize: false });
    expect(options).toMatchObject({ name: 'cw_demo', level: 'debug' });
    expect(targetsOf(options)).toEqual([
      {
        target: require.resolve('pino-pretty-extras'),
        level: 'trace',
        options: { colorize: false, levelLabels: 'default' },
      },
    ]);
  });

  it('production: console plus the hourly file at fileLevel, with app and process', () => {
    const logPath = path.join(tmp.dir, 'app.log');
    const options = loggingOptions({
      env: 'production',
      app: 'cw_demo',
      process: 'api',
      logPath,
      levelLabels: 'python',
      file: { retention: { maxFiles: 48 } },
      console: { destination: 2 },
    });
    expect(options.level).toBe('info');
    expect(targetsOf(options)).toEqual([
      {
        target: require.resolve('pino-pretty-extras'),
        level: 'trace',
        options: { destination: 2, colorize: 'auto', levelLabels: 'python' },
      },
      {
        target: require.resolve('pino-cloudwatch-file'),
        level: 'info',
        options: {
          retention: { maxFiles: 48 },
          file: logPath,
          app: 'cw_demo',
          process: 'api',
          levelLabels: 'python',
          levels: pino.levels.values,
          errorKey: 'err',
        },
      },
    ]);
  });

  it("tells the file target the logger's levels and keys directly, custom ones included", () => {
    const options = loggingOptions(
      { env: 'production', app: 'a', logPath: path.join(tmp.dir, 'app.log') },
      { customLevels: { audit: 35 }, messageKey: 'text', errorKey: 'problem' },
    );
    expect(targetsOf(options)[1].options).toMatchObject({
      levels: { ...pino.levels.values, audit: 35 },
      messageKey: 'text',
      errorKey: 'problem',
    });
  });

  it('keeps error causes structured by default (errWithCause), under the errorKey', () => {
    expect(loggingOptions({ env: 'local', app: 'a' }).serializers).toEqual({
      err: pino.stdSerializers.errWithCause,
    });
    expect(loggingOptions({ env: 'local', app: 'a' }, { errorKey: 'error' }).serializers).toEqual({
      error: pino.stdSerializers.errWithCause,
    });
  });

  it('merges the caller’s own pino options; theirs win for serializers', () => {
    const mixin = () => ({ region: 'eu-west-1' });
    const own = (e: Error) => ({ only: e.message });
    const options = loggingOptions(
      { env: 'local', app: 'a' },
      { redact: ['password'], mixin, serializers: { err: own, user: (u: { id: number }) => u.id } },
    );
    expect(options).toMatchObject({ redact: ['password'], mixin });
    expect(options.serializers).toEqual({ err: own, user: expect.any(Function) });
  });

  it('accepts custom levels as logLevel / fileLevel and resolves the console to the lowest', () => {
    const options = loggingOptions(
      {
        env: 'production',
        app: 'a',
        logPath: path.join(tmp.dir, 'app.log'),
        logLevel: 'chatty',
        fileLevel: 'AUDIT',
      },
      { customLevels: { chatty: 5, audit: 35 } },
    );
    expect(options.level).toBe('chatty');
    expect(targetsOf(options).map((t) => t.level)).toEqual(['chatty', 'audit']);
  });

  it.each([
    ['transport', { transport: { target: 'pino/file' } }, 'pino option "transport" cannot be passed here'],
    ['level', { level: 'debug' }, 'pino option "level" cannot be passed here: set logLevel in the config'],
    ['name', { name: 'x' }, 'set name in the config'],
    [
      'formatters.level',
      { formatters: { level: (l: string) => ({ severity: l }) } },
      'formatters.level" cannot be used',
    ],
  ])('refuses %s in the extra options, saying why', (_what, extra, message) => {
    expect(() => loggingOptions({ env: 'local', app: 'a' }, extra as pino.LoggerOptions)).toThrow(message);
  });

  it("allows formatters.log and bindings, and keeps a logged object's name as _name after them", () => {
    // Prepare
    const log = (o: Record<string, unknown>) => ({ ...o, seen: true });
    const bindings = (b: pino.Bindings) => b;

    // Act
    const options = loggingOptions({ env: 'local', app: 'a' }, { formatters: { log, bindings } });
    const ownOnly = loggingOptions({ env: 'local', app: 'a' });

    // Assess
    expect(options.formatters?.bindings).toBe(bindings);
    expect(options.formatters?.log?.({ name: 'Ada', a: 1 })).toEqual({ _name: 'Ada', a: 1, seen: true });
    expect(ownOnly.formatters?.log?.({ name: 'Ada' })).toEqual({ _name: 'Ada' });
  });
});
