'use strict';
// What debug records cost with pino-request-context, per call and per request, and the memory it
// holds under many concurrent requests. Plain script: `npx tsc -b && node bench/request-context.js`.
//
//   --calls N      log calls per timed run (default 500000)
//   --rounds R     runs of each case, interleaved; the median is printed (default 5)
//   --contexts N   concurrent contexts in the memory run (default 1000)
//
// Every case writes to a destination that does nothing with the line, so the numbers are the
// application thread's own cost — what pino and the wrapper do before the bytes leave — without the
// write system call, which costs the same with or without the wrapper. The first line is the same
// record through pino/file's destination (sonic-boom, sync) on /dev/null, for scale.

const pino = require('pino');
const { createRequestContexts } = require('../packages/pino-request-context');

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const CALLS = flag('calls', 500_000);
const ROUNDS = flag('rounds', 5);
const CONTEXTS = flag('contexts', 1000);

const devNull = () => pino.destination({ dest: '/dev/null', sync: true });
const nowhere = () => ({ write() {} });
const record = { user_id: 123, cache: { key: 'user:123', hit: false } };

/** A logger as the toolkit's users make it: plain pino, or pino through the contexts. */
function plain(level, destination = nowhere()) {
  return { logger: pino({ level }, destination) };
}
function withContexts(options = {}, { hook = false } = {}) {
  const contexts = createRequestContexts(options);
  const loggerOptions = {
    level: contexts.loggerLevel,
    ...(hook ? { hooks: { logMethod: contexts.logMethod } } : {}),
  };
  return { contexts, logger: pino(loggerOptions, contexts.destination(nowhere())) };
}

/** Per-call cases: ns per log call. */
const perCall = {
  'info, written to pino/file on /dev/null (for scale)': () => {
    const { logger } = plain('info', devNull());
    return () => logger.info(record, 'GET /');
  },
  'info, written (plain pino)': () => {
    const { logger } = plain('info');
    return () => logger.info(record, 'GET /');
  },
  'info, written through the contexts': () => {
    const { logger } = withContexts();
    return () => logger.info(record, 'GET /');
  },
  'debug, not logged (pino at info)': () => {
    const { logger } = plain('info');
    return () => logger.debug(record, 'cache lookup');
  },
  'debug, written (pino at debug)': () => {
    const { logger } = plain('debug');
    return () => logger.debug(record, 'cache lookup');
  },
  'debug outside a context, dropped by the contexts': () => {
    const { logger } = withContexts();
    return () => logger.debug(record, 'cache lookup');
  },
  'debug outside a context, left out by the logMethod hook': () => {
    const { logger } = withContexts({}, { hook: true });
    return () => logger.debug(record, 'cache lookup');
  },
  'info, written through the contexts with the logMethod hook': () => {
    const { logger } = withContexts({}, { hook: true });
    return () => logger.info(record, 'GET /');
  },
  'debug in a context, buffered then discarded': () => {
    const { contexts, logger } = withContexts();
    // A context of 10 calls, like a request with 10 debug records: the call's share of its context.
    const tenCalls = () => {
      for (let i = 0; i < 10; i++) logger.debug(record, 'cache lookup');
    };
    const run = () => contexts.run(tenCalls);
    run.calls = 10;
    return run;
  },
};

/** Per-request cases: µs per request of 10 debug records and 1 info (plus 1 error when it fails). */
const perRequest = {
  'request that succeeds (10 debug kept back, discarded)': (fail = false) => {
    const { contexts, logger } = withContexts();
    return () =>
      contexts.run(() => {
        for (let i = 0; i < 10; i++) logger.debug(record, 'cache lookup');
        logger.info(record, 'GET /');
        if (fail) logger.error({ order_id: 'ord-1042' }, 'payment lookup failed');
      });
  },
  'request that fails (10 debug flushed before the error)': () =>
    perRequest['request that succeeds (10 debug kept back, discarded)'](true),
  'request without contexts, pino at info (10 debug not logged)': (fail) => {
    const { logger } = plain('info');
    return () => {
      for (let i = 0; i < 10; i++) logger.debug(record, 'cache lookup');
      logger.info(record, 'GET /');
      if (fail) logger.error({ order_id: 'ord-1042' }, 'payment lookup failed');
    };
  },
  'request without contexts, pino at debug (10 debug written)': (fail) => {
    const { logger } = plain('debug');
    return () => {
      for (let i = 0; i < 10; i++) logger.debug(record, 'cache lookup');
      logger.info(record, 'GET /');
      if (fail) logger.error({ order_id: 'ord-1042' }, 'payment lookup failed');
    };
  },
};

/** ns per call of `make()`'s function (a function making several calls says how many in `.calls`). */
function time(make, calls) {
  const run = make();
  const per = run.calls ?? 1;
  const runs = Math.ceil(calls / per);
  for (let i = 0; i < Math.min(runs, 20_000); i++) run(); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) run();
  return Number(process.hrtime.bigint() - start) / (runs * per);
}

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];

function table(title, cases, calls, unit, divide) {
  const names = Object.keys(cases);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) samples[name].push(time(cases[name], calls));
  }
  console.log(`\n${title}`);
  for (const name of names)
    console.log(
      `  ${(median(samples[name]) / divide).toFixed(unit === 'ns' ? 0 : 2).padStart(8)} ${unit}  ${name}`,
    );
}

function memory() {
  const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
  for (const maxTotalBytes of [16 * 1024 * 1024, 64 * 1024 * 1024]) {
    globalThis.gc?.();
    const before = process.memoryUsage();
    const { contexts, logger } = withContexts({ maxTotalBytes });
    const started = Array.from({ length: CONTEXTS }, () => contexts.start());
    // Each context logs until it is 4 times over its cap: every one evicts, the total cap holds.
    const line = 'x'.repeat(200);
    for (let round = 0; round < 4 * Math.ceil(32768 / 260); round++) {
      for (const context of started) context.run(() => logger.debug({ line }, 'cache lookup'));
    }
    globalThis.gc?.();
    const during = process.memoryUsage();
    const stats = contexts.stats();
    for (const context of started) context.end();
    globalThis.gc?.();
    const after = process.memoryUsage();
    console.log(
      `\n${CONTEXTS} contexts buffering past their cap (maxContextBytes 32 KiB, maxTotalBytes ${mb(maxTotalBytes)} MiB):` +
        `\n  buffered ${mb(stats.bufferedBytes)} MiB, dropped ${stats.dropped} lines;` +
        ` heap +${mb(during.heapUsed - before.heapUsed)} MiB, RSS +${mb(during.rss - before.rss)} MiB while held;` +
        ` after every context ended: buffered ${contexts.stats().bufferedBytes} B, heap +${mb(after.heapUsed - before.heapUsed)} MiB`,
    );
  }
}

console.log(`node ${process.version}, pino ${pino.version}, ${CALLS} calls × ${ROUNDS} rounds (median)`);
table('per log call', perCall, CALLS, 'ns', 1);
const requests = Math.max(1, Math.floor(CALLS / 12));
table(
  'per request (10 debug + 1 info, + 1 error when it fails)',
  Object.fromEntries(Object.entries(perRequest).map(([name, make]) => [name, () => make(false)])),
  requests,
  'µs',
  1000,
);
if (globalThis.gc) memory();
else console.log('\nmemory: run with node --expose-gc for the memory bound');
