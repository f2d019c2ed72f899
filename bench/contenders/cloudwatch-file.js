'use strict';
// Our transport: CloudWatch-shaped JSON lines into hourly files, in a worker thread.
const path = require('node:path');
const { pinoTransport, resolvePackage } = require('./util');

function options(dir, periodMs) {
  const opts = { file: path.join(dir, 'app.log'), app: 'bench', process: 'main' };
  if (periodMs) Object.assign(opts, { frequency: periodMs, allowShortFrequency: true });
  return opts;
}

module.exports = {
  name: 'pino-cloudwatch-file',
  description: "pino.transport({ target: 'pino-cloudwatch-file' }), hourly, CloudWatch shape, worker thread",
  count: 'json',
  rotates: true,
  options,
  start({ dir, periodMs }) {
    return pinoTransport(
      { target: resolvePackage('pino-cloudwatch-file'), options: options(dir, periodMs) },
      this.name,
    );
  },
};
