'use strict';
// logs-insights vs jq on the same filter + count, side by side, one run each, on ≥ 1 GB of our lines.
//
//   node bench/insights.js                 (run `npx tsc -b` first; jq from Debian: apt-get install -y jq)
//
//   INSIGHTS_BENCH_MB=100 node bench/insights.js   a smaller input for a quick run (default 1024)
//   INSIGHTS_BENCH_DIR=/path                       where the input lives (default $TMPDIR/logs-insights-bench-<MB>mb)
//
// The input is generated once — hourly files app.log.2025-12-13_HH in the CONTRACT §1 shape, the mix of
// lines the demo writes per request (incoming request, the route's line, request completed; some WARN,
// ERROR with a stack, 4xx) from a seeded generator — and reused when present. Each query then runs as
// `logs-insights` and as the equivalent jq program, each in its own process, and the answers must agree.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const MB = Number(process.env.INSIGHTS_BENCH_MB || 1024);
const DIR = process.env.INSIGHTS_BENCH_DIR || path.join(os.tmpdir(), `logs-insights-bench-${MB}mb`);
const BIN = path.join(__dirname, '..', 'packages', 'logs-insights-local', 'bin', 'cli.js');
const RSS = path.join(__dirname, 'insights-rss.js');
const FILE_MB = 128;

const { generateInput } = require('./lib/insights-input');

function generate() {
  generateInput(DIR, MB, FILE_MB);
}

const QUERIES = [
  {
    name: 'filter + count',
    insights: 'filter level = "ERROR" | stats count(*) as n',
    jq: 'reduce (inputs | select(.level == "ERROR")) as $e (0; . + 1)',
    answer: (insights, jq) => [JSON.parse(insights)[0].n, jq.trim()],
  },
  {
    name: 'count by status',
    insights:
      'filter message = "request completed" | stats count(*) as n by res.statusCode as status | sort status',
    jq: 'reduce (inputs | select(.message == "request completed") | .res.statusCode | tostring) as $s ({}; .[$s] += 1) | to_entries | sort_by(.key | tonumber) | map("\\(.key)=\\(.value)") | join(" ")',
    answer: (insights, jq) => [
      JSON.parse(insights)
        .map((row) => `${row.status}=${row.n}`)
        .join(' '),
      jq.trim(),
    ],
  },
  {
    name: 'count by level (every line parsed)',
    insights: 'stats count(*) as n by level | sort level',
    jq: 'reduce (inputs | .level) as $l ({}; .[$l] += 1) | to_entries | sort_by(.key) | map("\\(.key)=\\(.value)") | join(" ")',
    answer: (insights, jq) => [
      JSON.parse(insights)
        .map((row) => `${row.level}=${row.n}`)
        .join(' '),
      jq.trim(),
    ],
  },
  {
    name: 'p95 by route (parse)',
    insights:
      'filter ispresent(response_time_ms) | parse message /^(?<method>[A-Z]+) (?<route>\\S+)/ | stats pct(response_time_ms, 95) as p95 by route | sort route',
    jq: null,
    answer: (insights) => [JSON.stringify(JSON.parse(insights)), null],
  },
];

function timed(command, args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  const rss = /BENCH_MAX_RSS_KB (\d+)/.exec(result.stderr);
  return { seconds, stdout: result.stdout, maxRssMiB: rss ? Number(rss[1]) / 1024 : undefined };
}

function main() {
  if (!fs.existsSync(path.join(__dirname, '..', 'packages', 'logs-insights-local', 'dist', 'cli.js'))) {
    throw new Error('packages/logs-insights-local/dist is missing: run `npx tsc -b` first');
  }
  const hasJq = spawnSync('jq', ['--version'], { encoding: 'utf8' }).status === 0;
  const t0 = Date.now();
  generate();
  const files = fs
    .readdirSync(DIR)
    .filter((name) => name.startsWith('app.log.'))
    .sort()
    .map((name) => path.join(DIR, name));
  const bytes = files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
  const lines = Number(
    spawnSync('sh', ['-c', `cat ${files.map((f) => `'${f}'`).join(' ')} | wc -l`], {
      encoding: 'utf8',
    }).stdout.trim(),
  );
  console.log(
    `input: ${files.length} files, ${(bytes / 1e9).toFixed(2)} GB (${(bytes / 2 ** 20).toFixed(0)} MiB), ${lines} lines, in ${DIR} (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  console.log(
    `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0].model}${hasJq ? `, ${spawnSync('jq', ['--version'], { encoding: 'utf8' }).stdout.trim()}` : ', no jq'}\n`,
  );

  const rows = [];
  for (const query of QUERIES) {
    const ours = timed(process.execPath, ['-r', RSS, BIN, query.insights, ...files, '--format', 'json']);
    const theirs = hasJq && query.jq ? timed('jq', ['-n', '-r', query.jq, ...files]) : undefined;
    const [a, b] = query.answer(ours.stdout, theirs?.stdout ?? '');
    if (theirs && a !== b) throw new Error(`${query.name}: logs-insights says ${a}, jq says ${b}`);
    rows.push({
      query: query.name,
      insights: `${ours.seconds.toFixed(1)} s (${(bytes / 2 ** 20 / ours.seconds).toFixed(0)} MiB/s)`,
      jq: theirs
        ? `${theirs.seconds.toFixed(1)} s (${(bytes / 2 ** 20 / theirs.seconds).toFixed(0)} MiB/s)`
        : '—',
      ratio: theirs ? `${(theirs.seconds / ours.seconds).toFixed(1)}×` : '—',
      rss: `${ours.maxRssMiB?.toFixed(0) ?? '?'} MiB`,
      answer: a.length > 60 ? `${a.slice(0, 57)}...` : a,
    });
  }
  const columns = ['query', 'insights', 'jq', 'ratio', 'rss', 'answer'];
  const headers = ['query', 'logs-insights', 'jq', 'jq / ours', 'our peak RSS', 'answer (both agree)'];
  const widths = columns.map((column, i) =>
    Math.max(headers[i].length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (values) => `| ${values.map((value, i) => String(value).padEnd(widths[i])).join(' | ')} |`;
  console.log(line(headers));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(columns.map((column) => row[column])));
}

main();
