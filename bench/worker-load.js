'use strict';
// Does the worker's own load show in the application's log calls? Logs request records in bursts of
// 1000 (as the suite does) to pino/file, pino-cloudwatch-file, and a target that writes nothing while
// idle, spinning or allocating in the worker (bench/lib/null-target.js); prints the main thread's time
// inside log calls per line. Each variant runs in its own child process, interleaved over --rounds.
//
//   node bench/worker-load.js [--lines 400000] [--rounds 3]

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const VARIANTS = {
  'pino/file': (dir) => ({ target: 'pino/file', options: { destination: path.join(dir, 'app.log') } }),
  'pino-cloudwatch-file': (dir) => ({
    target: require.resolve('pino-cloudwatch-file', { paths: [path.join(__dirname, '..')] }),
    options: { file: path.join(dir, 'app.log'), app: 'bench', process: 'main' },
  }),
  'null, idle': () => ({ target: path.join(__dirname, 'lib', 'null-target.js'), options: {} }),
  'null, 1 µs CPU per line': () => ({
    target: path.join(__dirname, 'lib', 'null-target.js'),
    options: { spinNs: 1000 },
  }),
  'null, allocating': () => ({
    target: path.join(__dirname, 'lib', 'null-target.js'),
    options: { allocate: true },
  }),
};

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

async function child(name, lines) {
  const pino = require(require.resolve('pino', { paths: [path.join(__dirname, '..')] }));
  const { scenarios } = require('./records');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-load-'));
  try {
    const transport = pino.transport(VARIANTS[name](dir));
    await new Promise((resolve) => transport.once('ready', resolve));
    const logger = pino({ name: 'app' }, transport);
    let ns = 0n;
    for (let done = 0; done < lines; done += 1000) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 1000; i++) scenarios.request.pino(logger);
      ns += process.hrtime.bigint() - start;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // The measurement is done: print it before ending (the worker is unref'd, so the process may
    // exit as soon as the transport has ended).
    process.stdout.write(String(Number(ns) / lines));
    transport.end();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const lines = flag('lines', 400_000);
  const rounds = flag('rounds', 3);
  const names = Object.keys(VARIANTS);
  const results = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (const name of names) {
      const out = execFileSync(process.execPath, [__filename, '--child', name, String(lines)], {
        encoding: 'utf8',
      });
      results[name].push(Number(out));
    }
  }
  console.log(
    `main-thread ns per line inside log calls, ${lines} request records, ${rounds} rounds (median [min–max])`,
  );
  for (const name of names) {
    const v = results[name].slice().sort((a, b) => a - b);
    console.log(
      `${name.padEnd(26)} ${v[Math.floor(v.length / 2)].toFixed(0).padStart(6)} [${v[0].toFixed(0)}–${v[v.length - 1].toFixed(0)}]`,
    );
  }
}

const at = process.argv.indexOf('--child');
if (at !== -1) {
  child(process.argv[at + 1], Number(process.argv[at + 2])).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main();
}
