/**
 * `pino-cloudwatch-metrics/internal`: the pieces the package is built from and the EMF checker, for this
 * repository's tests and benchmarks. Not part of the package's API: any release may change them.
 */
export { Aggregator, type MetricSpec } from './aggregator';
export { serializeGroup, type GroupMetric, type LineGroup, type SerializedGroup } from './emf';
export { checkEmf, checkSchema, EMF_SCHEMA, metricValues, type EmfDocument } from './emf-schema';
