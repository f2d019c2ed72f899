'use strict';
// Aggregation of per-run results into medians, ranges and ratios to the baseline.

function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function summary(values) {
  const v = values.filter((x) => Number.isFinite(x));
  if (!v.length) return null;
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

const METRICS = [
  'linesPerSec',
  'mainNsPerLine',
  'mainBusyNsPerLine',
  'cpuMs',
  'maxRssMB',
  'bytesPerLine',
  'drainMs',
];

/**
 * runs: [{ round, scenario, contender, ok, error?, lost?, ...metrics }]
 * Returns per scenario, per contender: status ('ok' | 'lost' | 'error'), metric summaries, and ratios to the baseline.
 * A ratio is the median of per-round ratios (contender / baseline in the same round), so slow drifts of a noisy
 * machine hit both sides of each ratio; `ratioOfMedians` is given too.
 */
function aggregate(runs, scenarios, contenders, baseline) {
  const out = {};
  for (const scenario of scenarios) {
    out[scenario] = {};
    const baseRuns = new Map(
      runs
        .filter((r) => r.scenario === scenario && r.contender === baseline && r.ok)
        .map((r) => [r.round, r]),
    );
    for (const name of contenders) {
      const mine = runs.filter((r) => r.scenario === scenario && r.contender === name);
      if (!mine.length) continue;
      const ok = mine.filter((r) => r.ok);
      const errors = mine.filter((r) => !r.ok).map((r) => r.error);
      const lossy = ok.filter((r) => r.lost !== 0);
      const entry = {
        runs: mine.length,
        okRuns: ok.length,
        // 'lost' beats 'error': a contender that loses lines is marked whatever else happened.
        status: lossy.length ? 'lost' : errors.length ? 'error' : 'ok',
        errorRuns: errors.length,
        error: errors[0],
        lost: lossy.length ? Math.max(...lossy.map((r) => Math.abs(r.lost))) : 0,
        lostRuns: lossy.length,
        lines: ok.length ? ok[0].lines : undefined,
        metrics: {},
        ratio: {},
        ratioOfMedians: {},
        sample: (ok.find((r) => r.sample) || {}).sample,
      };
      for (const m of METRICS) {
        entry.metrics[m] = summary(ok.map((r) => r[m]));
        const paired = ok
          .filter((r) => baseRuns.has(r.round) && Number.isFinite(r[m]) && baseRuns.get(r.round)[m] > 0)
          .map((r) => r[m] / baseRuns.get(r.round)[m]);
        entry.ratio[m] = median(paired);
        const baseMedian = median([...baseRuns.values()].map((r) => r[m]));
        entry.ratioOfMedians[m] =
          entry.metrics[m] && baseMedian ? entry.metrics[m].median / baseMedian : null;
      }
      out[scenario][name] = entry;
    }
  }
  return out;
}

module.exports = { median, summary, aggregate, METRICS };
