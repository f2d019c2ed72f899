'use strict';
// Tables (plain text and Markdown) and the issue-8 target checks.
const { median } = require('./stats');

const BASELINE = 'pino/file';
const CWF = 'pino-cloudwatch-file';
const WINSTON = 'winston-daily-rotate-file';
const PROD_OURS = 'production: pretty-extras + cloudwatch-file';
const PROD_PEER = 'production: pino-pretty + pino-roll';

const int = (x) => (x === null || x === undefined ? '–' : Math.round(x).toLocaleString('en-US'));
const fix = (x, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));
const ratio = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${x.toFixed(2)}×`);
const kfmt = (x) => (x >= 10_000 ? `${Math.round(x / 1000)}k` : int(x));

function range(s, f = kfmt) {
  if (!s) return '–';
  return `${f(s.median)} [${f(s.min)}–${f(s.max)}]`;
}

function statusOf(e) {
  if (e.status === 'error' && e.okRuns > 0)
    return `failed ${e.errorRuns}/${e.runs} runs (not ranked): ${e.error}`;
  if (e.status === 'error') return `error: ${e.error}`;
  if (e.status === 'lost') return `LOST ${int(e.lost)} lines in ${e.lostRuns}/${e.okRuns} runs (not ranked)`;
  return 'ok';
}

/** Rows of one scenario, ranked by median lines/s; contenders that lost lines or failed go last. */
function rows(entries) {
  const rank = (e) => (e.status === 'ok' ? 0 : e.status === 'lost' ? 1 : 2);
  return Object.entries(entries)
    .sort(([, a], [, b]) => {
      if (rank(a) !== rank(b)) return rank(a) - rank(b);
      const la = a.metrics.linesPerSec ? a.metrics.linesPerSec.median : 0;
      const lb = b.metrics.linesPerSec ? b.metrics.linesPerSec.median : 0;
      return lb - la;
    })
    .map(([name, e]) => {
      const m = e.metrics;
      const ok = e.okRuns > 0;
      return [
        name,
        ok ? range(m.linesPerSec) : '–',
        ok ? ratio(e.ratio.linesPerSec) : '–',
        ok ? int(m.mainNsPerLine && m.mainNsPerLine.median) : '–',
        ok ? ratio(e.ratio.mainNsPerLine) : '–',
        ok ? int(m.mainBusyNsPerLine && m.mainBusyNsPerLine.median) : '–',
        ok ? int(m.cpuMs && m.cpuMs.median) : '–',
        ok ? fix(m.maxRssMB && m.maxRssMB.median, 0) : '–',
        ok ? fix(m.bytesPerLine && m.bytesPerLine.median, 0) : '–',
        statusOf(e),
      ];
    });
}

const HEAD = [
  'contender',
  'lines/s median [min–max]',
  '× pino/file',
  'main ns/line',
  '× pino/file',
  'busy ns/line',
  'CPU ms',
  'peak RSS MB',
  'B/line',
  'status',
];

function textTable(head, body) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (r) =>
    r
      .map((c, i) =>
        i === 0 || i === r.length - 1 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]),
      )
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}

function mdTable(head, body) {
  const esc = (c) => String(c).replace(/\|/g, '\\|');
  return (
    [`| ${head.map(esc).join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`]
      .concat(body.map((r) => `| ${r.map(esc).join(' | ')} |`))
      .join('\n') + '\n'
  );
}

const signed = (x) => (x === null || x === undefined ? '–' : `${x >= 0 ? '+' : ''}${fix(x)}`);

function memoryRows(memory) {
  return memory.map((r) => {
    if (!r.ok) return [r.contender, '–', '–', '–', '–', '–', '–', '–', '–', `error: ${r.error}`];
    const samples = (r.rssSamples || []).map((s) => fix(s.rssMB, 0)).join(' → ');
    return [
      r.contender,
      int(r.lines),
      int(r.linesPerSec),
      samples,
      signed(r.rssGrowthMB),
      signed(r.rssGrowthSecondHalfMB),
      signed(r.heapGrowthMB),
      fix(r.rssAfterEndMB, 0),
      fix(r.maxRssMB, 0),
      r.lost === 0 ? 'ok' : `LOST ${int(r.lost)}`,
    ];
  });
}
const MEM_HEAD = [
  'contender',
  'lines',
  'lines/s',
  'RSS MB at each sample',
  'RSS growth MB',
  'second half MB',
  'main heap growth MB',
  'RSS after end MB',
  'peak RSS MB',
  'status',
];

/** Per contender over the stall rounds: worst and median of the per-run maxima. */
function stallSummary(stallRuns) {
  const by = new Map();
  for (const r of stallRuns) {
    if (!by.has(r.contender)) by.set(r.contender, []);
    by.get(r.contender).push(r);
  }
  const out = [];
  for (const [contender, rs] of by) {
    const ok = rs.filter((r) => r.ok);
    const errors = rs.filter((r) => !r.ok);
    const pick = (k) => ok.map((r) => r[k]);
    const worst = (k) => (ok.length ? Math.max(...pick(k)) : null);
    out.push({
      contender,
      runs: rs.length,
      error: errors.length ? errors[0].error : undefined,
      lost: ok.reduce((a, r) => a + Math.abs(r.lost), 0),
      files: median(pick('files')),
      rate: ok.length ? ok[0].rate : undefined,
      seconds: ok.length ? ok[0].seconds : undefined,
      maxGapAtBoundaryMs: { median: median(pick('maxGapAtBoundaryMs')), worst: worst('maxGapAtBoundaryMs') },
      maxCallAtBoundaryMs: {
        median: median(pick('maxCallAtBoundaryMs')),
        worst: worst('maxCallAtBoundaryMs'),
      },
      maxGapAwayMs: { median: median(pick('maxGapAwayMs')), worst: worst('maxGapAwayMs') },
      maxGapMs: { median: median(pick('maxGapMs')), worst: worst('maxGapMs') },
      maxCallMs: { median: median(pick('maxCallMs')), worst: worst('maxCallMs') },
      eventLoopDelayMaxMs: {
        median: median(pick('eventLoopDelayMaxMs')),
        worst: worst('eventLoopDelayMaxMs'),
      },
    });
  }
  return out;
}

function stallRows(stall) {
  const mw = (x) => (x && x.median !== null ? `${fix(x.median, 2)} / ${fix(x.worst, 2)}` : '–');
  return stall.map((s) =>
    s.error && s.files === null
      ? [s.contender, '–', '–', '–', '–', '–', '–', '–', `error: ${s.error}`]
      : [
          s.contender,
          fix(s.files, 0),
          mw(s.maxGapAtBoundaryMs),
          mw(s.maxCallAtBoundaryMs),
          mw(s.maxGapAwayMs),
          mw(s.maxCallMs),
          mw(s.eventLoopDelayMaxMs),
          s.error ? `error in some runs: ${s.error}` : s.lost ? `LOST ${int(s.lost)}` : 'ok',
        ],
  );
}
const STALL_HEAD = [
  'contender',
  'files',
  'gap at boundary ms (med / worst)',
  'call at boundary ms',
  'gap away from boundary ms',
  'call anywhere ms',
  'event-loop delay max ms',
  'status',
];

/** The targets, evaluated on the measured ratios (request scenario unless said otherwise). */
function targets(doc) {
  const out = [];
  const a = doc.aggregated || {};
  const add = (target, measured, pass, note) =>
    out.push({ target, measured, pass: measured === null || measured === undefined ? null : pass, note });
  for (const scenario of Object.keys(a)) {
    const cwf = a[scenario][CWF];
    const base = a[scenario][BASELINE];
    if (!cwf || !base) continue;
    const usable = cwf.status !== 'lost' && cwf.okRuns > 0 && base.okRuns > 0;
    const lps = usable ? cwf.ratio.linesPerSec : null;
    add(
      `${scenario}: ${CWF} lines/s ≥ 1.0× ${BASELINE}`,
      lps,
      lps >= 1.0,
      cwf.status !== 'ok' ? cwf.status : undefined,
    );
    const w = a[scenario][WINSTON];
    if (w && w.okRuns > 0 && usable && w.metrics.linesPerSec) {
      const r = cwf.metrics.linesPerSec.median / w.metrics.linesPerSec.median;
      add(`${scenario}: ${CWF} lines/s ≥ 2× ${WINSTON}`, r, r >= 2);
    }
    const main = usable ? cwf.ratio.mainNsPerLine : null;
    add(`${scenario}: ${CWF} main-thread ns/line ≤ 1.05× ${BASELINE}`, main, main <= 1.05);
    const ours = a[scenario][PROD_OURS];
    const peer = a[scenario][PROD_PEER];
    if (ours && peer) {
      const ok = ours.status !== 'lost' && ours.okRuns > 0 && peer.okRuns > 0;
      const r = ok ? ours.metrics.linesPerSec.median / peer.metrics.linesPerSec.median : null;
      const failed = [ours, peer]
        .filter((e) => e.errorRuns)
        .map((e) => `${e.errorRuns}/${e.runs} runs failed`);
      add(
        `${scenario}: production (ours) lines/s ≥ 1.0× pino-pretty + pino-roll`,
        r,
        r >= 1.0,
        failed.length ? `medians of the ok runs; ${failed.join(', ')}` : undefined,
      );
    }
    const pe = a[scenario]['pino-pretty-extras'];
    const pp = a[scenario]['pino-pretty'];
    if (pe && pp && pe.status === 'ok' && pp.status === 'ok') {
      const r = pe.metrics.linesPerSec.median / pp.metrics.linesPerSec.median;
      out.push({
        target: `${scenario}: pino-pretty-extras vs pino-pretty lines/s (info)`,
        measured: r,
        pass: null,
      });
    }
  }
  const mem = (doc.memory || []).find((r) => r.contender === CWF);
  if (mem) {
    const g = mem.ok ? (mem.rssGrowthSecondHalfMB ?? null) : null;
    const base = (doc.memory || []).find((r) => r.contender === BASELINE && r.ok);
    const note = mem.ok
      ? `first sample → last ${signed(mem.rssGrowthMB)} MB; peak RSS ${fix(mem.maxRssMB, 0)} MB` +
        (base ? ` (pino/file ${fix(base.maxRssMB, 0)} MB)` : '')
      : mem.error;
    add(
      `${CWF} RSS flat over ${int(mem.lines)} lines (growth over the second half ≤ 10 MB)`,
      g,
      g !== null && g <= 10,
      note,
    );
  }
  const st = (doc.stall || []).find((s) => s.contender === CWF);
  if (st && st.files) {
    // Median over rounds of each run's longest gap at a boundary; the worst run and pino/file (which never
    // rotates, so its gaps are the machine's noise floor) are given alongside.
    const floor = (doc.stall || []).find((s) => s.contender === BASELINE);
    const away = st.maxGapAwayMs.median === null ? '–' : fix(st.maxGapAwayMs.median, 2);
    const note =
      `worst run ${fix(st.maxGapAtBoundaryMs.worst, 2)} ms; away from boundaries ${away} ms` +
      (floor ? `; pino/file (no rotation) ${fix(floor.maxGapAtBoundaryMs.median, 2)} ms` : '');
    const v = st.maxGapAtBoundaryMs.median;
    add(`${CWF} no main-thread stall > 5 ms at a rotation (median of per-run longest gap)`, v, v <= 5, note);
  }

  return out;
}

function targetRows(t) {
  return t.map((x) => {
    const verdict = x.pass === null ? (x.note ? 'n/a' : 'info') : x.pass ? 'met' : 'MISSED';
    return [
      x.target,
      x.measured === null || x.measured === undefined ? '–' : fix(x.measured, 2),
      x.note ? `${verdict} (${x.note})` : verdict,
    ];
  });
}

function gitNote(doc) {
  if (!doc.git) return '';
  return `, commit ${doc.git.commit}${doc.git.packagesDirty ? ' + uncommitted package changes' : ''}`;
}

function header(doc) {
  const m = doc.machine;
  return (
    `${doc.startedAt}  ${m.node}  ${m.cpus} × ${m.cpuModel}  ${m.totalMemGB} GB  load ${m.loadavgAtStart.join(' ')}\n` +
    `command: ${doc.command}  (${doc.durationS} s)${gitNote(doc)}\n`
  );
}

function scenarioTitle(doc, scenario) {
  const counts = Object.values(doc.aggregated[scenario])
    .map((e) => e && e.lines)
    .filter(Boolean);
  const most = counts.length ? Math.max(...counts) : undefined;
  const least = counts.length ? Math.min(...counts) : undefined;
  const lines = most === least ? int(most) : `${int(most)} (console contenders ${int(least)})`;
  return `${scenario} — ${doc.config.scenarioDescriptions[scenario]}; ${lines} lines per run, ${doc.config.rounds} rounds`;
}

function memoryTitle(doc) {
  const pace = doc.config.memoryRate
    ? `paced at ${int(doc.config.memoryRate)} lines/s`
    : 'unpaced (as fast as possible)';
  return `request record, ${pace}, RSS sampled every ${int(doc.config.sampleEvery)} lines; growth = last − first sample; second half = last − the sample at half the lines`;
}

function text(doc) {
  let s = '\n' + header(doc);
  for (const scenario of Object.keys(doc.aggregated || {})) {
    s += `\n${scenarioTitle(doc, scenario)}\n` + textTable(HEAD, rows(doc.aggregated[scenario]));
  }
  if (doc.memory && doc.memory.length) {
    s += `\nmemory — ${memoryTitle(doc)}\n`;
    s += textTable(MEM_HEAD, memoryRows(doc.memory));
  }
  if (doc.stall && doc.stall.length) {
    const st = doc.stall[0];
    s += `\nstall — ${int(st.rate)} lines/s for ${st.seconds} s with 1 s rotation periods, ${doc.config.stallRounds} rounds\n`;
    s += textTable(STALL_HEAD, stallRows(doc.stall));
  }
  if (doc.targets && doc.targets.length) {
    s +=
      '\ntargets (ratios within this run)\n' +
      textTable(['target', 'measured', 'result'], targetRows(doc.targets));
  }
  return s;
}

function markdown(doc) {
  let s = `Measured ${doc.startedAt} on ${doc.machine.cpus} × ${doc.machine.cpuModel}, Node ${doc.machine.node}, `;
  s += `load average at start ${doc.machine.loadavgAtStart.join(' ')}; \`${doc.command}\` took ${doc.durationS} s${gitNote(doc)}.\n`;
  for (const scenario of Object.keys(doc.aggregated || {})) {
    s += `\n**${scenarioTitle(doc, scenario)}**\n\n` + mdTable(HEAD, rows(doc.aggregated[scenario]));
  }
  if (doc.memory && doc.memory.length) {
    s += `\n**Memory** — ${memoryTitle(doc)}\n\n`;
    s += mdTable(MEM_HEAD, memoryRows(doc.memory));
  }
  if (doc.stall && doc.stall.length) {
    const st = doc.stall[0];
    s += `\n**Stall** — ${int(st.rate)} lines/s for ${st.seconds} s with 1 s rotation periods, ${doc.config.stallRounds} rounds\n\n`;
    s += mdTable(STALL_HEAD, stallRows(doc.stall));
  }
  if (doc.targets && doc.targets.length) {
    s +=
      '\n**Targets** (ratios within this run)\n\n' +
      mdTable(['target', 'measured', 'result'], targetRows(doc.targets));
  }
  return s;
}

module.exports = { text, markdown, targets, stallSummary };
