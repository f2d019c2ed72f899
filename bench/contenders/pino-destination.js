'use strict';
// pino writing on the main thread through an asynchronous SonicBoom destination (no worker, no rotation).
const path = require('node:path');
const { loadPackage } = require('./util');

module.exports = {
  name: 'pino.destination',
  description: 'pino(pino.destination({ sync: false, minLength: 4096 })), main thread, no rotation',
  count: 'json',
  rotates: false,
  async start({ dir }) {
    const pino = loadPackage('pino');
    const dest = pino.destination({
      dest: path.join(dir, 'app.log'),
      sync: false,
      minLength: 4096,
      mkdir: true,
    });
    await new Promise((resolve, reject) => {
      dest.once('ready', resolve);
      dest.once('error', reject);
    });
    const logger = pino({ name: 'app' }, dest);
    return {
      logger,
      flavor: 'pino',
      end: () =>
        new Promise((resolve, reject) => {
          dest.once('close', resolve);
          dest.once('error', reject);
          dest.end();
        }),
    };
  },
};
