// Types of the ESM entry (esm/index.mjs). Node's `import` of the CommonJS build would make the
// default export the whole module; this entry's default export is `prettyExtras`.
import cjs from '../dist/index.js';

export * from '../dist/index.js';
declare const prettyExtras: typeof cjs.default;
export default prettyExtras;
