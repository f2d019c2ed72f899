'use strict';
// The transport worker's own cost per line, without threads: the text pino writes for each record kind,
// cut into 64 KB chunks the way thread-stream hands them over, decoded and written by
//   - decode only        (thread-stream's StringDecoder; every transport pays it)
//   - sonic-boom         (what pino/file's worker does with a chunk; sync here so its write is timed too)
//   - pino-cloudwatch-file (build() in-process: cut into lines, shape, write with one writeSync per batch)
// Best of --runs runs (each --reps passes over the text), ns per line. Use it to see where a change moves
// the worker's time; the side-by-side suite (bench/run.js) is what the ratios in docs/benchmarks.md come from.
// The contenders take turns within each run. --baseline DIR adds a column for another build of the package (a copy of packages/pino-cloudwatch-file with
// its dist/, e.g. from before a change; its dependencies must resolve from DIR): before and after in one run.
//
//   node bench/worker-cost.js [--scenario request,small,large,error] [--runs 5] [--reps 5] [--baseline DIR]

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { StringDecoder } = require('node:string_decoder');
const { loadPackage } = require('./contenders/util');
const { scenarios } = require('./records');

const CHUNK = 64 * 1024;
const LINES = { request: 100_000, small: 100_000, large: 10_000, error: 50_000 };

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

/** The bytes pino writes for `lines` records of a scenario (same logger name as the suite's). */
function pinoText(scenario, lines) {
  const pino = loadPackage('pino');
  let text = '';
  const logger = pino({ name: 'app' }, { write: (s) => (text += s) });
  for (let i = 0; i < lines; i++) scenario.pino(logger);
  const bytes = Buffer.from(text);
  const chunks = [];
  for (let at = 0; at < bytes.length; at += CHUNK) chunks.push(bytes.subarray(at, at + CHUNK));
  return chunks;
}

/**
 * Best ns/line of each of `passes` over `runs` runs of `reps` passes over the chunks, the passes taking
 * turns within each run (a noisy, shared machine then slows all of them alike). The output files are
 * emptied before each run (all write with O_APPEND), so gigabytes of page cache do not pile up.
 */
function bestOfEach(passes, chunks, lines, runs, reps, dir) {
  const empty = () => {
    for (const name of fs.readdirSync(dir)) fs.truncateSync(path.join(dir, name), 0);
  };
  for (const pass of passes) pass(chunks); // warm up
  const min = passes.map(() => Infinity);
  for (let r = 0; r < runs; r++) {
    empty();
    passes.forEach((pass, i) => {
      const t = process.hrtime.bigint();
      for (let k = 0; k < reps; k++) pass(chunks);
      min[i] = Math.min(min[i], Number(process.hrtime.bigint() - t) / (reps * lines));
    });
  }
  return min;
}

async function main() {
  const names = String(flag('scenario', 'request,small,large,error')).split(',');
  const runs = Number(flag('runs', 5));
  const reps = Number(flag('reps', 5));
  const pino = loadPackage('pino');
  const SonicBoom = loadPackage('sonic-boom');
  const build = loadPackage('pino-cloudwatch-file').default;
  const baselineDir = flag('baseline', undefined);
  const buildBaseline = baselineDir === undefined ? undefined : require(path.resolve(baselineDir)).default;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-cost-'));
  try {
    console.log(`ns per line, best of ${runs} runs × ${reps} passes, 64 KB chunks, Node ${process.version}`);
    console.log(
      `scenario   decode  sonic-boom  pino-cloudwatch-file  × sonic-boom${buildBaseline ? '    baseline  × sonic-boom' : ''}`,
    );
    for (const name of names) {
      const scenario = scenarios[name];
      if (!scenario) throw new Error(`unknown scenario ${name}`);
      const lines = LINES[name];
      const chunks = pinoText(scenario, lines);
      // A pass decodes every chunk and hands its text to `onText`.
      const decoded = (onText) => (cs) => {
        const decoder = new StringDecoder('utf8');
        for (const c of cs) onText(decoder.write(c));
      };
      const sonic = new SonicBoom({ dest: path.join(dir, `${name}.pino-file.log`), sync: true });
      const options = (file) => ({
        file: path.join(dir, file),
        app: 'bench',
        levels: pino.levels.values,
        retention: false,
      });
      const ours = await build(options(`${name}.app.log`));
      const theirs = buildBaseline && (await buildBaseline(options(`${name}.baseline.log`)));
      const passes = [() => {}, (t) => sonic.write(t), (t) => ours.write(t)];
      if (theirs) passes.push((t) => theirs.write(t));
      const [decode, sb, cw, base] = bestOfEach(passes.map(decoded), chunks, lines, runs, reps, dir);
      sonic.end();
      await new Promise((resolve) => ours.end(resolve));
      if (theirs) await new Promise((resolve) => theirs.end(resolve));
      const cell = (x, w) => x.toFixed(0).padStart(w);
      const ratio = (x) => `${(x / sb).toFixed(2).padStart(12)}×`;
      console.log(
        `${name.padEnd(9)} ${cell(decode, 7)} ${cell(sb, 11)} ${cell(cw, 21)} ${ratio(cw)}${theirs ? ` ${cell(base, 11)} ${ratio(base)}` : ''}`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
