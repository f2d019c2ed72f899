import { CONFIG_DEFAULTS, ConfigError, loggingConfig, readConfig } from '../src/config';

describe('readConfig', () => {
  it('has the issue’s defaults', () => {
    const config = readConfig({});
    expect(config).toEqual({
      environment: 'local',
      app: 'cw_demo',
      processId: 'main',
      output: 'files',
      logPath: './logs/app.log',
      logLevel: 'info',
      port: 5000,
      host: '127.0.0.1',
      debugSampleRate: 0,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    expect(
      readConfig({
        ENVIRONMENT: 'production',
        APP: 'shop',
        PROCESS_ID: 'api',
        LOG_OUTPUT: 'stdout',
        LOG_PATH: '/src/logs/app.log',
        LOG_LEVEL: 'WARNING',
        PORT: '0',
        HOST: '0.0.0.0',
        DEBUG_SAMPLE_RATE: '0.25',
      }),
    ).toEqual({
      environment: 'production',
      app: 'shop',
      processId: 'api',
      output: 'stdout',
      logPath: '/src/logs/app.log',
      logLevel: 'warn',
      port: 0,
      host: '0.0.0.0',
      debugSampleRate: 0.25,
    });
  });

  it.each([
    [{ ENVIRONMENT: 'staging' }, 'ENVIRONMENT must be one of local, production, got "staging"'],
    [{ ENVIRONMENT: 'Production' }, 'ENVIRONMENT must be one of local, production'],
    [{ APP: '' }, 'APP is set but empty; unset it to use the default (cw_demo)'],
    [{ APP: '   ' }, 'APP is set but empty'],
    [{ PROCESS_ID: '' }, 'PROCESS_ID is set but empty'],
    [{ LOG_PATH: '' }, 'LOG_PATH is set but empty'],
    [{ LOG_OUTPUT: 'stderr' }, 'LOG_OUTPUT must be files or stdout, got "stderr"'],
    [
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL: "loud" is not a level; accepted: trace, debug, info, warn, error, fatal, silent',
    ],
    [{ PORT: 'http' }, 'PORT must be an integer from 0 to 65535 (0 picks a free port), got "http"'],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535'],
    [{ PORT: '-1' }, 'PORT must be an integer'],
    [{ PORT: '50.5' }, 'PORT must be an integer'],
    [
      { DEBUG_SAMPLE_RATE: '1.5' },
      'DEBUG_SAMPLE_RATE must be a number from 0 to 1 (0.01: one request in a hundred), got "1.5"',
    ],
    [{ DEBUG_SAMPLE_RATE: '-0.1' }, 'DEBUG_SAMPLE_RATE must be a number from 0 to 1'],
    [{ DEBUG_SAMPLE_RATE: '10%' }, 'DEBUG_SAMPLE_RATE must be a number from 0 to 1'],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });

  it('documents its defaults as one frozen table', () => {
    expect(Object.isFrozen(CONFIG_DEFAULTS)).toBe(true);
  });

  it('maps to the setup helper’s config, with the logger named app', () => {
    expect(
      loggingConfig(readConfig({ ENVIRONMENT: 'production', PROCESS_ID: 'api', LOG_LEVEL: 'debug' })),
    ).toEqual({
      env: 'production',
      app: 'cw_demo',
      name: 'app',
      process: 'api',
      logPath: './logs/app.log',
      logLevel: 'debug',
    });
  });

  it('with LOG_OUTPUT=stdout asks the setup helper for output stdout, without a logPath', () => {
    expect(loggingConfig(readConfig({ ENVIRONMENT: 'production', LOG_OUTPUT: 'stdout' }))).toEqual({
      env: 'production',
      app: 'cw_demo',
      name: 'app',
      process: 'main',
      output: 'stdout',
      logLevel: 'info',
    });
  });
});
