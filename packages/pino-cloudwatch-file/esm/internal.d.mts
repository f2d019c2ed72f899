// Types of the ESM entry of `pino-cloudwatch-file/internal` (esm/internal.mjs): the CommonJS declarations.
export * from '../dist/internal.js';
