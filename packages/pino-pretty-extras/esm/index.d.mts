// Types of the ESM entry (esm/index.mjs): the CommonJS declarations, with `prettyExtras` as the
// default export. It is named: a default import of the CommonJS build would mean the whole module to
// node16/nodenext resolution and `exports.default` to bundlers.
export * from '../dist/index.js';
export { prettyExtras as default } from '../dist/index.js';
