'use strict';
// Benchmark orchestrator (issue 8). Every contender runs in its own fresh child process; contenders are
// interleaved A B C … within each round, over several rounds, so a noisy machine hits all of them alike.
//
//   node bench/run.js [flags]            (npm run bench = build + this)
//
//   --lines N          records per throughput run for the request scenario (default 500000; other scenarios
//                      scale it: small ×1, error ×0.5, large ×0.1; console and production contenders ×0.2)
//   --rounds R         rounds of interleaved runs (default 5)
//   --scenario a,b     request,small,large,error (default all)
//   --only a,b         contenders by id or name (destination, pino-file, pino-roll, winston, cloudwatch-file,
//                      pino-pretty, pretty-extras, prod-ours, prod-peer); the baseline pino/file is always added
//   --modes a,b        throughput,memory,stall (default all three)
//   --memory           shorthand for --modes memory;  --stall: shorthand for --modes stall
//   --memory-lines N   records in the memory run (default 5000000), --sample-every N (default 500000)
//   --memory-only a,b  contenders of the memory run (default pino-file,pino-roll,winston,cloudwatch-file)
//   --memory-rate N    pace the memory run at N records/s (default 0 = as fast as possible; a transport slower
//                      than the producer then shows its backlog, queued on the main thread, as RSS growth)
//   --stall-rate N     records/s in the stall run (default 20000), --stall-seconds S (default 5.5),
//   --stall-rounds R   (default 3), --stall-only a,b (default pino-file,pino-roll,winston,cloudwatch-file,prod-ours)
//   --batch N          records per synchronous burst before yielding to the event loop (default 1000, 0 = none)
//   --timeout S        kill a child after S seconds (default 120; memory runs get max(S, 900))
//   --quick            smoke run: 20000 lines, 2 rounds, memory 400000 lines sampled every 100000, stall 2.5 s × 1
//   --cpu-prof         run children with --cpu-prof (all threads) into bench/results/profiles/<stamp>/
//   --markdown         also print the tables as Markdown (for docs/benchmarks.md)
//   --no-save          do not write bench/results/<stamp>.json
//   --report FILE      re-print the tables (and --markdown) of a saved bench/results/<stamp>.json; runs nothing

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { select, BASELINE, byName } = require('./contenders');
const { scenarios } = require('./records');
const { aggregate } = require('./lib/stats');
const report = require('./lib/report');

const MARK = 'BENCH_RESULT ';
const RESULTS_DIR = path.join(__dirname, 'results');

function parseFlags(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(a)}`);
    const eq = a.indexOf('=');
    if (eq !== -1) flags[a.slice(2, eq)] = a.slice(eq + 1);
    else if (argv[i + 1] === undefined || argv[i + 1].startsWith('--')) flags[a.slice(2)] = true;
    else flags[a.slice(2)] = argv[++i];
  }
  return flags;
}

function config(flags) {
  const quick = Boolean(flags.quick);
  const num = (key, full, q) => {
    if (flags[key] === undefined) return quick ? q : full;
    const v = Number(flags[key]);
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${key} must be a number, got ${flags[key]}`);
    return v;
  };
  let modes = flags.modes ? String(flags.modes).split(',') : ['throughput', 'memory', 'stall'];
  if (flags.memory || flags.stall) modes = [flags.memory && 'memory', flags.stall && 'stall'].filter(Boolean);
  for (const m of modes)
    if (!['throughput', 'memory', 'stall'].includes(m)) throw new Error(`unknown mode ${m}`);
  const scenarioNames = flags.scenario ? String(flags.scenario).split(',') : Object.keys(scenarios);
  for (const s of scenarioNames) if (!scenarios[s]) throw new Error(`unknown scenario ${s}`);
  const withBaseline = (list) =>
    list.some((c) => c.name === BASELINE) ? list : [byName.get(BASELINE), ...list];
  const sortByList = (list) => select().filter((c) => list.includes(c));
  return {
    quick,
    modes,
    scenarios: scenarioNames,
    contenders: sortByList(withBaseline(select(flags.only))),
    lines: num('lines', 500_000, 20_000),
    rounds: num('rounds', 5, 2),
    batch: num('batch', 1000, 1000),
    timeoutS: num('timeout', 120, 120),
    memoryLines: num('memory-lines', 5_000_000, 400_000),
    sampleEvery: num('sample-every', 500_000, 100_000),
    memoryRate: num('memory-rate', 0, 0),
    memoryContenders: withBaseline(
      select(flags['memory-only'] || 'pino-file,pino-roll,winston,cloudwatch-file'),
    ),
    stallRate: num('stall-rate', 20_000, 20_000),
    stallSeconds: num('stall-seconds', 5.5, 2.5),
    stallRounds: num('stall-rounds', 3, 1),
    stallContenders: withBaseline(
      select(flags['stall-only'] || 'pino-file,pino-roll,winston,cloudwatch-file,prod-ours'),
    ),
    cpuProf: Boolean(flags['cpu-prof']),
    markdown: Boolean(flags.markdown),
    save: !flags['no-save'],
  };
}

let activeChild = null;
let activeDir = null;

/** Run one child; always resolves with a result object (ok: false on crash, timeout or missing output). */
function runChild(cfg, stamp, { contender, scenario, lines, mode, extra = [], timeoutS, round }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcw-bench-'));
  activeDir = dir;
  const nodeArgs = [];
  if (cfg.cpuProf) {
    const profDir = path.join(
      RESULTS_DIR,
      'profiles',
      stamp,
      `${contender.id}-${scenario}-${mode}-r${round}`,
    );
    fs.mkdirSync(profDir, { recursive: true });
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir', profDir);
  }
  const args = [
    ...nodeArgs,
    path.join(__dirname, 'contender.js'),
    contender.name,
    scenario,
    String(lines),
    dir,
    '--mode',
    mode,
    '--batch',
    String(cfg.batch),
    ...extra,
  ];
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    activeChild = child;
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      activeChild = null;
      fs.rmSync(dir, { recursive: true, force: true });
      activeDir = null;
      const line = stdout.split('\n').find((l) => l.startsWith(MARK));
      let result;
      if (line) {
        try {
          result = JSON.parse(line.slice(MARK.length));
        } catch (err) {
          result = { ok: false, error: `unparsable result: ${err.message}` };
        }
      } else {
        const why = timedOut ? `timeout after ${timeoutS} s` : `exit ${signal || code} without a result`;
        const lastErr = stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
        result = { ok: false, error: lastErr ? `${why}: ${lastErr}` : why };
      }
      resolve({
        ...result,
        contender: contender.name,
        scenario,
        mode,
        round,
        wallMs: Date.now() - started,
      });
    });
  });
}

/** Aggregates, memory rows, stall summary and targets, all derived from doc.runs (so --report can redo them). */
function summarise(doc) {
  const names = doc.config.contenders;
  doc.aggregated = aggregate(
    doc.runs.filter((r) => r.mode === 'throughput'),
    doc.config.scenarios,
    names,
    BASELINE,
  );
  doc.memory = doc.runs.filter((r) => r.mode === 'memory');
  doc.stall = report.stallSummary(doc.runs.filter((r) => r.mode === 'stall'));
  doc.targets = report.targets(doc);
  return doc;
}

function reprint(file, markdown) {
  const doc = summarise(JSON.parse(fs.readFileSync(file, 'utf8')));
  process.stdout.write(report.text(doc));
  if (markdown) process.stdout.write('\n' + report.markdown(doc));
}

/** The commit measured, and whether the packages had uncommitted changes (the transport is being optimised). */
function gitState() {
  const git = (...args) =>
    execFileSync('git', args, { cwd: path.join(__dirname, '..'), encoding: 'utf8' }).trim();
  try {
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      packagesDirty: git('status', '--porcelain', 'packages') !== '',
    };
  } catch {
    return undefined;
  }
}

function cleanupAndExit(signal) {
  if (activeChild) activeChild.kill('SIGKILL');
  if (activeDir) fs.rmSync(activeDir, { recursive: true, force: true });
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

function progress(msg) {
  process.stderr.write(msg + '\n');
}

function brief(r) {
  if (!r.ok) return `ERROR ${r.error}`;
  if (r.mode === 'stall')
    return `gap@boundary ${r.maxGapAtBoundaryMs} ms, max call ${r.maxCallMs} ms, lost ${r.lost}`;
  const rss = r.mode === 'memory' ? `, RSS growth ${r.rssGrowthMB} MB` : '';
  return `${r.linesPerSec} lines/s, ${r.mainNsPerLine} ns/line, lost ${r.lost}${rss}`;
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.help || flags.h) {
    const src = fs.readFileSync(path.join(__dirname, 'run.js'), 'utf8');
    process.stdout.write(
      src
        .split('\n')
        .filter((l) => l.startsWith('//'))
        .map((l) => l.slice(3))
        .join('\n') + '\n',
    );
    return;
  }
  if (flags.report) return reprint(String(flags.report), Boolean(flags.markdown));
  const cfg = config(flags);
  process.on('SIGINT', cleanupAndExit);
  process.on('SIGTERM', cleanupAndExit);
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const runs = [];
  const t0 = Date.now();

  if (cfg.modes.includes('throughput')) {
    for (let round = 1; round <= cfg.rounds; round++) {
      // Rotate the order each round so no contender always runs first (cold caches) or last.
      const order = cfg.contenders.map((_, i) => cfg.contenders[(i + round - 1) % cfg.contenders.length]);
      for (const scenario of cfg.scenarios) {
        const scenarioLines = cfg.lines * scenarios[scenario].lineFactor;
        for (const contender of order) {
          // Console contenders are 5-20× slower: they log a fifth of the lines (their lines/s is still a
          // rate), so thread-stream's 10 s limit on end() is not reached while the worker catches up.
          const lines = Math.max(1, Math.round(scenarioLines * (contender.lineScale ?? 1)));
          const r = await runChild(cfg, stamp, {
            contender,
            scenario,
            lines,
            mode: 'throughput',
            timeoutS: cfg.timeoutS,
            round,
          });
          runs.push(r);
          progress(`[${round}/${cfg.rounds}] ${scenario.padEnd(7)} ${contender.name.padEnd(44)} ${brief(r)}`);
        }
      }
    }
  }

  if (cfg.modes.includes('memory')) {
    for (const contender of cfg.memoryContenders) {
      const r = await runChild(cfg, stamp, {
        contender,
        scenario: 'request',
        lines: cfg.memoryLines,
        mode: 'memory',
        extra: ['--sample-every', String(cfg.sampleEvery), '--rate', String(cfg.memoryRate)],
        timeoutS: Math.max(cfg.timeoutS, 900),
        round: 1,
      });
      runs.push(r);
      progress(`[memory] ${contender.name.padEnd(44)} ${brief(r)}`);
    }
  }

  if (cfg.modes.includes('stall')) {
    for (let round = 1; round <= cfg.stallRounds; round++) {
      for (const contender of cfg.stallContenders) {
        const r = await runChild(cfg, stamp, {
          contender,
          scenario: 'request',
          lines: 0,
          mode: 'stall',
          extra: ['--rate', String(cfg.stallRate), '--seconds', String(cfg.stallSeconds), '--period', '1000'],
          timeoutS: cfg.timeoutS,
          round,
        });
        runs.push(r);
        progress(`[stall ${round}/${cfg.stallRounds}] ${contender.name.padEnd(44)} ${brief(r)}`);
      }
    }
  }

  const machine = {
    cpus: os.cpus().length,
    cpuModel: (os.cpus()[0] || {}).model,
    totalMemGB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    loadavgAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
  const doc = {
    startedAt: startedAt.toISOString(),
    git: gitState(),
    durationS: Math.round((Date.now() - t0) / 1000),
    command: `node bench/run.js ${process.argv.slice(2).join(' ')}`.trim(),
    machine,
    config: {
      ...cfg,
      contenders: cfg.contenders.map((c) => c.name),
      memoryContenders: cfg.memoryContenders.map((c) => c.name),
      stallContenders: cfg.stallContenders.map((c) => c.name),
      scenarioDescriptions: Object.fromEntries(cfg.scenarios.map((s) => [s, scenarios[s].description])),
    },
    runs,
  };
  summarise(doc);

  process.stdout.write(report.text(doc));
  if (cfg.markdown) process.stdout.write('\n' + report.markdown(doc));
  if (cfg.save) {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${stamp}.json`);
    fs.writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
    process.stdout.write(`\nresults: ${path.relative(process.cwd(), file)}\n`);
  }
  if (cfg.cpuProf) {
    process.stdout.write(
      `profiles: ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'profiles', stamp))} ` +
        '(summarise with: node bench/profile-summary.js <dir>)\n',
    );
  }
}

main().catch((err) => {
  process.stderr.write(`bench: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
