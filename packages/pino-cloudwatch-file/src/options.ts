import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  MAX_EVENT_BYTES,
  STREAM_MAX_EVENT_BYTES,
  OptionError,
  checkOptionKeys,
  describeValue,
  parseLevelLabels,
  type LevelLabelMap,
  type LevelLabelsOption,
  type OptionFailure,
  checkOptionsObject,
} from 'pino-cloudwatch-core';

/** Rotation period: `'hourly'`, `'daily'`, or a period in milliseconds that divides a day. */
export type Frequency = 'hourly' | 'daily' | number;

/** Caps applied to finished files of this transport's own family, oldest first. */
export interface RetentionOptions {
  /** Keep at most this many finished files. Default: no count cap. */
  maxFiles?: number;
  /** Delete finished files whose period started more than this many hours ago. Default 72 (a weekend). */
  maxAgeHours?: number;
  /** Keep the finished files' total size under this many bytes. Default 1 GiB. */
  maxTotalBytes?: number;
}

/** Options of the `pino-cloudwatch-file` transport. */
export interface CloudWatchFileOptions {
  /**
   * Base path of the files, e.g. `./logs/app.log`: files are `<file>.<period suffix>`
   * (`./logs/app.log.2025-12-13_12`). Not a folder: a path ending with a separator or naming an
   * existing folder is refused. Relative paths resolve against the working folder. Required unless
   * `destination` is given (one of the two, never both).
   */
  file?: string;
  /**
   * Write the lines to standard output (`1`) or standard error (`2`) instead of files, as pino/file
   * does: for the `awslogs` driver, FireLens and Kubernetes node collectors, which ship a
   * container's output. Same lines, same limits; no rotation, quiet gap or retention (the options
   * of those are refused). Default `maxEventBytes` then 16,383, so that no container runtime splits
   * a line (docs/deploy.md, "Files or stdout").
   */
  destination?: 1 | 2;
  /** Application name, written as `app` in every line and used as `logger` when the record has no name. Required. */
  app: string;
  /** Process name written as `process`. Default `'main'`. */
  process?: string;
  /** Rotation period. Default `'hourly'`. Periods under one hour need `allowShortFrequency`. */
  frequency?: Frequency;
  /** Allow periods under one hour (tests, demos). Default false: see docs/rotation.md for the auto_removal hazard. */
  allowShortFrequency?: boolean;
  /** Periods, file names and `@timestamp` in UTC (default true) or in local time with its offset. */
  utc?: boolean;
  /** Create the log folder (recursively) when it is missing. Default true. */
  mkdir?: boolean;
  /**
   * Permissions of the files this transport creates: `0o640` (default: the owner — the app and the
   * agent sidecar, which runs as the same user — reads and writes, the group reads) or the same as
   * octal text, `'640'`. Must include the owner's read and write. The process's umask may take
   * permissions away; existing files keep theirs.
   */
  mode?: number | string;
  /**
   * Permissions of the folders this transport creates (the log folder with `mkdir`, `.staging`):
   * `0o750` (default) or octal text, `'750'`. Must include the owner's read, write and search.
   * Deleting a file (the agent's `auto_removal`) needs write and search on its folder, which the
   * owner has. The umask may take permissions away; existing folders keep theirs.
   */
  dirMode?: number | string;
  /** Safety-net caps for when the agent is down, or `false` to keep every file. Default `{ maxAgeHours: 72, maxTotalBytes: 1 GiB }`. */
  retention?: RetentionOptions | false;
  /**
   * Level labels: `'default'` (upper-cased pino names), `'python'` (WARNING, CRITICAL), or a map from
   * pino level name (any case) to label, also as text `'warn:WARNING,fatal:CRITICAL'`. The rule is
   * `pino-cloudwatch-file/levels`', shared with the console and the setup helper.
   */
  levelLabels?: LevelLabelsOption;
  /**
   * Largest line in bytes, newline excluded. Default 262118 for files (256 KiB minus CloudWatch's
   * 26-byte event overhead), 16383 with `destination` (16 KiB with its newline: container runtimes
   * split longer lines).
   */
  maxEventBytes?: number;
  /** Write pino's `pid` as an extra. Default false. */
  pid?: boolean;
  /** Write pino's `hostname` as an extra. Default false. */
  hostname?: boolean;
  /** Most bytes held in memory while the disk refuses writes; past it new lines are dropped and counted. Default 64 MiB. */
  maxBufferedBytes?: number;
  /** Level map of the logger (name → number). Normally sent by pino itself; set it when writing to the stream directly. */
  levels?: Record<string, number>;
  /** The logger's `messageKey`. Normally sent by pino itself. Default `'msg'`. */
  messageKey?: string;
  /** The logger's `errorKey`. Normally sent by pino itself. Default `'err'`. */
  errorKey?: string;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** 256 KiB minus the 26 bytes CloudWatch counts for each event. */
export const DEFAULT_MAX_EVENT_BYTES = MAX_EVENT_BYTES;
/** With `destination`: 16 KiB with the newline (pino-cloudwatch-core's STREAM_MAX_EVENT_BYTES says why). */
export const DEFAULT_STDOUT_MAX_EVENT_BYTES = STREAM_MAX_EVENT_BYTES;
/** Options that apply to files only, refused with `destination`. */
const FILE_ONLY_OPTIONS: readonly string[] = Object.freeze([
  'frequency',
  'allowShortFrequency',
  'mkdir',
  'mode',
  'dirMode',
  'retention',
  'maxBufferedBytes',
]);
/** Below this a line cannot hold its own core fields plus a truncation marker. */
export const MIN_MAX_EVENT_BYTES = 1024;
export const DEFAULT_RETENTION = Object.freeze({
  maxFiles: Infinity,
  maxAgeHours: 72,
  maxTotalBytes: 1024 ** 3,
});
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 ** 2;
/** Files: the owner reads and writes, the group reads. */
export const DEFAULT_MODE = 0o640;
/** Folders: the owner reads, writes and searches, the group reads and searches. */
export const DEFAULT_DIR_MODE = 0o750;

/**
 * The options after validation: every default filled in, frozen. With `destination` the file fields
 * (`file`, `dir`, `baseName`, the period, modes, retention) hold their defaults and nothing reads
 * them: the lines go to that descriptor.
 */
export interface Settings {
  readonly destination: 1 | 2 | undefined;
  readonly file: string;
  readonly dir: string;
  readonly baseName: string;
  readonly app: string;
  readonly process: string;
  readonly periodMs: number;
  readonly suffixStyle: SuffixStyle;
  readonly utc: boolean;
  readonly mkdir: boolean;
  readonly mode: number;
  readonly dirMode: number;
  readonly retention: Readonly<Required<RetentionOptions>> | false;
  readonly levelLabels: LevelLabelMap;
  readonly maxEventBytes: number;
  readonly pid: boolean;
  readonly hostname: boolean;
  readonly maxBufferedBytes: number;
  readonly levels: Readonly<Record<string, number>> | undefined;
  readonly messageKey: string | undefined;
  readonly errorKey: string | undefined;
  readonly now: () => number;
}

/** `hour` → `YYYY-MM-DD_HH`, `day` → `YYYY-MM-DD`, `second` → `YYYY-MM-DD_HH-MM-SS`. */
export type SuffixStyle = 'hour' | 'day' | 'second';

/** Every option name, in the order of the README's table. */
export const OPTION_NAMES: readonly string[] = Object.freeze([
  'file',
  'destination',
  'app',
  'process',
  'frequency',
  'allowShortFrequency',
  'utc',
  'mkdir',
  'mode',
  'dirMode',
  'retention',
  'levelLabels',
  'maxEventBytes',
  'pid',
  'hostname',
  'maxBufferedBytes',
  'levels',
  'messageKey',
  'errorKey',
  'now',
]);

/** Options that go inside `retention`, refused at the top level with where they belong. */
const NESTED_OPTIONS: Readonly<Record<string, string>> = Object.freeze({
  maxFiles: 'retention.maxFiles',
  maxAgeHours: 'retention.maxAgeHours',
  maxTotalBytes: 'retention.maxTotalBytes',
});

function fail(option: string, message: string): never {
  throw new OptionError(option, `pino-cloudwatch-file: option "${option}" ${message}`);
}

function nonEmptyString(options: Record<string, unknown>, key: string, fallback?: string): string {
  const value = options[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '') {
    fail(key, `must be a non-empty string, got ${describeValue(value)}`);
  }
  if (/[\r\n]/.test(value)) fail(key, 'must not contain line breaks');
  return value;
}

function optionalBoolean(options: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(key, `must be true or false, got ${describeValue(value)}`);
  return value;
}

function positiveInteger(value: unknown, key: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    fail(key, `must be a positive whole number, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * `file` is the base path of the files, never their folder: `./logs/` would write
 * `./logs.<period>` beside the folder, and `/tmp` files named `tmp.<period>` in `/`. Such a value
 * is refused with the form that works. Returns the absolute path.
 */
function parseFile(given: string): string {
  const resolved = path.resolve(given);
  const trailingSeparators = path.sep === '\\' ? /[\\/]+$/ : /\/+$/;
  const last = path.basename(given);
  const why = trailingSeparators.test(given)
    ? 'ends with a separator'
    : last === '.' || last === '..'
      ? 'names a folder'
      : isDirectory(resolved)
        ? 'is a folder'
        : undefined;
  if (why === undefined) return resolved;
  const separator = path.sep === '\\' && !given.includes('/') ? '\\' : '/';
  const example = `${given.replace(trailingSeparators, '')}${separator}app.log`;
  fail(
    'file',
    `must be the base path of the files, not a folder: ${JSON.stringify(given)} ${why}; ` +
      `write file: ${jsString(example)} for files ${example}.<period>`,
  );
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false; // Missing or unreadable: the folder is made or reported when the first file opens.
  }
}

/** `text` as a JavaScript string literal, in single quotes when it needs no escape. */
function jsString(text: string): string {
  return /['\\]/.test(text) ? JSON.stringify(text) : `'${text}'`;
}

/**
 * `destination` (1 or 2), or undefined for files. Exactly one of `file` and `destination` is given,
 * and the options of files (rotation, modes, retention, the disk backlog) come only with `file`.
 */
function parseDestination(options: Record<string, unknown>): 1 | 2 | undefined {
  const value = options.destination;
  const hasFile = options.file !== undefined;
  if (value === undefined) {
    if (!hasFile)
      fail(
        'file',
        "is required: give the files' base path (file: './logs/app.log'), or destination: 1 for standard output",
      );
    return undefined;
  }
  if (value !== 1 && value !== 2)
    fail(
      'destination',
      `must be 1 (standard output) or 2 (standard error), as pino/file takes it, got ${describeValue(value)}`,
    );
  if (hasFile)
    fail(
      'destination',
      `and "file" were both given: give file for files, or destination: ${value} for stream ${value}, not both`,
    );
  for (const key of FILE_ONLY_OPTIONS)
    if (options[key] !== undefined)
      fail(
        key,
        `applies to files only; with destination: ${value} there is no rotation, quiet gap or retention`,
      );
  return value;
}

function parseFrequency(value: unknown, allowShort: boolean): { periodMs: number; suffixStyle: SuffixStyle } {
  if (value === undefined || value === 'hourly' || value === HOUR_MS)
    return { periodMs: HOUR_MS, suffixStyle: 'hour' };
  if (value === 'daily' || value === DAY_MS) return { periodMs: DAY_MS, suffixStyle: 'day' };
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    fail(
      'frequency',
      `must be 'hourly', 'daily' or a whole number of milliseconds, got ${describeValue(value)}`,
    );
  }
  if (DAY_MS % value !== 0) {
    fail('frequency', `of ${value} ms does not divide a day, so periods could not stay aligned to the clock`);
  }
  if (value % 1000 !== 0)
    fail('frequency', `must be whole seconds (file names have second precision), got ${value} ms`);
  if (value < HOUR_MS && !allowShort) {
    fail(
      'frequency',
      `of ${value} ms is under one hour. The CloudWatch agent with auto_removal deletes a file as soon as a newer ` +
        'one appears and it has read the old one to its end; with short periods a slow or paused agent skips whole ' +
        'files. Use hourly, or set allowShortFrequency: true for tests and demos.',
    );
  }
  return { periodMs: value, suffixStyle: 'second' };
}

function parseRetention(value: unknown): Settings['retention'] {
  if (value === false) return false;
  if (value === undefined) return DEFAULT_RETENTION;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(
      'retention',
      `must be an object { maxFiles?, maxAgeHours?, maxTotalBytes? } or false, got ${describeValue(value)}`,
    );
  }
  const caps = value as Record<string, unknown>;
  for (const key of Object.keys(caps)) {
    if (!['maxFiles', 'maxAgeHours', 'maxTotalBytes'].includes(key)) {
      fail(`retention.${key}`, 'is not known; use maxFiles, maxAgeHours or maxTotalBytes');
    }
  }
  const cap = (key: 'maxFiles' | 'maxAgeHours' | 'maxTotalBytes'): number => {
    const v = caps[key];
    if (v === undefined) return key === 'maxFiles' ? Infinity : DEFAULT_RETENTION[key];
    if (v === Infinity) return v;
    if (key === 'maxAgeHours' && typeof v === 'number' && v > 0) return v;
    return positiveInteger(v, `retention.${key}`);
  };
  return Object.freeze({
    maxFiles: cap('maxFiles'),
    maxAgeHours: cap('maxAgeHours'),
    maxTotalBytes: cap('maxTotalBytes'),
  });
}

/**
 * A permission option: an integer from 0 to 0o777, or its octal digits as text (`'640'`, `'0640'`:
 * an environment variable's form), with at least the `required` owner bits.
 */
function parseMode(
  value: unknown,
  option: string,
  fallback: number,
  required: number,
  needs: string,
): number {
  if (value === undefined) return fallback;
  const accepted = `an integer from 0 to 0o777 such as 0o${fallback.toString(8)}, or the same as octal text ('${fallback.toString(8)}')`;
  let mode: number;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0o777) mode = value;
  else if (typeof value === 'string' && /^0?[0-7]{3}$/.test(value)) mode = parseInt(value, 8);
  else return fail(option, `must be ${accepted}, got ${describeValue(value)}`);
  if ((mode & required) !== required) {
    fail(option, `must let the owner ${needs} (0o${required.toString(8)}), got 0o${mode.toString(8)}`);
  }
  return mode;
}

/** The shared level-label rule, failing the way every option of this package fails. */
const failOption: OptionFailure = (option, rule, value) =>
  fail(option, `${rule}, got ${describeValue(value)}`);

function parseLevels(value: unknown): Readonly<Record<string, number>> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail('levels', `must be an object mapping level names to numbers, got ${describeValue(value)}`);
  }
  // pino sends { labels, values }; users may pass the values map directly.
  const map = ((value as { values?: unknown }).values ?? value) as Record<string, unknown>;
  for (const [name, num] of Object.entries(map)) {
    if (typeof num !== 'number') fail(`levels.${name}`, `must be a number, got ${describeValue(num)}`);
  }
  return Object.freeze({ ...(map as Record<string, number>) });
}

/**
 * Checks the options once, at start-up, and returns frozen settings with every default filled in.
 * Throws an Error naming the option and what it accepts.
 */
export function validateOptions(input: unknown): Settings {
  checkOptionsObject('pino-cloudwatch-file', input, '{ file, app }');
  const options = input as Record<string, unknown>;
  // A typo is refused with the option it probably meant; a key pino or thread-stream adds is
  // ignored; any other unknown key is reported and ignored (pino-cloudwatch-file/option-keys).
  checkOptionKeys(options, OPTION_NAMES, { fail, name: 'pino-cloudwatch-file', misplaced: NESTED_OPTIONS });
  const destination = parseDestination(options);
  const file = destination === undefined ? parseFile(nonEmptyString(options, 'file')) : '';
  const app = nonEmptyString(options, 'app');
  const processName = nonEmptyString(options, 'process', 'main');
  const allowShort = optionalBoolean(options, 'allowShortFrequency', false);
  const { periodMs, suffixStyle } = parseFrequency(options.frequency, allowShort);
  const maxEventBytes =
    options.maxEventBytes === undefined
      ? destination === undefined
        ? DEFAULT_MAX_EVENT_BYTES
        : DEFAULT_STDOUT_MAX_EVENT_BYTES
      : positiveInteger(options.maxEventBytes, 'maxEventBytes');
  if (maxEventBytes < MIN_MAX_EVENT_BYTES)
    fail('maxEventBytes', `must be at least ${MIN_MAX_EVENT_BYTES}, got ${maxEventBytes}`);
  const maxBufferedBytes =
    options.maxBufferedBytes === undefined
      ? DEFAULT_MAX_BUFFERED_BYTES
      : positiveInteger(options.maxBufferedBytes, 'maxBufferedBytes');
  const keyOption = (key: string): string | undefined =>
    options[key] === undefined ? undefined : nonEmptyString(options, key);
  if (options.now !== undefined && typeof options.now !== 'function')
    fail('now', 'must be a function returning epoch milliseconds');
  return Object.freeze({
    destination,
    file,
    dir: file === '' ? '' : path.dirname(file),
    baseName: file === '' ? '' : path.basename(file),
    app,
    process: processName,
    periodMs,
    suffixStyle,
    utc: optionalBoolean(options, 'utc', true),
    mkdir: optionalBoolean(options, 'mkdir', true),
    mode: parseMode(options.mode, 'mode', DEFAULT_MODE, 0o600, 'read and write its files'),
    dirMode: parseMode(
      options.dirMode,
      'dirMode',
      DEFAULT_DIR_MODE,
      0o700,
      'read, write and search its folders',
    ),
    retention: parseRetention(options.retention),
    levelLabels: parseLevelLabels(options.levelLabels, failOption),
    maxEventBytes,
    pid: optionalBoolean(options, 'pid', false),
    hostname: optionalBoolean(options, 'hostname', false),
    maxBufferedBytes,
    levels: parseLevels(options.levels),
    messageKey: keyOption('messageKey'),
    errorKey: keyOption('errorKey'),
    now: (options.now as (() => number) | undefined) ?? Date.now,
  });
}
