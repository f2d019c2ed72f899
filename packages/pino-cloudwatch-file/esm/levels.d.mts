// Types of the ESM entry of `pino-cloudwatch-file/levels` (esm/levels.mjs): the CommonJS declarations.
export * from '../dist/levels.js';
