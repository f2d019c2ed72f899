'use strict';
// pino-cloudwatch-file with `destination: 1` against pino's own `pino/file` to fd 1, side by side in one
// run: each round starts one fresh child per contender and sink, in turn, which logs --lines records of a
// scenario through pino.transport, ends the transport and reports its own figures; the parent gives the
// child's stdout either /dev/null or a pipe it reads and throws away (as a container runtime reads it).
//
//   node bench/stdout.js [--scenario request,large] [--lines 200000] [--rounds 5] [--markdown]
//
// Reported per contender and sink, median of the rounds: lines/s (from the first record to the end of the
// transport), whole-process CPU per line (process.cpuUsage: every thread, the worker included), peak RSS;
// and the ratios to pino/file on the same sink in the same run.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { scenarios } = require('./records');

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

const LINES = Number(flag('lines', 200_000));
const ROUNDS = Number(flag('rounds', 5));
const SCENARIOS = flag('scenario', 'request,large').split(',');
const MARKDOWN = process.argv.includes('--markdown');
const ROOT = path.join(__dirname, '..');

const CONTENDERS = {
  'pino/file': { target: 'pino/file', options: { destination: 1 } },
  'pino-cloudwatch-file': { target: 'pino-cloudwatch-file', options: { destination: 1, app: 'bench' } },
};

/** The child: logs, ends the transport, prints its figures on stderr (stdout is the sink). */
const CHILD = `
const pino = require('pino');
const { scenarios } = require(${JSON.stringify(path.join(__dirname, 'records.js'))});
const [target, options, scenario, lines] = JSON.parse(process.argv[2]);
const transport = pino.transport({ target, options });
// pino's transport does not keep the process alive: this does, until the transport has closed.
const alive = setInterval(() => {}, 1000);
const logger = pino({ name: 'app' }, transport);
transport.once('ready', () => {
  const log = scenarios[scenario].pino;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < lines; i++) log(logger);
  transport.once('close', () => {
    clearInterval(alive);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    process.stderr.write(JSON.stringify({ ms, cpuUs: cpu.user + cpu.system, rssKb: process.resourceUsage().maxRSS }) + '\\n');
  });
  logger.flush(() => transport.end());
});
`;

/** The child as a file inside the repository, so pino resolves the targets as an application's would. */
let childFile;
function childScript() {
  if (childFile !== undefined) return childFile;
  const cache = path.join(ROOT, 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const dir = fs.mkdtempSync(path.join(cache, 'bench-stdout-'));
  childFile = path.join(dir, 'child.js');
  fs.writeFileSync(childFile, CHILD);
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return childFile;
}

function runChild(contender, sink, scenario, lines) {
  const { target, options } = CONTENDERS[contender];
  const nullFd = sink === 'devnull' ? fs.openSync('/dev/null', 'w') : undefined;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [childScript(), JSON.stringify([target, options, scenario, lines])],
      {
        cwd: ROOT,
        stdio: ['ignore', nullFd ?? 'pipe', 'pipe'],
      },
    );
    if (nullFd !== undefined) fs.closeSync(nullFd);
    let bytes = 0;
    child.stdout?.on('data', (chunk) => (bytes += chunk.length));
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (text) => (err += text));
    child.on('close', (code) => {
      const last = err.trim().split('\n').pop();
      if (code !== 0) return reject(new Error(`${contender} exited ${code}: ${err}`));
      try {
        resolve({ ...JSON.parse(last), bytes });
      } catch {
        reject(new Error(`${contender}: no figures: ${err}`));
      }
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const rows = [];
  for (const scenario of SCENARIOS) {
    const lines = Math.round(LINES * scenarios[scenario].lineFactor);
    for (const sink of ['devnull', 'pipe']) {
      const results = Object.fromEntries(Object.keys(CONTENDERS).map((name) => [name, []]));
      for (let round = 0; round < ROUNDS; round++)
        for (const name of Object.keys(CONTENDERS))
          results[name].push(await runChild(name, sink, scenario, lines));
      const figures = {};
      for (const [name, runs] of Object.entries(results))
        figures[name] = {
          linesPerS: median(runs.map((r) => lines / (r.ms / 1000))),
          cpuNsPerLine: median(runs.map((r) => (r.cpuUs * 1000) / lines)),
          rssMb: median(runs.map((r) => r.rssKb / 1024)),
        };
      const base = figures['pino/file'];
      for (const [name, f] of Object.entries(figures))
        rows.push({
          scenario,
          sink: sink === 'devnull' ? '/dev/null' : 'pipe',
          contender: name,
          linesPerS: Math.round(f.linesPerS),
          ratio: (f.linesPerS / base.linesPerS).toFixed(2),
          cpuNsPerLine: Math.round(f.cpuNsPerLine),
          cpuRatio: (f.cpuNsPerLine / base.cpuNsPerLine).toFixed(2),
          rssMb: f.rssMb.toFixed(0),
        });
    }
  }
  const load = os.loadavg()[0].toFixed(2);
  if (MARKDOWN) {
    console.log(
      `${LINES} lines (scaled per scenario) × ${ROUNDS} rounds, median; load ${load}; node ${process.version}\n`,
    );
    console.log(
      '| scenario | sink | contender | lines/s | × pino/file | CPU ns/line | × pino/file | peak RSS MB |',
    );
    console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows)
      console.log(
        `| ${r.scenario} | ${r.sink} | ${r.contender} | ${r.linesPerS.toLocaleString('en')} | ${r.ratio}× | ${r.cpuNsPerLine.toLocaleString('en')} | ${r.cpuRatio}× | ${r.rssMb} |`,
      );
  } else {
    console.table(rows);
    console.log(`load ${load}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
