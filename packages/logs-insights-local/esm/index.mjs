// ESM entry: the package is compiled to CommonJS; this re-exports it for `import`. Named exports
// only (no default export: the toolkit's convention, .changeset/README.md); packaging/test/esm-entries.test.ts
// checks that the names are those of the CommonJS build.
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
