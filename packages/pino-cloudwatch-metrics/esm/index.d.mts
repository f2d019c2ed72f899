// Types of the ESM entry (esm/index.mjs): the CommonJS declarations; the default export is the
// whole module, as Node's own `import` of a CommonJS module gives it (the namespace, which every
// resolution mode reads the same way).
import * as cjs from '../dist/index.js';

export * from '../dist/index.js';
export default cjs;
