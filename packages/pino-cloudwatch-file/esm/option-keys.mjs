// ESM entry of `pino-cloudwatch-file/option-keys`: re-exports the CommonJS build.
import cjs from '../dist/option-keys.js';

export const { HOST_KEYS, isHostKey, nearestOption, checkOptionKeys, describeValue } = cjs;
