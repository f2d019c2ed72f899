// Types of the ESM entry (esm/index.mjs): the CommonJS declarations, named exports only.
export * from '../dist/index.js';
