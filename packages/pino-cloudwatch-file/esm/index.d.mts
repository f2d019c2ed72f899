// Types of the ESM entry (esm/index.mjs): the CommonJS declarations, with the transport factory as
// the default export. It is named from the module that declares it: a default import of the CommonJS
// build would mean the whole module to node16/nodenext resolution and `exports.default` to bundlers.
export * from '../dist/index.js';
export { build as default } from '../dist/build.js';
