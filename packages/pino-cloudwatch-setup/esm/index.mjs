// ESM entry: the package is compiled to CommonJS; this re-exports it for `import`.
import cjs from '../dist/index.js';

export const {
  ENVIRONMENTS,
  PINO_LEVELS,
  PYTHON_LEVEL_ALIASES,
  closeLogging,
  loggingOptions,
  normalizeLevel,
  resolveLoggingConfig,
  setupLogging,
} = cjs;
export default cjs;
