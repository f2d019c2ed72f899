'use strict';
// Console formatters, writing to a file (stand-in for the terminal) so the output can be counted.
// pino-pretty prints extras on indented lines after the record's first line, so records are counted
// as lines that do not start with white space ('pretty' count mode).
const path = require('node:path');
const { pinoTransport, resolvePackage } = require('./util');

function prettyContender(name, pkg) {
  return {
    name,
    description: `pino.transport({ target: '${pkg}', colorize: false }) → file, worker thread`,
    count: 'pretty',
    lineScale: 0.2,
    rotates: false,
    start({ dir }) {
      return pinoTransport(
        {
          target: resolvePackage(pkg),
          options: { destination: path.join(dir, 'console.out'), colorize: false, mkdir: true },
        },
        name,
      );
    },
  };
}

module.exports = {
  pinoPretty: prettyContender('pino-pretty', 'pino-pretty'),
  pinoPrettyExtras: prettyContender('pino-pretty-extras', 'pino-pretty-extras'),
};
