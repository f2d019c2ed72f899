'use strict';
// Production setups: console + hourly file targets in one pino transport (one worker thread).
// The console target writes to a file (stand-in for stdout) so the benchmark does not flood the terminal;
// records are counted in the file target (JSON) and in the console file (pretty), and both must hold every record.
const path = require('node:path');
const { pinoTransport, resolvePackage } = require('./util');
const cloudwatchFile = require('./cloudwatch-file');
const pinoRoll = require('./pino-roll');

module.exports = {
  ours: {
    name: 'production: pretty-extras + cloudwatch-file',
    description: 'targets [pino-pretty-extras → file (console stand-in), pino-cloudwatch-file hourly]',
    count: 'production',
    lineScale: 0.2,
    rotates: true,
    start({ dir, periodMs }) {
      return pinoTransport(
        {
          targets: [
            {
              target: resolvePackage('pino-pretty-extras'),
              options: { destination: path.join(dir, 'console.out'), colorize: false, mkdir: true },
            },
            {
              target: resolvePackage('pino-cloudwatch-file'),
              options: cloudwatchFile.options(dir, periodMs),
            },
          ],
        },
        this.name,
      );
    },
  },
  peer: {
    name: 'production: pino-pretty + pino-roll',
    description: 'targets [pino-pretty → file (console stand-in), pino-roll hourly]',
    count: 'production',
    lineScale: 0.2,
    rotates: true,
    start({ dir, periodMs }) {
      return pinoTransport(
        {
          targets: [
            {
              target: resolvePackage('pino-pretty'),
              options: { destination: path.join(dir, 'console.out'), colorize: false, mkdir: true },
            },
            {
              target: resolvePackage('pino-roll'),
              options: pinoRoll.options(dir, periodMs),
            },
          ],
        },
        this.name,
      );
    },
  },
};
