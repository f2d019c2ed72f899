'use strict';
// How long does ending the transport take when a process ends just after a period boundary, inside
// the quiet gap (its first lines of the new period still wait in staging), against ending it in the
// middle of a period? Each run is a child process: it logs 2,000 lines/s with 10 s periods
// (allowShortFrequency), then calls logger.flush() + transport.end() `--after` ms after a boundary
// (or 5 s after it for the mid-period case) and reports the time until the transport closed, and
// whether every line is in a placed file (none left in staging).
//
//   node bench/exit-in-gap.js [--runs 5] [--after 20]

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PERIOD_MS = 10_000;

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

async function child(afterMs) {
  const pino = require(require.resolve('pino', { paths: [path.join(__dirname, '..')] }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exit-in-gap-'));
  const transport = pino.transport({
    target: require.resolve('pino-cloudwatch-file', { paths: [path.join(__dirname, '..')] }),
    options: {
      file: path.join(dir, 'app.log'),
      app: 'bench',
      frequency: PERIOD_MS,
      allowShortFrequency: true,
    },
  });
  const logger = pino(transport);
  // Start in the middle of a period, end `afterMs` after the next boundary (or mid-period).
  const now = Date.now();
  const boundary = Math.ceil((now + PERIOD_MS / 2) / PERIOD_MS) * PERIOD_MS;
  const endAt = afterMs < 0 ? now + 2_000 : boundary + afterMs;
  let seq = 0;
  while (Date.now() < endAt) {
    logger.info({ seq: seq++ }, 'line');
    if (seq % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const started = process.hrtime.bigint();
  logger.flush();
  // The worker does not keep the process alive: a timer does, until the transport has closed.
  const alive = setInterval(() => {}, 1000);
  await new Promise((resolve) => {
    transport.once('close', resolve);
    transport.end();
  });
  clearInterval(alive);
  const closeMs = Number(process.hrtime.bigint() - started) / 1e6;
  let lines = 0;
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith('app.log.')) continue;
    lines += fs.readFileSync(path.join(dir, name), 'utf8').split('\n').length - 1;
  }
  const staging = fs.existsSync(path.join(dir, '.staging'));
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ closeMs, logged: seq, inFiles: lines, staging }));
}

function main() {
  const runs = flag('runs', 5);
  const after = flag('after', 20);
  const rows = [];
  for (let i = 0; i < runs; i++) {
    for (const [label, afterMs] of [
      [`${after} ms after a boundary`, after],
      ['mid-period', -1],
    ]) {
      const out = execFileSync(process.execPath, [__filename, '--child', String(afterMs)], {
        encoding: 'utf8',
      });
      rows.push({ label, ...JSON.parse(out) });
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const label of [...new Set(rows.map((r) => r.label))]) {
    const mine = rows.filter((r) => r.label === label);
    const lost = mine.reduce((n, r) => n + r.logged - r.inFiles, 0);
    const ms = mine.map((r) => r.closeMs);
    console.log(
      `${label.padEnd(26)} end() → close: median ${median(ms).toFixed(0)} ms, ` +
        `min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)} over ${mine.length} runs; ` +
        `lines not in a placed file: ${lost}; staging left: ${mine.filter((r) => r.staging).length}`,
    );
  }
}

if (process.argv[2] === '--child') {
  child(Number(process.argv[3])).catch((err) => {
    process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  });
} else {
  main();
}
