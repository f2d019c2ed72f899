// Types of the ESM entry of `pino-request-context/trace` (esm/trace.mjs): the CommonJS declarations.
export * from '../dist/trace.js';
