'use strict';
// pino-roll in a worker thread, hourly (or a period in ms for the stall mode).
const path = require('node:path');
const { pinoTransport, resolvePackage } = require('./util');

// pino-roll takes a number of milliseconds as frequency (it then starts a new file at start-up and every period).
function options(dir, periodMs) {
  return { file: path.join(dir, 'app'), extension: '.log', frequency: periodMs || 'hourly', mkdir: true };
}

module.exports = {
  options,
  name: 'pino-roll',
  description: "pino.transport({ target: 'pino-roll', frequency: 'hourly' }), worker thread",
  count: 'json',
  rotates: true,
  start({ dir, periodMs }) {
    return pinoTransport(
      {
        target: resolvePackage('pino-roll'),
        options: options(dir, periodMs),
      },
      this.name,
    );
  },
};
