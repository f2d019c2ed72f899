import { checkOptionsObject } from 'pino-cloudwatch-core';
import { type LevelMap, levelMap, levelValue } from './levels';

/** What {@link createRequestContexts} takes. Every option is checked once, at creation. */
export interface RequestContextsOptions {
  /**
   * The level written outside contexts, and the threshold of buffering inside them: a record below
   * it is buffered in its context (or dropped outside one). Changeable at run time
   * (`contexts.level = 'debug'`). Default `'info'`.
   */
  level?: string;
  /** The lowest level kept in a buffer; the logger's level must be this (`contexts.loggerLevel`). Default `'trace'`. */
  bufferFrom?: string;
  /** A written record at this level or above flushes its context's buffer first. Default `'error'`. */
  flushLevel?: string;
  /** Per-context cap on buffered bytes (UTF-8): the oldest lines go first. Default 32768. */
  maxContextBytes?: number;
  /** Cap on buffered bytes across all contexts. Default 16 MiB (16777216). */
  maxTotalBytes?: number;
  /** Share of contexts (0–1) that write their records below `level` directly, decided at their start. Default 0. */
  sampleRate?: number;
  /** The random source of sampling, a function returning a number in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** The logger's custom levels (name → number), as given to pino's `customLevels`. */
  customLevels?: Record<string, number>;
}

export const DEFAULTS = Object.freeze({
  level: 'info',
  bufferFrom: 'trace',
  flushLevel: 'error',
  maxContextBytes: 32 * 1024,
  maxTotalBytes: 16 * 1024 * 1024,
  sampleRate: 0,
} as const);

const KNOWN = new Set([
  'level',
  'bufferFrom',
  'flushLevel',
  'maxContextBytes',
  'maxTotalBytes',
  'sampleRate',
  'random',
  'customLevels',
]);

/** The options after validation: numbers for levels, defaults applied, frozen. */
export interface RequestContextsSettings {
  readonly levels: LevelMap;
  readonly level: number;
  readonly bufferFrom: number;
  readonly flushLevel: number;
  readonly maxContextBytes: number;
  readonly maxTotalBytes: number;
  readonly sampleRate: number;
  readonly random: () => number;
}

const fail = (option: string, why: string): never => {
  throw new Error(`pino-request-context: ${option} ${why}`);
};

/** A value as an error message shows it: a string in quotes, so `'0.1'` is not taken for `0.1`. */
const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/** Check the options once; throws an Error naming the option and what it accepts. */
export function parseOptions(options: RequestContextsOptions = {}): RequestContextsSettings {
  checkOptionsObject('pino-request-context', options, '{ sampleRate: 0.01 }');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) fail(key, `is not an option; accepted: ${[...KNOWN].join(', ')}`);
  }
  const { customLevels } = options;
  if (
    customLevels !== undefined &&
    (customLevels === null ||
      typeof customLevels !== 'object' ||
      Object.values(customLevels).some((n) => !Number.isInteger(n)))
  ) {
    fail('customLevels', 'must be an object of level names to integers, as pino takes it');
  }
  const levels = levelMap(customLevels);
  const bufferFrom = levelValue(levels, options.bufferFrom ?? DEFAULTS.bufferFrom, 'bufferFrom');
  const level = levelValue(levels, options.level ?? DEFAULTS.level, 'level');
  const flushLevel = levelValue(levels, options.flushLevel ?? DEFAULTS.flushLevel, 'flushLevel');
  if (bufferFrom === Infinity) fail('bufferFrom', 'cannot be silent');
  if (level < bufferFrom) {
    fail(
      'level',
      `(${options.level ?? `${DEFAULTS.level}, the default`}) is below bufferFrom (${options.bufferFrom ?? DEFAULTS.bufferFrom}): ` +
        'bufferFrom is the lowest level kept back, and level is where records start to be written',
    );
  }
  const bytes = (option: 'maxContextBytes' | 'maxTotalBytes'): number => {
    const value = options[option] ?? DEFAULTS[option];
    if (!Number.isSafeInteger(value) || value < 0) {
      fail(option, `must be a whole number of bytes, 0 or more, got ${shown(value)}`);
    }
    return value;
  };
  const sampleRate = options.sampleRate ?? DEFAULTS.sampleRate;
  if (typeof sampleRate !== 'number' || !(sampleRate >= 0 && sampleRate <= 1)) {
    fail(
      'sampleRate',
      `must be a number from 0 to 1 (0.01 is one context in a hundred), got ${shown(sampleRate)}`,
    );
  }
  const random = options.random ?? Math.random;
  if (typeof random !== 'function') fail('random', 'must be a function returning a number in [0, 1)');
  return Object.freeze({
    levels,
    level,
    bufferFrom,
    flushLevel,
    maxContextBytes: bytes('maxContextBytes'),
    maxTotalBytes: bytes('maxTotalBytes'),
    sampleRate,
    random,
  });
}
