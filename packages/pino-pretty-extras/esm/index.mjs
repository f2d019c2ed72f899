// ESM entry: a thin wrapper over the CommonJS build.
import cjs from '../dist/index.js';

export const { prettyExtras, formatRecord, OPTION_NAMES, parseOptions, withPinoConfig, OptionError } = cjs;
export default cjs.default;
