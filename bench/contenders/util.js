'use strict';
// Shared set-up helpers for the contenders. Every contender's start() returns
// { logger, flavor: 'pino' | 'winston', end(): Promise<void> } where end() resolves once every line is on disk.

const path = require('node:path');

const READY_TIMEOUT_MS = 30_000;

/** Resolve a package from the repository root, with a short message when it is missing or not built. */
function resolvePackage(name) {
  try {
    return require.resolve(name, { paths: [path.join(__dirname, '..', '..')] });
  } catch (err) {
    throw new Error(
      `package ${name} cannot be resolved (${err.code || err.message}); is it installed and built?`,
    );
  }
}

function loadPackage(name) {
  return require(resolvePackage(name));
}

/** Wait for a pino transport (ThreadStream) to report 'ready'; reject on 'error', early 'close' or timeout. */
function waitReady(stream, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: transport not ready after ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onError = (err) => {
      cleanup();
      reject(new Error(`${what}: transport failed to start: ${err && err.message ? err.message : err}`));
    };
    const onClose = () => {
      cleanup();
      reject(new Error(`${what}: transport closed before it was ready`));
    };
    function cleanup() {
      clearTimeout(timer);
      stream.off('ready', onReady);
      stream.off('error', onError);
      stream.off('close', onClose);
    }
    stream.on('ready', onReady);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** End a stream and resolve on 'close' (for ThreadStream: the worker flushed, ended its destination and exited). */
function endAndWaitClose(stream, what) {
  return new Promise((resolve, reject) => {
    const errors = [];
    stream.on('error', (err) => errors.push(err));
    stream.once('close', () => {
      if (errors.length) reject(new Error(`${what}: ${errors[0].message}`));
      else resolve();
    });
    stream.end();
  });
}

/**
 * pino logger on a pino transport. `transportOptions` is what pino.transport() takes ({ target, options } or { targets }).
 * The transport is ready (worker started, destination open) before this resolves, so start-up is not timed.
 */
async function pinoTransport(transportOptions, what) {
  const pino = loadPackage('pino');
  const transport = pino.transport(transportOptions);
  const errors = [];
  transport.on('error', (err) => errors.push(err));
  await waitReady(transport, what);
  const logger = pino({ name: 'app' }, transport);
  return {
    logger,
    flavor: 'pino',
    errors,
    end: () => endAndWaitClose(transport, what),
  };
}

module.exports = { resolvePackage, loadPackage, waitReady, endAndWaitClose, pinoTransport };
