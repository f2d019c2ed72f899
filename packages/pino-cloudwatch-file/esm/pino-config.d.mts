// Types of the ESM entry of `pino-cloudwatch-file/pino-config` (esm/pino-config.mjs): the CommonJS declarations.
export * from '../dist/pino-config.js';
