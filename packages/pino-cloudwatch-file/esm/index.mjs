// ESM entry: the package is compiled to CommonJS; this re-exports it for `import`. The default
// export is the transport factory, `require('pino-cloudwatch-file').default` (the toolkit's
// convention, .changeset/README.md); packaging/test/esm-entries.test.ts checks the names.
import cjs from '../dist/index.js';

export default cjs.default;
export const { OPTION_NAMES, keepLoggedName, validateOptions } = cjs;
