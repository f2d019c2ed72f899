// ESM entry of `pino-cloudwatch-metrics/internal` (not part of the API): re-exports the CommonJS build.
import cjs from '../dist/internal.js';

export const { Aggregator, EMF_SCHEMA, checkEmf, checkSchema, metricValues, serializeGroup } = cjs;
