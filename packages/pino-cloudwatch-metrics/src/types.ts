import type { CloudWatchFileOptions } from 'pino-cloudwatch-file';
import type { StorageResolution, Unit } from './constants';

export type { StorageResolution, Unit };

/** Where EMF lines go instead of files: anything with a synchronous `write` of whole lines. */
export interface LineDestination {
  write(line: string): unknown;
}

/** Options of the file family the EMF lines go to: `pino-cloudwatch-file`'s, without the three given above them. */
export type MetricsFileOptions = Omit<CloudWatchFileOptions, 'file' | 'destination' | 'app' | 'process'>;

/**
 * The application's pino logger (or anything with pino's `child` and `info`): the EMF lines are logged
 * through it, so they reach its transport — `pino-cloudwatch-file` on standard output, say — as records
 * of a child named `loggerName`, and that transport's one writer writes them with the application's lines.
 */
export interface MetricsLogger {
  child(bindings: Record<string, unknown>): { info(object: object): void };
}

/** What `createMetrics` takes. */
export interface MetricsOptions {
  /** CloudWatch namespace of every metric, e.g. `'cw_demo'`. Required. */
  namespace: string;
  /**
   * Base path of the EMF files, e.g. `./logs/metrics.log` (files `metrics.log.YYYY-MM-DD_HH`), written by
   * `pino-cloudwatch-file` with its rotation, quiet gap and retention. Give `file` or `destination`.
   */
  file?: string;
  /** The `app` field of every line (with `file`). Default: the namespace. */
  app?: string;
  /** The `process` field of every line (with `file`). Default `'main'`. */
  process?: string;
  /** The `logger` field of every line. Default `'metrics'`. */
  loggerName?: string;
  /** More options for the file transport (frequency, retention, utc, maxEventBytes, …). */
  fileOptions?: MetricsFileOptions;
  /**
   * Instead of files: the application's pino logger — the EMF lines are logged through it (a child
   * named `loggerName`, at `info`), so they go wherever its lines go, e.g. standard output for the
   * `awslogs` driver, FireLens or a node collector, written by the same writer and never inside one of
   * its lines (docs/metrics.md); or a stream of lines, each a complete EMF JSON object (tests, Lambda's
   * stdout).
   */
  destination?: LineDestination | MetricsLogger;
  /**
   * Dimensions added to every dimension set of every metric, e.g. `{ Service: 'checkout' }`. Default none.
   * Values are checked here: ASCII, 1–1024 characters, not only spaces.
   */
  dimensions?: Record<string, string>;
  /**
   * Length of an aggregation interval in milliseconds: a whole number of seconds that divides a minute
   * (1000, 2000, … 30000, 60000). Intervals are aligned to the clock; each one's values are written
   * when it ends. Default 60000.
   */
  intervalMs?: number;
  /** Values held per series (metric × dimension values × interval) before its lines are written early. Default 10000. */
  maxBufferedValues?: number;
  /** Largest line in UTF-8 bytes. Default: the file transport's `maxEventBytes` (262118). */
  maxEventBytes?: number;
  /** Write on a timer at each interval's end. Default true; false: only `flush()` and `close()` write (tests). */
  autoFlush?: boolean;
  /** The clock, in epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
  /** Where problems are reported, once per cause. Default: file descriptor 2. */
  report?: (message: string) => void;
}

/** How a metric is declared. */
export interface MetricDefinitionOptions<D extends string = string> {
  /** The unit. Default `'Count'` for a counter, `'None'` for a distribution. */
  unit?: Unit;
  /** The dimension keys every record of this metric gives (besides the default dimensions). Default none. */
  dimensions?: readonly D[];
  /**
   * The dimension sets it is published under, each a subset of `dimensions` (the default dimensions are
   * added to each). Default: one set, all of `dimensions`. `[['Route'], []]` publishes per route and for
   * the whole service from the same values.
   */
  dimensionSets?: readonly (readonly D[])[];
  /** 60 (standard, default) or 1 (high resolution: aggregated per second). */
  storageResolution?: StorageResolution;
}

/** The dimension values of one record: one string per declared key. */
export type DimensionValues<D extends string> = [D] extends [never]
  ? void | Record<string, never>
  : Record<D, string>;

/** A summed metric: one value per interval and dimension values, the sum of what was added. */
export interface Counter<D extends string = never> {
  readonly name: string;
  add(value: number, dimensions: DimensionValues<D>): void;
}

/** Every value kept (as EMF value arrays): CloudWatch computes sum, count, min, max, average and percentiles. */
export interface Distribution<D extends string = never> {
  readonly name: string;
  record(value: number, dimensions: DimensionValues<D>): void;
}

/** What has happened so far. */
export interface MetricsStats {
  /** Values accepted. */
  readonly recorded: number;
  /** Values dropped, by reason. */
  readonly dropped: Readonly<Record<string, number>>;
  /** EMF lines written. */
  readonly lines: number;
}
