// ESM entry: the package is compiled to CommonJS; this re-exports it for `import`.
import cjs from '../dist/index.js';

export const {
  INTERVALS_MS,
  LIMITS,
  Metrics,
  MetricsError,
  RESERVED_NAMES,
  STORAGE_RESOLUTIONS,
  UNITS,
  checkMetricsOptions,
  createMetrics,
} = cjs;
export default cjs;
