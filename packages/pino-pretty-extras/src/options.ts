import { isatty } from 'node:tty';
import { DEFAULTS, ERROR_LIKE_KEYS, PINO_INTERNAL_KEYS } from './constants';
import { createPainter, resolveColorize, type ColorEnv, type Painter } from './colorize';
import { compileTimeFormat, type TimeFormatter, type TimeZone } from './format-time';
import {
  LevelBadges,
  parseCustomColors,
  parseCustomLevels,
  parseLevelLabels,
  type LevelLabelMap,
  type LevelValues,
} from './levels';
import { checkOptionKeys, checkOptionsObject, type PinoConfig } from 'pino-cloudwatch-core';
import { badOption } from './option-error';

/** Something `write(text)` can be called on (a stream, `process.stdout`, a SonicBoom). */
export interface WritableLike {
  write(chunk: string): boolean;
  isTTY?: boolean;
}

/**
 * Options of `prettyExtras()`, the transport target and the CLI (`--name value`, same names).
 * Values have the types below: `'true'` is not a boolean and `'42'` not a number (the CLI turns its
 * text flags into those types before they are checked). The map and list options also take their
 * text form (`'notice:35'`, `'a,b'`), as pino-pretty's options of the same names do. An unknown key
 * is refused when it looks like a typo of an option, and otherwise reported and ignored
 * (`checkOptionKeys` of pino-cloudwatch-core, the rule every package of the toolkit applies).
 */
export interface PrettyExtrasOptions {
  /**
   * Colour the `[LEVEL]` badge and dim the extras. Default: automatic — on when the destination
   * is a TTY (and `TERM` is not `dumb`); a non-empty `NO_COLOR` turns it off, `FORCE_COLOR`
   * turns it on (`FORCE_COLOR=0` off). `true` / `false` override the environment.
   */
  colorize?: boolean | 'auto';
  /** Colours per level name, colorette colour names: `{ notice: 'cyan' }` or `'notice:cyan'`. Default: pino-pretty's palette. */
  customColors?: Record<string, string> | string;
  /** Print the time in UTC; shorthand for `timeZone: 'UTC'`. Default: `false`. */
  utc?: boolean;
  /** Zone of the printed time: `'local'` (the process's `TZ`), `'UTC'` or an IANA name (`'Europe/Paris'`). Default: `'local'`. */
  timeZone?: string;
  /** Time pattern: `YYYY MM DD HH mm ss SSS Z`, `[literal]`. Default: `'YYYY-MM-DD HH:mm:ss'`. */
  timeFormat?: string;
  /**
   * Labels, as in the JSON file: `'default'` (pino level name upper-cased), `'python'`
   * (warn → WARNING, fatal → CRITICAL) or `{ levelName: 'LABEL' }`. Default: `'default'`.
   */
  levelLabels?: 'default' | 'python' | Record<string, string> | string;
  /**
   * Extra levels `{ name: number }` (or `'notice:35'`) merged over pino's. Needed in-process or
   * for the CLI only: as a transport the logger's own level map arrives from pino. Default: none.
   */
  customLevels?: Record<string, number> | string;
  /** Key of the message. Default: `'msg'` (as a transport: the logger's own `messageKey`). */
  messageKey?: string;
  /** Key of the logged error. Default: `'err'` (as a transport: the logger's own `errorKey`); `error` is always treated as one too. */
  errorKey?: string;
  /** Key of the record's time. Default: `'time'`. */
  timestampKey?: string;
  /** Keys not to print, dotted for nested ones: `['req.headers', 'trace_id']` or `'req.headers,trace_id'`. Default: none. */
  ignore?: readonly string[] | string;
  /** pino internals to print after all, e.g. `['pid', 'hostname']`. Default: none (pid, hostname, name, time, level, msg are hidden). */
  include?: readonly string[] | string;
  /** Logger name printed when a record has no `name`. Default: none (the line then has no name and no ` - `). */
  name?: string;
  /** Nesting depth flattened to dotted keys; deeper values print as compact JSON. Default: `5`. */
  maxDepth?: number;
  /** Longest printed value of one extra, in characters, before it is cut with `…[+N chars]`. Default: `1000`. */
  maxValueLength?: number;
  /** Longest printed message, in characters, before it is cut with `…[+N chars]`. Default: `10000`. */
  maxMessageLength?: number;
  /** End lines with `\r\n`. Default: `false`. */
  crlf?: boolean;
  /** File descriptor (a number), file path, or (in-process only) a writable stream. Default: `1` (stdout). */
  destination?: number | string | WritableLike;
  /** Append to a destination file rather than truncate it. Default: `true`. */
  append?: boolean;
  /** Create the destination file's folder. Default: `false`. */
  mkdir?: boolean;
  /** Write synchronously (tests, CLI on a file). Default: `false`. */
  sync?: boolean;
  /**
   * Print input lines that are not JSON records exactly as they came, terminal escapes included
   * (trusted input only). Default: `false` — they print escaped, as the text of records does.
   */
  raw?: boolean;
}

/** Every option name. */
export const OPTION_NAMES: readonly string[] = Object.freeze([
  'colorize',
  'customColors',
  'utc',
  'timeZone',
  'timeFormat',
  'levelLabels',
  'customLevels',
  'messageKey',
  'errorKey',
  'timestampKey',
  'ignore',
  'include',
  'name',
  'maxDepth',
  'maxValueLength',
  'maxMessageLength',
  'crlf',
  'destination',
  'append',
  'mkdir',
  'sync',
  'raw',
] satisfies (keyof PrettyExtrasOptions)[]);

/** The options after validation: plain values only. */
export interface Settings {
  readonly colorize: boolean;
  readonly customColors: unknown;
  readonly timeZone: TimeZone;
  readonly timeFormat: string;
  readonly levelLabels: LevelLabelMap;
  readonly levels: LevelValues;
  readonly messageKey: string;
  readonly errorKey: string;
  readonly timestampKey: string;
  readonly ignore: ReadonlySet<string>;
  readonly include: ReadonlySet<string>;
  readonly name: string | undefined;
  readonly maxDepth: number;
  readonly maxValueLength: number;
  readonly maxMessageLength: number;
  readonly eol: string;
  readonly destination: number | string | WritableLike;
  readonly append: boolean;
  readonly mkdir: boolean;
  readonly sync: boolean;
  readonly raw: boolean;
}

/** Everything `formatRecord` needs, computed once and frozen. */
export interface FormatContext {
  readonly settings: Settings;
  /** @internal */
  readonly formatTime: TimeFormatter;
  /** @internal */
  readonly badges: LevelBadges;
  /** @internal */
  readonly painter: Painter;
  /** Top-level keys never printed as extras. @internal */
  readonly hiddenKeys: ReadonlySet<string>;
  /** Top-level keys whose error-like value prints its stack under the line. @internal */
  readonly errorKeys: ReadonlySet<string>;
}

/** What the process offers for colour detection; injectable for tests. */
export interface Runtime {
  readonly env: ColorEnv;
  readonly isTTY: (fd: number) => boolean;
}

const PROCESS_RUNTIME: Runtime = { env: process.env, isTTY: (fd) => isatty(fd) };

/** Validates options once and returns the frozen context the formatter uses. Throws {@link OptionError}. */
export function parseOptions(
  options: PrettyExtrasOptions = {},
  runtime: Runtime = PROCESS_RUNTIME,
): FormatContext {
  checkOptionsObject('pino-pretty-extras', options, '{ colorize: true }');
  checkOptionKeys(options as Record<string, unknown>, OPTION_NAMES, {
    fail: (option, rule) => {
      throw badOption(option, rule, (options as Record<string, unknown>)[option]);
    },
    name: 'pino-pretty-extras',
  });
  const destination = parseDestination(options.destination);
  const destinationIsTTY =
    typeof destination === 'number'
      ? runtime.isTTY(destination)
      : typeof destination === 'object' && destination.isTTY === true;
  const colorizeOption = parseBoolean('colorize', options.colorize === 'auto' ? undefined : options.colorize);
  const settings: Settings = {
    colorize: resolveColorize(colorizeOption, runtime.env, destinationIsTTY),
    customColors: options.customColors,
    timeZone: parseBoolean('utc', options.utc) === true ? 'UTC' : parseTimeZone(options.timeZone),
    timeFormat: parseString('timeFormat', options.timeFormat) ?? DEFAULTS.timeFormat,
    levelLabels: parseLevelLabels(options.levelLabels),
    levels: parseCustomLevels(options.customLevels),
    messageKey: parseString('messageKey', options.messageKey) ?? DEFAULTS.messageKey,
    errorKey: parseString('errorKey', options.errorKey) ?? DEFAULTS.errorKey,
    timestampKey: parseString('timestampKey', options.timestampKey) ?? DEFAULTS.timestampKey,
    ignore: parseList('ignore', options.ignore),
    include: parseList('include', options.include),
    name: parseString('name', options.name),
    maxDepth: parsePositiveInteger('maxDepth', options.maxDepth) ?? DEFAULTS.maxDepth,
    maxValueLength: parsePositiveInteger('maxValueLength', options.maxValueLength) ?? DEFAULTS.maxValueLength,
    maxMessageLength:
      parsePositiveInteger('maxMessageLength', options.maxMessageLength) ?? DEFAULTS.maxMessageLength,
    eol: (parseBoolean('crlf', options.crlf) ?? DEFAULTS.crlf) ? '\r\n' : '\n',
    destination,
    append: parseBoolean('append', options.append) ?? DEFAULTS.append,
    mkdir: parseBoolean('mkdir', options.mkdir) ?? DEFAULTS.mkdir,
    sync: parseBoolean('sync', options.sync) ?? DEFAULTS.sync,
    raw: parseBoolean('raw', options.raw) ?? DEFAULTS.raw,
  };
  for (const key of settings.include) {
    if (settings.ignore.has(key)) throw badOption('include', 'must not name a key that "ignore" names', key);
  }
  return buildContext(settings);
}

/** A new context that uses the logger's own level map, `messageKey` and `errorKey` (pino's `PINO_CONFIG`). */
export function withPinoConfig(context: FormatContext, config: PinoConfig): FormatContext {
  const values = config.levels?.values;
  return buildContext({
    ...context.settings,
    levels: values && typeof values === 'object' ? Object.freeze({ ...values }) : context.settings.levels,
    messageKey: typeof config.messageKey === 'string' ? config.messageKey : context.settings.messageKey,
    errorKey: typeof config.errorKey === 'string' ? config.errorKey : context.settings.errorKey,
  });
}

function buildContext(settings: Settings): FormatContext {
  const painter = createPainter(settings.colorize, parseCustomColors(settings.customColors, settings.levels));
  const hiddenKeys = new Set<string>([...PINO_INTERNAL_KEYS, settings.messageKey, settings.timestampKey]);
  for (const key of settings.include) hiddenKeys.delete(key);
  for (const key of settings.ignore) if (!key.includes('.')) hiddenKeys.add(key);
  return Object.freeze({
    settings: Object.freeze(settings),
    formatTime: compileTimeFormat(settings.timeFormat, settings.timeZone),
    badges: new LevelBadges(settings.levels, settings.levelLabels, painter),
    painter,
    hiddenKeys,
    errorKeys: new Set<string>([settings.errorKey, ...ERROR_LIKE_KEYS]),
  });
}

function parseBoolean(option: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  throw badOption(option, 'must be true or false', value);
}

function parseTimeZone(value: unknown): TimeZone {
  const zone = parseString('timeZone', value) ?? DEFAULTS.timeZone;
  if (zone.toLowerCase() === 'local') return 'local';
  return zone.toUpperCase() === 'UTC' ? 'UTC' : zone;
}

function parseString(option: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value !== '') return value;
  throw badOption(option, 'must be a non-empty string', value);
}

function parsePositiveInteger(option: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw badOption(option, 'must be a positive integer', value);
}

function parseList(option: string, value: unknown): ReadonlySet<string> {
  if (value === undefined || value === null || value === '') return new Set();
  const items = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(items) || items.some((item) => typeof item !== 'string')) {
    throw badOption(option, 'must be an array of key names or a comma-separated string', value);
  }
  return new Set((items as string[]).map((item) => item.trim()).filter((item) => item !== ''));
}

function parseDestination(value: unknown): number | string | WritableLike {
  if (value === undefined || value === null) return DEFAULTS.destination;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    throw badOption(
      'destination',
      `is a file descriptor only as a number (${value}); a file named so needs a path (./${value})`,
      value,
    );
  }
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'object' && typeof (value as WritableLike).write === 'function')
    return value as WritableLike;
  throw badOption('destination', 'must be a file descriptor, a file path or a writable stream', value);
}
