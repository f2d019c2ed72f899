'use strict';
// winston + winston-daily-rotate-file, JSON with a timestamp, hourly (or every second for the stall mode).
const { loadPackage } = require('./util');
const { serializeError } = require('../records');

module.exports = {
  name: 'winston-daily-rotate-file',
  description: 'winston 3 json+timestamp, DailyRotateFile datePattern YYYY-MM-DD-HH, main thread',
  count: 'json',
  rotates: true,
  async start({ dir, periodMs }) {
    const winston = loadPackage('winston');
    const DailyRotateFile = loadPackage('winston-daily-rotate-file');
    if (periodMs && periodMs !== 1000)
      throw new Error('winston contender: only 1 s short periods are supported');
    // pino serializes `err` with type/message/stack/code; do the same so both write the same fields.
    const errFields = winston.format((info) => {
      if (info.err instanceof Error) info.err = serializeError(info.err);
      return info;
    });
    const transport = new DailyRotateFile({
      dirname: dir,
      filename: 'app-%DATE%.log',
      // With the default frequency ('custom') the file changes whenever the formatted date changes.
      datePattern: periodMs ? 'YYYY-MM-DD-HH-mm-ss' : 'YYYY-MM-DD-HH',
      auditFile: `${dir}/.audit.json`,
    });
    const errors = [];
    transport.on('error', (err) => errors.push(err));
    const logger = winston.createLogger({
      level: 'info',
      format: winston.format.combine(errFields(), winston.format.timestamp(), winston.format.json()),
      transports: [transport],
    });
    return {
      logger,
      flavor: 'winston',
      errors,
      async end() {
        // 1. The logger's finish waits for the transport's Writable to finish (every record handed to the file stream).
        await new Promise((resolve) => {
          logger.once('finish', resolve);
          logger.end();
        });
        // 2. End the underlying file stream and wait until its last write completed.
        await new Promise((resolve) => transport.logStream.end(resolve));
        if (errors.length) throw errors[0];
      },
    };
  },
};
