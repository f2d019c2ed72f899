import path from 'node:path';
import { OPTION_NAMES as FILE_OPTION_NAMES, validateOptions } from 'pino-cloudwatch-file';
import {
  OptionError,
  checkOptionKeys,
  describeValue,
  levelMap,
  normalizeLevel,
  parseLevelLabels as parseSharedLevelLabels,
  type LevelMap,
  checkOptionsObject,
} from 'pino-cloudwatch-core';
import {
  OPTION_NAMES as CONSOLE_OPTION_NAMES,
  parseOptions as parseConsoleOptions,
} from 'pino-pretty-extras';
import { DEFAULTS, ENVIRONMENTS } from './constants';
import { checkLogPathIsNotFolder } from './log-folder';
import type { RequestContexts } from 'pino-request-context';
import type {
  ConsoleTransportOptions,
  Environment,
  LevelLabels,
  LoggingConfig,
  Output,
  ResolvedLoggingConfig,
} from './types';

const CONFIG_KEYS: ReadonlySet<string> = new Set([
  'env',
  'app',
  'logPath',
  'output',
  'process',
  'logLevel',
  'fileLevel',
  'name',
  'colorize',
  'levelLabels',
  'file',
  'console',
  'requestContexts',
] satisfies (keyof LoggingConfig)[]);

/** Set through the config itself, so not accepted inside `file` / `console`. */
const FILE_KEYS_FROM_CONFIG = ['file', 'app', 'process', 'levelLabels', 'levels', 'messageKey', 'errorKey'];
const CONSOLE_KEYS_FROM_CONFIG = ['colorize', 'levelLabels'];

const fail = (option: string, why: string): never => {
  throw new OptionError(option, `pino-cloudwatch-setup: ${option} ${why}`);
};

/**
 * Validate a {@link LoggingConfig} once, apply the defaults and freeze it; in production
 * `pino-cloudwatch-file` checks its own options too, so every bad value stops the service at start-up
 * with a message that names it. It writes nothing: the log folder is made (and checked writable) by
 * {@link loggingOptions} and `setupLogging`, where logging starts.
 */
export function resolveLoggingConfig(
  config: LoggingConfig,
  levels: LevelMap = levelMap(),
  env: NodeJS.ProcessEnv = process.env,
): ResolvedLoggingConfig {
  checkOptionsObject(
    'pino-cloudwatch-setup',
    config,
    "{ env: 'production', app: 'my_app', logPath: './logs/app.log' }",
    'config',
  );
  // No transport host adds keys here: every unknown key is refused, a typo with the option it meant.
  checkOptionKeys(config as unknown as Record<string, unknown>, CONFIG_KEYS, { fail, strict: true });
  if (!(ENVIRONMENTS as readonly unknown[]).includes(config.env)) {
    fail(
      'env',
      `must be one of ${ENVIRONMENTS.map((e) => `'${e}'`).join(' | ')}, got ${describe(config.env)}`,
    );
  }
  const environment: Environment = config.env;
  const app = nonEmptyString(config.app, 'app');
  const processName =
    config.process === undefined ? DEFAULTS.process : nonEmptyString(config.process, 'process');
  const name = config.name === undefined ? app : nonEmptyString(config.name, 'name');

  const fromEnv = config.logLevel === undefined && env.LOG_LEVEL !== undefined && env.LOG_LEVEL !== '';
  const logLevel = normalizeLevel(
    config.logLevel ?? (fromEnv ? env.LOG_LEVEL : DEFAULTS.logLevel),
    fromEnv ? 'LOG_LEVEL (the default of logLevel)' : 'logLevel',
    { levels, source: 'pino-cloudwatch-setup' },
  );
  const fileLevel = normalizeLevel(config.fileLevel ?? DEFAULTS.fileLevel, 'fileLevel', {
    levels,
    allowSilent: false,
    source: 'pino-cloudwatch-setup',
  });

  if (config.colorize !== undefined && typeof config.colorize !== 'boolean' && config.colorize !== 'auto') {
    fail('colorize', `must be true, false or 'auto', got ${describe(config.colorize)}`);
  }
  const colorize = config.colorize ?? 'auto';
  const levelLabels = parseLevelLabels(config.levelLabels);
  const output = parseOutput(config.output);
  const file = plainObject(config.file, 'file', FILE_KEYS_FROM_CONFIG, FILE_OPTION_NAMES);
  const consoleOptions = parseConsole(config.console, environment, output);
  if (consoleOptions !== false) parseConsoleOptions({ ...consoleOptions, colorize, levelLabels });

  let logPath: string | undefined;
  let logDir: string | undefined;
  if (environment === 'production' && output === 'stdout') {
    if (config.logPath !== undefined)
      fail(
        'logPath',
        `is for output 'files'; with output 'stdout' the lines go to standard output, leave it out`,
      );
    // The JSON target's own check: the file-only options (frequency, retention, ...) are refused.
    validateOptions({ ...file, destination: 1, app, process: processName, levelLabels });
  } else if (environment === 'production') {
    if (config.logPath === undefined) {
      fail('logPath', `is required in production: the base path of the hourly files, e.g. './logs/app.log'`);
    }
    const relative = nonEmptyString(config.logPath, 'logPath');
    checkLogPathIsNotFolder(relative);
    const settings = validateOptions({ ...file, file: relative, app, process: processName, levelLabels });
    logPath = settings.file;
    logDir = path.dirname(logPath);
  }

  const requestContexts = checkRequestContexts(
    config.requestContexts,
    logLevel,
    config.fileLevel === undefined ? undefined : fileLevel,
    levels,
  );

  return Object.freeze({
    env: environment,
    output,
    app,
    logPath,
    logDir,
    process: processName,
    logLevel,
    fileLevel,
    name,
    colorize,
    levelLabels,
    file,
    console: consoleOptions,
    requestContexts,
  });
}

/**
 * With request contexts, both outputs take what the contexts let through: a file level above the
 * logger's would be ignored, and a logger level below the contexts' `loggerLevel` never serialized.
 */
function checkRequestContexts(
  value: unknown,
  logLevel: string,
  fileLevel: string | undefined,
  levels: LevelMap,
): RequestContexts | undefined {
  if (value === undefined) return undefined;
  const contexts = value as RequestContexts;
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof contexts.destination !== 'function' ||
    typeof contexts.loggerLevel !== 'string'
  ) {
    fail(
      'requestContexts',
      `must be made by createRequestContexts() of pino-request-context, got ${describe(value)}`,
    );
  }
  const level = (name: string) => (name === 'silent' ? Infinity : (levels[name] as number));
  if (level(logLevel) < level(contexts.loggerLevel)) {
    fail(
      'logLevel',
      `(${logLevel}) is below the requestContexts' bufferFrom (${contexts.loggerLevel}), the lowest level they let the logger serialize`,
    );
  }
  if (fileLevel !== undefined && level(fileLevel) > level(logLevel)) {
    fail(
      'fileLevel',
      `(${fileLevel}) cannot be above logLevel (${logLevel}) with requestContexts: the file takes every record ` +
        'the contexts let through (the flushed debug records too); leave fileLevel unset or lower logLevel',
    );
  }
  // The contexts take logLevel as their level: a custom level must be theirs too.
  const previous = contexts.level;
  try {
    contexts.level = logLevel;
  } catch {
    fail(
      'requestContexts',
      `do not know the level ${logLevel} (logLevel): give createRequestContexts({ customLevels }) the customLevels given to the logger`,
    );
  }
  contexts.level = previous;
  return contexts;
}

function nonEmptyString(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    fail(option, `must be a non-empty string, got ${describe(value)}`);
  }
  return value as string;
}

/**
 * The toolkit's one level-label rule (`pino-cloudwatch-file/levels`, the same both transports apply):
 * a preset name stays a name, a map (or its text form) becomes a frozen map with lower-case keys.
 */
function parseLevelLabels(value: unknown): LevelLabels {
  if (value === undefined) return 'default';
  if (value === 'default' || value === 'python') return value;
  return parseSharedLevelLabels(value, (option, rule, given) =>
    fail(option, `${rule}, got ${describe(given)}`),
  );
}

function parseOutput(value: unknown): Output {
  if (value === undefined) return 'files';
  if (value === 'files' || value === 'stdout') return value;
  return fail('output', `must be 'files' or 'stdout', got ${describe(value)}`);
}

/**
 * The console's options, or false for none (production only). With the JSON lines on standard
 * output there is no console unless one is asked for: the `awslogs` driver, FireLens and node
 * collectors ship standard error too, and human lines there would reach CloudWatch as plain-text
 * events among the JSON. One asked for goes to standard error, never to standard output.
 */
function parseConsole(
  value: ConsoleTransportOptions | false | undefined,
  environment: Environment,
  output: Output,
): Readonly<ConsoleTransportOptions> | false {
  if (value === false) {
    if (environment === 'local')
      fail('console', `cannot be false locally: the console is all 'local' writes`);
    return false;
  }
  const stdout = environment === 'production' && output === 'stdout';
  if (stdout && value === undefined) return false;
  const options = plainObject(value, 'console', CONSOLE_KEYS_FROM_CONFIG, CONSOLE_OPTION_NAMES);
  if (!stdout) return options;
  const destination = (options as { destination?: unknown }).destination;
  if (destination === 1 || destination === '1' || destination === '/dev/stdout')
    fail(
      'console.destination',
      `cannot be standard output with output 'stdout': the JSON lines go there; use 2 (the default)`,
    );
  return Object.freeze({ destination: 2, ...options });
}

function plainObject<T extends object>(
  value: T | undefined,
  option: string,
  reserved: string[],
  known: readonly string[],
): Readonly<T> {
  if (value === undefined) return Object.freeze({}) as T;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(option, `must be an object of transport options, got ${describe(value)}`);
  }
  for (const key of reserved) {
    if (key in value)
      fail(`${option}.${key}`, `cannot be set here: it comes from the config (or from pino itself)`);
  }
  checkOptionKeys(value as Record<string, unknown>, known, {
    fail: (key, why) => fail(`${option}.${key}`, why),
    strict: true,
  });
  return Object.freeze({ ...value });
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : describeValue(value);
}
