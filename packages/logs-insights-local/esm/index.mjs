// ESM entry: a thin wrapper over the CommonJS build.
import cjs from '../dist/index.js';

export const {
  runQuery,
  parseQuery,
  QueryError,
  DEFAULT_LIMIT,
  formatCsv,
  formatJson,
  formatTable,
  formatChart,
} = cjs;
export default cjs;
