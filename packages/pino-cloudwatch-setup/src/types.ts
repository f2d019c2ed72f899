import type { CloudWatchFileOptions } from 'pino-cloudwatch-file';
import type { PrettyExtrasOptions } from 'pino-pretty-extras';
import type { RequestContexts } from 'pino-request-context';
import type { ENVIRONMENTS } from './constants';

export type Environment = (typeof ENVIRONMENTS)[number];

/** Label map shared by the JSON file and the console (same shape as both transports' `levelLabels`). */
export type LevelLabels = 'default' | 'python' | Record<string, string>;

/**
 * Options passed through to `pino-cloudwatch-file` (its own type, see its README): `file`,
 * `destination`, `app`, `process`, `levelLabels` and pino's keys come from the config itself and cannot
 * be set here.
 */
export type FileTransportOptions = Omit<
  CloudWatchFileOptions,
  'file' | 'destination' | 'app' | 'process' | 'levelLabels' | 'levels' | 'messageKey' | 'errorKey'
>;

/**
 * Options passed through to `pino-pretty-extras` (its own type, see its README): `colorize` and
 * `levelLabels` come from the config itself.
 */
export type ConsoleTransportOptions = Omit<PrettyExtrasOptions, 'colorize' | 'levelLabels'>;

/** Where the CloudWatch JSON lines go in production. */
export type Output = 'files' | 'stdout';

/** What `loggingOptions` / `setupLogging` take. */
export interface LoggingConfig {
  /** `'local'`: console only. `'production'`: console + hourly CloudWatch JSON files. Required. */
  env: Environment;
  /**
   * Where the CloudWatch JSON lines go in production: `'files'` (default: hourly files under
   * `logPath`, for the agent sidecar) or `'stdout'` (standard output, for the `awslogs` driver,
   * FireLens or a Kubernetes node collector; then there is no console unless `console` asks for one,
   * which goes to standard error — collectors ship that too — and `logPath` and the file options of
   * rotation and retention do not apply). The demo reads `LOG_OUTPUT`.
   */
  output?: Output;
  /** Application name: the `app` field of every JSON line. Required, non-empty. */
  app: string;
  /**
   * Base path of the files, e.g. `./logs/app.log` (files `app.log.YYYY-MM-DD_HH`), not their folder.
   * Relative paths resolve against the working folder at start-up. Required in production, ignored locally.
   */
  logPath?: string;
  /** The `process` field of every JSON line. Default `'main'`. */
  process?: string;
  /** Level of the logger (console and file). Default `process.env.LOG_LEVEL`, else `'info'`. Case-insensitive; `WARNING`/`CRITICAL` accepted. */
  logLevel?: string;
  /** Minimum level written to the file (production). Default `'info'`. */
  fileLevel?: string;
  /** pino `name` (the `logger` field / console name). Default: `app`. */
  name?: string;
  /** Colours on the console. Default `'auto'`: pino-pretty-extras decides (a TTY, `NO_COLOR`, `FORCE_COLOR`). */
  colorize?: boolean | 'auto';
  /** Level labels for both the JSON and the console. Default `'default'` (INFO, WARN, ...). */
  levelLabels?: LevelLabels;
  /** Extra options for the file transport (frequency, retention, ...). */
  file?: FileTransportOptions;
  /**
   * Extra options for the console transport (destination, ignore, include, ...), or `false` for no
   * console in production. With `output: 'stdout'` there is none unless this is given, and then its
   * destination is 2, standard error.
   */
  console?: ConsoleTransportOptions | false;
  /**
   * Buffer debug records per request (`pino-request-context`): records below `logLevel` logged
   * inside a context are written only before an error of that context. `setupLogging` wraps the
   * destination with it, sets its level to `logLevel` and the logger's to its `loggerLevel`; both
   * outputs then take every record it lets through (`fileLevel`, if set, may not be above `logLevel`).
   */
  requestContexts?: RequestContexts;
}

/** The config after validation: every default applied, paths absolute, frozen. */
export interface ResolvedLoggingConfig {
  readonly env: Environment;
  readonly app: string;
  /** Where the JSON lines go in production (`'files'` locally too, where nothing is written). */
  readonly output: Output;
  /** Absolute base path in production with files, `undefined` otherwise. */
  readonly logPath: string | undefined;
  /** Absolute folder of the files in production with files, `undefined` otherwise. */
  readonly logDir: string | undefined;
  readonly process: string;
  readonly logLevel: string;
  readonly fileLevel: string;
  readonly name: string;
  readonly colorize: boolean | 'auto';
  readonly levelLabels: LevelLabels;
  readonly file: Readonly<FileTransportOptions>;
  /** The console's options, or `false` for none. */
  readonly console: Readonly<ConsoleTransportOptions> | false;
  readonly requestContexts: RequestContexts | undefined;
}
