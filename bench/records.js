'use strict';
// The records every contender logs. Objects and errors are built once, outside the timed loop,
// so the benchmark measures logging, not object or Error construction.

const REQUEST_EXTRAS = Object.freeze({
  user_id: 123,
  route: '/users/:id',
  status_code: 200,
  response_time_ms: 45.2,
});

// ~4 KB of extras: 20 string fields of ~200 characters.
const LARGE_EXTRAS = {};
for (let i = 0; i < 20; i++) {
  const key = `field_${String(i).padStart(2, '0')}`;
  LARGE_EXTRAS[key] = `${key}:` + 'abcdefghij'.repeat(19) + 'abcdefg'; // 9 + 197 = 206 chars
}
Object.freeze(LARGE_EXTRAS);

function makeError() {
  const err = new Error('boom');
  err.code = 'E_BOOM';
  return err;
}
const ERROR = makeError();

// For winston: the same fields pino's err serializer writes (type, message, stack, code).
function serializeError(err) {
  const out = { type: err.constructor.name, message: err.message, stack: err.stack };
  for (const key of Object.keys(err)) out[key] = err[key];
  return out;
}

/**
 * scenario → { description, lineFactor, pino(logger), winston(logger) }.
 * lineFactor scales --lines so each scenario writes a comparable number of bytes and stays inside the time budget.
 */
const scenarios = {
  request: {
    description: 'request record: message + 4 extras (user_id, route, status_code, response_time_ms)',
    lineFactor: 1,
    pino: (logger) => logger.info(REQUEST_EXTRAS, 'GET /users/123'),
    winston: (logger) => logger.info('GET /users/123', REQUEST_EXTRAS),
  },
  small: {
    description: "small record: message only ('hello')",
    lineFactor: 1,
    pino: (logger) => logger.info('hello'),
    winston: (logger) => logger.info('hello'),
  },
  large: {
    description: 'large record: ~4 KB of extras (20 string fields of ~200 characters)',
    lineFactor: 0.1,
    pino: (logger) => logger.info(LARGE_EXTRAS, 'large record'),
    winston: (logger) => logger.info('large record', LARGE_EXTRAS),
  },
  error: {
    description: "error record: logger.error({ err }, 'failed'), Error with a code and a stack",
    lineFactor: 0.5,
    pino: (logger) => logger.error({ err: ERROR }, 'failed'),
    winston: (logger) => logger.error('failed', { err: ERROR }),
  },
};

module.exports = { scenarios, serializeError, REQUEST_EXTRAS, LARGE_EXTRAS, ERROR };
