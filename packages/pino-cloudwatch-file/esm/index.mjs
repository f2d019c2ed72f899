// ESM entry: the package is compiled to CommonJS; this re-exports it for `import`.
import cjs from '../dist/index.js';

export default cjs.default;
export const { CONFIG_WAIT_MS, OPTION_NAMES, keepLoggedName, validateOptions } = cjs;
