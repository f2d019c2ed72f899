import { CORE_KEYS, ERROR_KEY, TRUNCATED_KEY } from 'pino-cloudwatch-core';

/**
 * The Embedded Metric Format's limits and CloudWatch's metric rules, as this package applies them.
 * Sources: the EMF specification (CloudWatch User Guide, "Specification: Embedded metric format")
 * and the CloudWatch API reference (MetricDatum, Dimension).
 */

/** CloudWatch's metric units (MetricDatum `Unit`); EMF takes the same strings. */
export const UNITS = Object.freeze([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const);

export type Unit = (typeof UNITS)[number];

/** `StorageResolution`: 1 (high resolution, per second) or 60 (standard, per minute). */
export const STORAGE_RESOLUTIONS = Object.freeze([1, 60] as const);
export type StorageResolution = (typeof STORAGE_RESOLUTIONS)[number];

export const LIMITS = Object.freeze({
  /** Metric definitions in one MetricDirective. */
  metricsPerDirective: 100,
  /** Values in one metric's array. */
  valuesPerMetric: 100,
  /** Dimension keys in one DimensionSet. */
  dimensionsPerSet: 30,
  /** Metric name, namespace and dimension name lengths (MetricDatum, Dimension). */
  nameLength: 255,
  /** Dimension value length (Dimension). */
  dimensionValueLength: 1024,
  /** CloudWatch drops a metric whose timestamp is older than this... */
  pastMs: 14 * 24 * 3_600_000,
  /** ...or further ahead than this. */
  futureMs: 2 * 3_600_000,
  /** CloudWatch refuses values outside ±2^360. */
  maxMagnitude: 2 ** 360,
} as const);

/**
 * Root members a metric or a dimension may not be named: the EMF metadata, the keys the file
 * transport owns in every line (`pino-cloudwatch-file`'s core keys, plus `error` and `truncated`), and
 * pino's own record keys, which the transport drops or rewrites. A metric named `level` would be
 * renamed `_level` by the transport and CloudWatch would find no `level` number.
 */
export const RESERVED_NAMES = Object.freeze([
  '_aws',
  ...CORE_KEYS,
  ERROR_KEY,
  TRUNCATED_KEY,
  'time',
  'pid',
  'hostname',
  'msg',
  'name',
  'err',
] as const);

export const DEFAULTS = Object.freeze({
  intervalMs: 60_000,
  storageResolution: 60 as StorageResolution,
  loggerName: 'metrics',
  /** A series' values held before its lines are written early (the memory bound per series). */
  maxBufferedValues: 10_000,
} as const);

/** Bytes each line leaves for what the file transport adds in front (`@timestamp`, `level`, …), besides the names it is given. */
export const LINE_HEADER_BYTES = 128;
