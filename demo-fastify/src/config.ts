import { normalizeLevel } from 'pino-cloudwatch-core';
import type { Environment, LoggingConfig, Output } from 'pino-cloudwatch-setup';

const ENVIRONMENTS: readonly Environment[] = ['local', 'production'];

/** The demo's settings, read from the environment once at start-up. */
export interface DemoConfig {
  /** `ENVIRONMENT`: `local` (console only) or `production` (console + hourly files). Default `local`. */
  readonly environment: Environment;
  /** `APP`: the `app` field of every JSON line. Default `cw_demo`. */
  readonly app: string;
  /** `PROCESS_ID`: the `process` field. Default `main`. */
  readonly processId: string;
  /**
   * `LOG_OUTPUT`: where the JSON lines go in production — `files` (hourly files under `LOG_PATH`, for
   * the agent sidecar) or `stdout` (for the `awslogs` driver, FireLens or a node collector; no human
   * console then: collectors ship stderr too). Default `files`.
   */
  readonly output: Output;
  /** `LOG_PATH`: base path of the hourly files (production). Default `./logs/app.log`, relative to the working folder. */
  readonly logPath: string;
  /** `LOG_LEVEL`: the logger's level. Default `info`. */
  readonly logLevel: string;
  /** `PORT`: 0–65535; 0 picks a free port. Default 5000. */
  readonly port: number;
  /** `HOST`: interface to listen on. Default `127.0.0.1` (the Dockerfile sets `0.0.0.0`). */
  readonly host: string;
  /** `DEBUG_SAMPLE_RATE`: share of requests (0–1) that write their debug records. Default 0. */
  readonly debugSampleRate: number;
}

export const CONFIG_DEFAULTS = Object.freeze({
  ENVIRONMENT: 'local',
  APP: 'cw_demo',
  PROCESS_ID: 'main',
  LOG_OUTPUT: 'files',
  LOG_PATH: './logs/app.log',
  LOG_LEVEL: 'info',
  PORT: '5000',
  HOST: '127.0.0.1',
  DEBUG_SAMPLE_RATE: '0',
} as const);

/** A bad environment variable; its message names the variable and what it accepts. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Read and check the environment; throws a {@link ConfigError} for the first bad variable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const read = (key: keyof typeof CONFIG_DEFAULTS): string => {
    const value = env[key];
    if (value === undefined) return CONFIG_DEFAULTS[key];
    if (value.trim() === '') {
      throw new ConfigError(`${key} is set but empty; unset it to use the default (${CONFIG_DEFAULTS[key]})`);
    }
    return value.trim();
  };

  const environment = read('ENVIRONMENT');
  if (!(ENVIRONMENTS as readonly string[]).includes(environment)) {
    throw new ConfigError(
      `ENVIRONMENT must be one of ${ENVIRONMENTS.join(', ')}, got ${JSON.stringify(environment)}`,
    );
  }

  let logLevel: string;
  try {
    logLevel = normalizeLevel(read('LOG_LEVEL'), 'LOG_LEVEL');
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }

  const output = read('LOG_OUTPUT');
  if (output !== 'files' && output !== 'stdout') {
    throw new ConfigError(`LOG_OUTPUT must be files or stdout, got ${JSON.stringify(output)}`);
  }

  const portText = read('PORT');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw new ConfigError(
      `PORT must be an integer from 0 to 65535 (0 picks a free port), got ${JSON.stringify(portText)}`,
    );
  }

  const sampleText = read('DEBUG_SAMPLE_RATE');
  const debugSampleRate = Number(sampleText);
  if (!/^\d*\.?\d+$/.test(sampleText) || debugSampleRate > 1) {
    throw new ConfigError(
      `DEBUG_SAMPLE_RATE must be a number from 0 to 1 (0.01: one request in a hundred), got ${JSON.stringify(sampleText)}`,
    );
  }

  return Object.freeze({
    environment: environment as Environment,
    app: read('APP'),
    processId: read('PROCESS_ID'),
    output,
    logPath: read('LOG_PATH'),
    logLevel,
    port,
    host: read('HOST'),
    debugSampleRate,
  });
}

/** pino `name` of the demo's logger: the `logger` field of the JSON and the name on the console. */
export const LOGGER_NAME = 'app';

/** The setup helper's config for this demo config (the seed's `setup_logging(env, app, log_path, process, log_level)`). */
export function loggingConfig(config: DemoConfig): LoggingConfig {
  return {
    env: config.environment,
    app: config.app,
    name: LOGGER_NAME,
    process: config.processId,
    ...(config.output === 'stdout' ? { output: 'stdout' as const } : { logPath: config.logPath }),
    logLevel: config.logLevel,
  };
}
