'use strict';
// One contender, one scenario, in a fresh process:
//   node bench/contender.js <contender> <scenario> <lines> <outdir> [--mode throughput|memory|stall] [options]
// Prints exactly one line `BENCH_RESULT <json>` on stdout (also on failure: { ok: false, error }).
// The orchestrator (bench/run.js) creates <outdir> and removes it afterwards; this process removes it too.
//
// Options:
//   --mode throughput  log <lines> records, yielding to the event loop every --batch records (default)
//   --mode memory      same, sampling RSS every --sample-every records (default 1,000,000); --rate N paces
//                      the bursts at N records/s (default: as fast as the event loop turns)
//   --mode stall       log at --rate records/s for --seconds seconds with --period ms rotations; report the
//                      longest main-thread gaps
//   --batch N          records per synchronous burst before yielding (default 1000; 0 = one tight loop)

const fs = require('node:fs');
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');
const { byName } = require('./contenders');
const { scenarios } = require('./records');
const { countDir } = require('./lib/count');

const MARK = 'BENCH_RESULT ';

function parseArgs(argv) {
  const positional = [];
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq !== -1) flags[a.slice(2, eq)] = a.slice(eq + 1);
      else if (argv[i + 1] === undefined || argv[i + 1].startsWith('--')) flags[a.slice(2)] = 'true';
      else flags[a.slice(2)] = argv[++i];
    } else positional.push(a);
  }
  return { positional, flags };
}

const immediate = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (ns) => Number(ns) / 1e6;
const mb = (bytes) => bytes / 1024 / 1024;
const round = (x, digits = 2) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

/**
 * Log `lines` records in bursts of `batch`, timing only the log calls. Calls onProgress(done) after each burst.
 * With `rate` (records/s) the bursts are paced: a burst waits until its records are due.
 */
async function logBursts(logOne, logger, lines, batch, onProgress, rate) {
  let callNs = 0n;
  let done = 0;
  const burst = batch > 0 ? batch : lines;
  const t0 = process.hrtime.bigint();
  while (done < lines) {
    if (rate > 0) {
      const dueMs = (done / rate) * 1000 - Number(process.hrtime.bigint() - t0) / 1e6;
      if (dueMs >= 1) await sleep(dueMs);
    }
    const n = Math.min(burst, lines - done);
    const s = process.hrtime.bigint();
    for (let i = 0; i < n; i++) logOne(logger);
    callNs += process.hrtime.bigint() - s;
    done += n;
    if (onProgress) await onProgress(done);
    if (batch > 0 && done < lines) await immediate();
  }
  return callNs;
}

async function throughput(ctx) {
  const { contender, scenario, lines, dir, flags, mode } = ctx;
  const batch = flags.batch === undefined ? 1000 : Number(flags.batch);
  const sampleEvery = Number(flags['sample-every'] || 1_000_000);
  const rate = Number(flags.rate || 0);

  const startupStart = process.hrtime.bigint();
  const setup = await contender.start({ dir });
  const startupMs = ms(process.hrtime.bigint() - startupStart);
  const logOne = scenario[setup.flavor];

  const samples = [];
  const onProgress =
    mode === 'memory'
      ? async (done) => {
          if (done % sampleEvery === 0 || done === lines) {
            await immediate();
            const m = process.memoryUsage();
            samples.push({ lines: done, rssMB: round(mb(m.rss), 1), heapUsedMB: round(mb(m.heapUsed), 1) });
          }
        }
      : undefined;

  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const callNs = await logBursts(logOne, setup.logger, lines, batch, onProgress, rate);
  const tLogged = process.hrtime.bigint();
  const elu = performance.eventLoopUtilization(elu0);
  await setup.end();
  const tEnd = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  const rssAfterEndMB = mb(process.memoryUsage().rss);

  const count = countDir(dir, contender.count);
  const totalS = Number(tEnd - t0) / 1e9;
  const result = {
    lines,
    batch,
    written: count.lines,
    lost: lines - count.lines,
    linesPerSec: round(lines / totalS, 0),
    totalMs: round(totalS * 1000, 1),
    logPhaseMs: round(ms(tLogged - t0), 1),
    drainMs: round(ms(tEnd - tLogged), 1),
    mainNsPerLine: round(Number(callNs) / lines, 1),
    // Event-loop active time on the main thread while logging (log calls + I/O callbacks in between), per line.
    mainBusyNsPerLine: round((elu.active * 1e6) / lines, 1),
    cpuMs: round((cpu.user + cpu.system) / 1000, 1),
    cpuUserMs: round(cpu.user / 1000, 1),
    cpuSystemMs: round(cpu.system / 1000, 1),
    maxRssMB: round(process.resourceUsage().maxRSS / 1024, 1),
    rssAfterEndMB: round(rssAfterEndMB, 1),
    startupMs: round(startupMs, 1),
    files: count.files,
    bytes: count.bytes,
    bytesPerLine: round(count.bytes / Math.max(1, count.lines), 1),
    perFile: count.perFile.length <= 8 ? count.perFile : undefined,
    invalidJson: count.invalidJson.length ? count.invalidJson : undefined,
    sample: count.sample,
  };
  if (mode === 'memory') {
    result.rate = rate || undefined;
    result.rssSamples = samples;
    const first = samples[0];
    const last = samples[samples.length - 1];
    result.rssGrowthMB = first && last ? round(last.rssMB - first.rssMB, 1) : null;
    // Second half: V8 sizes the heaps (the worker's young generation above all) during the first part of
    // a run; a leak or a backlog that outgrows the producer keeps growing through the second half too.
    const half = samples.find((s) => s.lines >= lines / 2);
    result.rssGrowthSecondHalfMB = half && last ? round(last.rssMB - half.rssMB, 1) : null;
    result.heapGrowthMB = first && last ? round(last.heapUsedMB - first.heapUsedMB, 1) : null;
  }
  return result;
}

/**
 * Steady pace across several rotation boundaries. Every ~1 ms timer tick logs the records that are due at --rate.
 * Measures the longest single log call, the longest gap between two ticks (the main thread was busy elsewhere:
 * I/O callbacks, a synchronous rotation, GC, a full transport buffer), both overall and within a window
 * around each clock boundary of the period, and the event-loop delay histogram.
 */
async function stall(ctx) {
  const { contender, scenario, dir, flags } = ctx;
  const rate = Number(flags.rate || 20_000);
  const seconds = Number(flags.seconds || 5.5);
  const periodMs = Number(flags.period || 1000);
  const windowBeforeMs = 20;
  const windowAfterMs = 250;

  const setup = await contender.start({ dir, periodMs });
  const logOne = scenario[setup.flavor];
  // Start just after a boundary so the run crosses floor(seconds) boundaries.
  await sleep(periodMs - (Date.now() % periodMs) + 5);

  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const wall0 = Date.now();
  const durationNs = BigInt(Math.round(seconds * 1e9));
  let logged = 0;
  let maxCallNs = 0n;
  let maxGapNs = 0n;
  let maxCallAtBoundaryNs = 0n;
  let maxGapAtBoundaryNs = 0n;
  let maxGapAwayNs = 0n;
  let ticks = 0;
  let prevTickEnd = t0;
  const nearBoundary = (wallMs) => {
    const phase = wallMs % periodMs;
    return phase < windowAfterMs || phase > periodMs - windowBeforeMs;
  };
  for (;;) {
    await sleep(1);
    const tickStart = process.hrtime.bigint();
    const elapsed = tickStart - t0;
    if (elapsed >= durationNs) break;
    const gap = tickStart - prevTickEnd;
    const atBoundary = nearBoundary(wall0 + Number(elapsed / 1_000_000n));
    if (gap > maxGapNs) maxGapNs = gap;
    if (atBoundary && gap > maxGapAtBoundaryNs) maxGapAtBoundaryNs = gap;
    if (!atBoundary && gap > maxGapAwayNs) maxGapAwayNs = gap;
    const due = Math.floor((rate * Number(elapsed)) / 1e9) - logged;
    for (let i = 0; i < due; i++) {
      const s = process.hrtime.bigint();
      logOne(setup.logger);
      const d = process.hrtime.bigint() - s;
      if (d > maxCallNs) maxCallNs = d;
      if (atBoundary && d > maxCallAtBoundaryNs) maxCallAtBoundaryNs = d;
    }
    logged += Math.max(0, due);
    ticks++;
    prevTickEnd = process.hrtime.bigint();
  }
  h.disable();
  await setup.end();
  const cpu = process.cpuUsage(cpu0);
  const count = countDir(dir, contender.count);
  return {
    lines: logged,
    written: count.lines,
    lost: logged - count.lines,
    rate,
    seconds,
    periodMs,
    ticks,
    files: count.files,
    maxCallMs: round(ms(maxCallNs), 3),
    maxCallAtBoundaryMs: round(ms(maxCallAtBoundaryNs), 3),
    // A tick is scheduled every ~1 ms, so a gap of ~1.1 ms is the idle baseline.
    maxGapMs: round(ms(maxGapNs), 3),
    maxGapAtBoundaryMs: round(ms(maxGapAtBoundaryNs), 3),
    // The same away from the boundaries: if it is as large, the rotation is not what stalls the main thread.
    maxGapAwayMs: round(ms(maxGapAwayNs), 3),
    eventLoopDelayMaxMs: round(h.max / 1e6, 3),
    eventLoopDelayP99Ms: round(h.percentile(99) / 1e6, 3),
    cpuMs: round((cpu.user + cpu.system) / 1000, 1),
    maxRssMB: round(process.resourceUsage().maxRSS / 1024, 1),
  };
}

async function main() {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const [name, scenarioName, linesArg, dir] = positional;
  const mode = flags.mode || 'throughput';
  // pino transports unref their worker: without a handle of our own the process could exit while waiting for 'close'.
  const keepAlive = setInterval(() => {}, 1000);
  const base = { contender: name, scenario: scenarioName, mode, node: process.version, pid: process.pid };
  try {
    if (!name || !scenarioName || !linesArg || !dir) {
      throw new Error('usage: node bench/contender.js <contender> <scenario> <lines> <outdir> [--mode ...]');
    }
    const contender = byName.get(name);
    if (!contender)
      throw new Error(`unknown contender ${JSON.stringify(name)}; known: ${[...byName.keys()].join(', ')}`);
    const scenario = scenarios[scenarioName];
    if (!scenario) throw new Error(`unknown scenario ${JSON.stringify(scenarioName)}`);
    fs.mkdirSync(dir, { recursive: true });
    const ctx = { contender, scenario, lines: Number(linesArg), dir, flags, mode };
    const result = mode === 'stall' ? await stall(ctx) : await throughput(ctx);
    return { ...base, ok: true, ...result };
  } catch (err) {
    return { ...base, ok: false, error: String((err && err.message) || err).split('\n')[0] };
  } finally {
    clearInterval(keepAlive);
    if (dir && flags.keep === undefined) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report(result) {
  process.stdout.write(MARK + JSON.stringify(result) + '\n', () => process.exit(0));
}

// A transport that throws after start-up must still produce a result line, not a stack trace only.
process.on('uncaughtException', (err) => {
  const [name, scenarioName] = process.argv.slice(2);
  report({ contender: name, scenario: scenarioName, ok: false, error: `uncaught: ${err && err.message}` });
});

main().then(report);
