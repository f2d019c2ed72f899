// Types of the ESM entry of `pino-cloudwatch-metrics/internal` (esm/internal.mjs): the CommonJS declarations.
export * from '../dist/internal.js';
