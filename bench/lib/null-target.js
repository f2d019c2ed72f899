'use strict';
// A pino transport target that writes nothing: with `spinNs` it burns that much CPU per ~175 bytes it
// receives, with `allocate` it builds throw-away strings from every chunk. bench/worker-load.js uses it
// to see whether a busier worker thread slows the application's own log calls.
const { Writable } = require('node:stream');

module.exports = function nullTarget({ spinNs = 0, allocate = false } = {}) {
  let kept = [];
  return new Writable({
    decodeStrings: false,
    write(chunk, _encoding, callback) {
      if (spinNs > 0) {
        const until = process.hrtime.bigint() + BigInt(Math.round((spinNs * chunk.length) / 175));
        while (process.hrtime.bigint() < until);
      }
      if (allocate) {
        let text = '';
        for (const line of String(chunk).split('\n')) text += line.slice(1) + '\n';
        kept.push(text);
        if (kept.length > 4) kept = [];
      }
      callback();
    },
  });
};
