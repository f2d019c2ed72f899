import fs from 'node:fs';
import {
  MAX_EVENT_BYTES,
  STREAM_MAX_EVENT_BYTES,
  checkOptionKeys,
  checkOptionsObject,
  describeValue,
} from 'pino-cloudwatch-core';
import { validateOptions } from 'pino-cloudwatch-file';
import { DEFAULTS, LIMITS, LINE_HEADER_BYTES } from './constants';
import { checkMemberName, checkNamespace, dimensionValueProblem, MetricsError } from './names';
import type { LineDestination, MetricsFileOptions, MetricsLogger, MetricsOptions } from './types';

/** The options after checking: every default applied, frozen. */
export interface MetricsSettings {
  readonly namespace: string;
  /** The file transport's options (checked by it), or undefined with a destination. */
  readonly file: (MetricsFileOptions & { file: string; app: string; process: string }) | undefined;
  /** The application's logger the lines go through, or undefined. */
  readonly logger: MetricsLogger | undefined;
  readonly destination: LineDestination | undefined;
  readonly loggerName: string;
  readonly defaultDimensions: Readonly<Record<string, string>>;
  readonly intervalMs: number;
  readonly maxBufferedValues: number;
  /** Largest EMF object in UTF-8 bytes: the line limit less what the file transport adds in front. */
  readonly lineBudget: number;
  readonly autoFlush: boolean;
  readonly clock: () => number;
  readonly report: (message: string) => void;
}

const OPTION_NAMES = Object.freeze([
  'namespace',
  'file',
  'app',
  'process',
  'loggerName',
  'fileOptions',
  'destination',
  'dimensions',
  'intervalMs',
  'maxBufferedValues',
  'maxEventBytes',
  'autoFlush',
  'clock',
  'report',
]);

/**
 * Room left on each line for what a logger adds that the metrics cannot see: its transport's `app` and
 * `process`, its bindings, a mixin's fields (trace ids).
 */
const LOGGER_FIELDS_BYTES = 1024;

/** Intervals that divide a minute in whole seconds, so that intervals line up with CloudWatch's minutes. */
export const INTERVALS_MS = Object.freeze([1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60].map((s) => s * 1000));

/**
 * Checks `createMetrics` options without starting anything (no timer, no file): throws the
 * {@link MetricsError} `createMetrics` would throw. For a service that reads its config before it starts.
 */
export function checkMetricsOptions(options: MetricsOptions): void {
  resolveMetricsOptions(options);
}

/** Checks the options once; throws a {@link MetricsError} naming the option and what it accepts. */
export function resolveMetricsOptions(options: MetricsOptions): MetricsSettings {
  checkOptionsObject('pino-cloudwatch-metrics', options, '{ namespace, file | destination }');
  // The toolkit's unknown-key rule; no host adds keys to these options, so every unknown one is refused.
  checkOptionKeys(options as unknown as Record<string, unknown>, OPTION_NAMES, {
    strict: true,
    fail: (option, rule) => {
      throw new MetricsError(`option ${describeValue(option)} ${rule}`);
    },
  });
  const namespace = checkNamespace(options.namespace);
  const loggerName = text(options.loggerName, 'loggerName', DEFAULTS.loggerName);

  if ((options.file === undefined) === (options.destination === undefined)) {
    throw new MetricsError(
      "give exactly one of file (a base path like './logs/metrics.log') and destination (1 or 2 for standard output or error, or a stream of lines)",
    );
  }
  let file: MetricsSettings['file'];
  let destination: LineDestination | undefined;
  let maxEventBytes: number;
  let logger: MetricsLogger | undefined;
  if (options.file !== undefined) {
    const fileOptions = options.fileOptions ?? {};
    if (fileOptions === null || typeof fileOptions !== 'object') {
      throw new MetricsError(
        `fileOptions must be an object of pino-cloudwatch-file options, got ${describeValue(fileOptions)}`,
      );
    }
    for (const key of ['file', 'app', 'process']) {
      if (key in fileOptions)
        throw new MetricsError(`fileOptions.${key}: give ${key} as an option of its own`);
    }
    file = {
      ...fileOptions,
      file: text(options.file, 'file'),
      app: text(options.app, 'app', namespace),
      process: text(options.process, 'process', 'main'),
    };
    // The transport's own check, now: a bad file option throws here, not in the stream later.
    try {
      maxEventBytes = validateOptions(file).maxEventBytes;
    } catch (err) {
      throw new MetricsError((err as Error).message);
    }
  } else {
    const target = options.destination as Partial<LineDestination & MetricsLogger> | null | undefined;
    const isLogger = typeof target?.child === 'function';
    if (target === null || typeof target !== 'object' || (!isLogger && typeof target.write !== 'function')) {
      throw new MetricsError(
        `destination must be the application's pino logger or have a write(line) method, got ${describeValue(options.destination)}`,
      );
    }
    if (options.fileOptions !== undefined || options.app !== undefined || options.process !== undefined) {
      throw new MetricsError('fileOptions, app and process go with file, not with destination');
    }
    if (isLogger) {
      logger = target as MetricsLogger;
      // The logger's transport decides the line limit: the smaller default, a stream's, unless told.
      maxEventBytes = STREAM_MAX_EVENT_BYTES;
    } else {
      destination = target as LineDestination;
      maxEventBytes = MAX_EVENT_BYTES;
    }
  }
  if (options.maxEventBytes !== undefined) {
    maxEventBytes = Math.min(maxEventBytes, integer(options.maxEventBytes, 'maxEventBytes', 1024, Infinity));
  }
  const header =
    LINE_HEADER_BYTES +
    Buffer.byteLength(JSON.stringify(loggerName)) +
    (file === undefined ? 0 : Buffer.byteLength(JSON.stringify(file.app) + JSON.stringify(file.process))) +
    (logger === undefined ? 0 : LOGGER_FIELDS_BYTES);

  const intervalMs = options.intervalMs ?? DEFAULTS.intervalMs;
  if (!INTERVALS_MS.includes(intervalMs)) {
    throw new MetricsError(
      `intervalMs must be a whole number of seconds that divides a minute (${INTERVALS_MS.join(', ')}), got ${describeValue(intervalMs)}`,
    );
  }

  return Object.freeze({
    namespace,
    file: file === undefined ? undefined : Object.freeze(file),
    logger,
    destination,
    loggerName,
    defaultDimensions: defaultDimensions(options.dimensions),
    intervalMs,
    maxBufferedValues: integer(
      options.maxBufferedValues ?? DEFAULTS.maxBufferedValues,
      'maxBufferedValues',
      LIMITS.valuesPerMetric,
      10_000_000,
    ),
    lineBudget: maxEventBytes - header,
    autoFlush: flag(options.autoFlush, 'autoFlush', true),
    clock: fn(options.clock, 'clock') ?? Date.now,
    report: fn(options.report, 'report') ?? reportOnStderr,
  });
}

function defaultDimensions(dimensions: unknown): Readonly<Record<string, string>> {
  if (dimensions === undefined) return Object.freeze({});
  if (dimensions === null || typeof dimensions !== 'object' || Array.isArray(dimensions)) {
    throw new MetricsError(
      `dimensions must be an object like { Service: 'checkout' }, got ${describeValue(dimensions)}`,
    );
  }
  const entries = Object.entries(dimensions);
  if (entries.length > LIMITS.dimensionsPerSet) {
    throw new MetricsError(
      `dimensions has ${entries.length} keys; a dimension set holds at most ${LIMITS.dimensionsPerSet}`,
    );
  }
  for (const [key, value] of entries) {
    checkMemberName(key, 'dimensions key');
    const problem = dimensionValueProblem(value);
    if (problem !== undefined)
      throw new MetricsError(`dimensions.${key}: ${problem}, got ${describeValue(value)}`);
  }
  return Object.freeze({ ...(dimensions as Record<string, string>) });
}

function text(value: unknown, name: string, fallback?: string): string {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MetricsError(`${name} must be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

function integer(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
    throw new MetricsError(`${name} must be a whole number ${range}, got ${describeValue(value)}`);
  }
  return value;
}

function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new MetricsError(`${name} must be true or false, got ${describeValue(value)}`);
  return value;
}

function fn<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new MetricsError(`${name} must be a function, got ${describeValue(value)}`);
  }
  return value;
}

/** Straight to file descriptor 2, synchronously, so a report made at exit is not lost. */
function reportOnStderr(message: string): void {
  try {
    fs.writeSync(2, `pino-cloudwatch-metrics: ${message}\n`);
  } catch {
    // Nowhere left to report to.
  }
}
