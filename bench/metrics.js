'use strict';
// What recording metrics costs on the request path, and whether it changes the application's log
// throughput. Plain script: `npx tsc -b && node bench/metrics.js`.
//
//   --calls N    metric calls per timed run of the per-call cases (default 2000000)
//   --lines N    log lines per throughput run (default 200000)
//   --rounds R   runs of each case, interleaved; the median is printed (default 5)
//
// 1. ns per call of `counter.add` and `distribution.record` (pino-cloudwatch-metrics, one dimension,
//    the demo's eight routes), and of the demo's four calls per request, on the application thread.
//    The EMF lines go to a destination that drops them: a write happens once per interval, not per call.
// 2. Log throughput, each run in a fresh child process: pino/file and pino-cloudwatch-file, each without
//    and with the demo's four metric calls per request of three lines (the metrics writing their file family for real,
//    interval 1 s, so that several intervals are written during the run). The ratio to pino/file should
//    be the same with metrics on.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const CALLS = flag('calls', 2_000_000);
const LINES = flag('lines', 200_000);
const ROUNDS = flag('rounds', 5);
const ROUTES = [
  'GET /',
  'GET /warn',
  'GET /error',
  'GET /slow',
  'GET /healthz',
  'POST /orders',
  'GET /orders/:id',
  'GET unmatched',
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The demo's four metrics (demo-fastify/src/metrics.ts), on `options`' destination or file. */
function demoMetrics(options) {
  const { createMetrics } = require('../packages/pino-cloudwatch-metrics');
  const metrics = createMetrics({ namespace: 'cw_demo', dimensions: { Service: 'cw_demo' }, ...options });
  const perRoute = { dimensions: ['Route'], dimensionSets: [['Route'], []] };
  const requests = metrics.counter('Requests', perRoute);
  const latency = metrics.distribution('Latency', { unit: 'Milliseconds', ...perRoute });
  const clientErrors = metrics.counter('ClientErrors', perRoute);
  const serverErrors = metrics.counter('ServerErrors', perRoute);
  const dims = ROUTES.map((Route) => ({ Route }));
  const request = (i) => {
    const d = dims[i & 7];
    requests.add(1, d);
    latency.record((i % 997) * 0.137, d);
    clientErrors.add(0, d);
    serverErrors.add(i % 100 === 0 ? 1 : 0, d);
  };
  return { metrics, requests, latency, dims, request };
}

function perCall() {
  const cases = {
    'counter.add(1, { Route })': (n) => {
      const { requests, dims } = demoMetrics({ destination: { write() {} } });
      const t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) requests.add(1, dims[i & 7]);
      return Number(process.hrtime.bigint() - t) / n;
    },
    'distribution.record(ms, { Route })': (n) => {
      // 10,000 values per series before an early write: the cost of serializing them is included.
      const { latency, dims } = demoMetrics({ destination: { write() {} } });
      const t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) latency.record((i % 997) * 0.137, dims[i & 7]);
      return Number(process.hrtime.bigint() - t) / n;
    },
    "the demo's request (4 calls)": (n) => {
      const { request } = demoMetrics({ destination: { write() {} } });
      const t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) request(i);
      return Number(process.hrtime.bigint() - t) / n;
    },
  };
  const results = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(cases)) results[name].push(run(CALLS));
  }
  console.log(`\nper call (application thread), ${CALLS} calls × ${ROUNDS} rounds, median [min–max] ns:`);
  for (const [name, values] of Object.entries(results)) {
    console.log(
      `  ${name.padEnd(40)} ${median(values).toFixed(0).padStart(5)}  [${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}]`,
    );
  }
}

/** A child: LINES log lines through `target`, with or without the metric calls; prints lines/s. */
async function child(target, withMetrics) {
  // pino transports unref their worker: a handle of our own keeps the process until 'close'.
  const keepAlive = setInterval(() => {}, 1000);
  const pino = require('pino');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-metrics-'));
  const transport =
    target === 'pino/file'
      ? pino.transport({ target: 'pino/file', options: { destination: path.join(dir, 'app.log') } })
      : pino.transport({
          target: require.resolve('../packages/pino-cloudwatch-file'),
          options: { file: path.join(dir, 'app.log'), app: 'bench' },
        });
  const logger = pino({ name: 'app' }, transport);
  const demo = withMetrics
    ? demoMetrics({ file: path.join(dir, 'metrics.log'), intervalMs: 1000 })
    : undefined;
  const record = { reqId: 'req-1', user_id: 123, response_time_ms: 0.403 };
  const start = process.hrtime.bigint();
  // Main-thread time: the synchronous bursts only, not the turns given to the event loop in between.
  let main = 0n;
  let burst = process.hrtime.bigint();
  for (let i = 0; i < LINES; i++) {
    logger.info(record, 'GET /');
    // The demo's request logs three lines (incoming, the route's own, completed) and makes four metric calls.
    if (demo && i % 3 === 0) demo.request(i / 3);
    if ((i & 1023) === 1023) {
      main += process.hrtime.bigint() - burst;
      await new Promise((resolve) => setImmediate(resolve));
      burst = process.hrtime.bigint();
    }
  }
  main += process.hrtime.bigint() - burst;
  await new Promise((resolve) => logger.flush(resolve));
  if (demo) await demo.metrics.close();
  await new Promise((resolve) => {
    transport.once('close', resolve);
    transport.end();
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const metricLines = fs
    .readdirSync(dir)
    .filter((name) => name.startsWith('metrics.log.'))
    .reduce((sum, name) => sum + fs.readFileSync(path.join(dir, name), 'utf8').split('\n').length - 1, 0);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({ linesPerSecond: LINES / seconds, mainNsPerLine: Number(main) / LINES, metricLines }),
  );
  clearInterval(keepAlive);
}

function throughput() {
  const cases = [
    ['pino/file', false],
    ['pino/file', true],
    ['pino-cloudwatch-file', false],
    ['pino-cloudwatch-file', true],
  ];
  const results = new Map(cases.map((c) => [c.join(' '), []]));
  const mainNs = new Map(cases.map((c) => [c.join(' '), []]));
  let metricLines = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [target, withMetrics] of cases) {
      const run = spawnSync(
        process.execPath,
        [__filename, '--child', target, String(withMetrics), '--lines', String(LINES)],
        {
          encoding: 'utf8',
        },
      );
      if (run.status !== 0) throw new Error(`child failed: ${run.stderr}`);
      const result = JSON.parse(run.stdout.trim().split('\n').pop());
      results.get(`${target} ${withMetrics}`).push(result.linesPerSecond);
      mainNs.get(`${target} ${withMetrics}`).push(result.mainNsPerLine);
      metricLines = Math.max(metricLines, result.metricLines);
    }
  }
  const rate = (target, withMetrics) => median(results.get(`${target} ${withMetrics}`));
  const mainOf = (target, withMetrics) => median(mainNs.get(`${target} ${withMetrics}`)).toFixed(0);
  console.log(
    `\nlog throughput, ${LINES} lines × ${ROUNDS} rounds (each run a fresh process), median lines/s:`,
  );
  for (const withMetrics of [false, true]) {
    const base = rate('pino/file', withMetrics);
    const ours = rate('pino-cloudwatch-file', withMetrics);
    console.log(
      `  metrics ${withMetrics ? 'on ' : 'off'}: pino/file ${(base / 1000).toFixed(0)}k, pino-cloudwatch-file ${(ours / 1000).toFixed(0)}k, ratio ${(ours / base).toFixed(2)}×; main thread ns/line: ${mainOf('pino/file', withMetrics)} and ${mainOf('pino-cloudwatch-file', withMetrics)}`,
    );
  }
  console.log(`  (metrics on: up to ${metricLines} EMF lines written per run into metrics.log.*)`);
}

if (args[0] === '--child') {
  child(args[1], args[2] === 'true').catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`);
  perCall();
  throughput();
}
