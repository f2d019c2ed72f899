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

/** Park–Miller: the same input on every machine. */
function random(seed) {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

function generate() {
  const done = path.join(DIR, '.complete');
  if (fs.existsSync(done)) return;
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
  const next = random(42);
  const stack =
    'Error: payment lookup failed\n    at handler (/src/dist/app.js:57:11)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)';
  let time = Date.UTC(2025, 11, 13, 0, 0, 0);
  let request = 0;
  let total = 0;
  let hour = -1;
  let fd;
  let written = 0;
  const parts = [];
  const flush = () => {
    fs.writeSync(fd, parts.join(''));
    parts.length = 0;
  };
  while (total < MB * 1024 * 1024) {
    const fileHour = Math.floor(total / (FILE_MB * 1024 * 1024));
    if (fileHour !== hour) {
      if (fd !== undefined) {
        flush();
        fs.closeSync(fd);
      }
      hour = fileHour;
      fd = fs.openSync(path.join(DIR, `app.log.2025-12-13_${String(hour).padStart(2, '0')}`), 'w');
      time = Date.UTC(2025, 11, 13, hour, 0, 0);
    }
    request++;
    time += Math.floor(next() * 40);
    const at = () => new Date(time++).toISOString();
    const base = (level, message) =>
      `{"@timestamp":"${at()}","level":"${level}","logger":"app","app":"cw_demo","process":"main","message":"${message}","reqId":"req-${request}"`;
    const roll = next();
    const user = Math.floor(next() * 1000);
    const ms = Math.round(next() * next() * 2000 * 1000) / 1000;
    const route =
      roll < 0.6
        ? '/'
        : roll < 0.8
          ? '/warn'
          : roll < 0.95
            ? '/slow'
            : roll < 0.98
              ? '/error'
              : '/?user_id=abc';
    const lines = [
      `${base('INFO', 'incoming request')},"req":{"method":"GET","url":"${route}","host":"127.0.0.1:5000","remoteAddress":"127.0.0.1","remotePort":${40000 + (request % 20000)}}}`,
    ];
    let status = 200;
    if (route === '/') lines.push(`${base('INFO', 'GET /')},"user_id":${user},"response_time_ms":${ms}}`);
    else if (route === '/warn')
      lines.push(
        `${base('WARN', 'quota almost used')},"user_id":${user},"quota_used_pct":93,"quota_limit":1000}`,
      );
    else if (route === '/slow')
      lines.push(`${base('INFO', 'slow work done')},"waited_ms":200,"response_time_ms":${ms + 200}}`);
    else if (route === '/error') {
      status = 500;
      lines.push(
        `${base('ERROR', 'payment lookup failed')},"res":{"statusCode":500},"error":{"type":"Error","message":"payment lookup failed","stack":${JSON.stringify(stack)},"code":"DEMO_PAYMENT_LOOKUP"}}`,
      );
    } else {
      status = 400;
      lines.push(
        `${base('WARN', 'querystring/user_id must be integer')},"res":{"statusCode":400},"error_code":"FST_ERR_VALIDATION"}`,
      );
    }
    lines.push(`${base('INFO', 'request completed')},"res":{"statusCode":${status}},"responseTime":${ms}}`);
    const text = lines.join('\n') + '\n';
    parts.push(text);
    written += text.length;
    total += text.length;
    if (written > 4 * 1024 * 1024) {
      flush();
      written = 0;
    }
  }
  flush();
  fs.closeSync(fd);
  fs.writeFileSync(done, '');
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
