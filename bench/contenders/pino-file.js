'use strict';
// pino's own file transport in a worker thread (no rotation): the baseline every ratio is taken against.
const path = require('node:path');
const { pinoTransport } = require('./util');

module.exports = {
  name: 'pino/file',
  description: "pino.transport({ target: 'pino/file' }), worker thread, no rotation",
  count: 'json',
  rotates: false,
  start({ dir }) {
    return pinoTransport(
      { target: 'pino/file', options: { destination: path.join(dir, 'app.log'), mkdir: true } },
      this.name,
    );
  },
};
