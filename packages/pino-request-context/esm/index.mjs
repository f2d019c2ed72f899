// ESM entry: the package is compiled to CommonJS; this re-exports it for `import`.
import cjs from '../dist/index.js';

export const {
  BUFFERED_KEY,
  DEFAULTS,
  DROPPED_KEY,
  RequestContext,
  RequestContexts,
  createRequestContexts,
  cycleLevelOnSignal,
} = cjs;
export default cjs;
