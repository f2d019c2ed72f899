// ESM entry: a thin wrapper over the CommonJS build. The default export is the stream factory,
// `require('pino-pretty-extras').default` (the toolkit's convention, .changeset/README.md);
// packaging/test/esm-entries.test.ts checks the names.
import cjs from '../dist/index.js';

export const { prettyExtras, formatRecord, OPTION_NAMES, parseOptions, OptionError } = cjs;
export default cjs.default;
