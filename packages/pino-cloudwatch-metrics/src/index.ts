/**
 * pino-cloudwatch-metrics: counters and distributions aggregated in process and written as CloudWatch
 * Embedded Metric Format lines into their own file family, beside the application's log files.
 */
export { createMetrics, Metrics } from './metrics';
export { MetricsError } from './names';
export { checkMetricsOptions, INTERVALS_MS } from './options';
export { LIMITS, RESERVED_NAMES, STORAGE_RESOLUTIONS, UNITS } from './constants';
export type * from './types';
