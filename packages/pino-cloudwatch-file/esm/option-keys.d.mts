// Types of the ESM entry of `pino-cloudwatch-file/option-keys` (esm/option-keys.mjs): the CommonJS declarations.
export * from '../dist/option-keys.js';
