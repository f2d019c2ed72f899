'use strict';
// `logs-insights serve` over a large input, through its HTTP API as the page calls it: the time to the
// first answer line, to the first progress line, to the rows, and the server's peak RSS.
//
//   node bench/insights-serve.js                 (run `npx tsc -b` first; 256 MiB of lines)
//   node bench/insights-serve.js --size 1024     1 GiB (the figures in docs/benchmarks.md)
//
// The input is bench/insights.js's (bench/lib/insights-input.js), generated once into
// $TMPDIR/logs-insights-bench-<MB>mb and reused (INSIGHTS_BENCH_DIR to put it elsewhere). The server runs
// as its own process (`logs-insights serve --port 0`) on 127.0.0.1; each query is one GET of
// /api/query, read line by line as the page reads it; the server's peak RSS is its VmHWM.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const { URLSearchParams } = require('node:url');
const os = require('node:os');
const path = require('node:path');
const { generateInput } = require('./lib/insights-input');

const sizeArg = process.argv.indexOf('--size');
const MB = sizeArg === -1 ? 256 : Number(process.argv[sizeArg + 1]);
if (!Number.isInteger(MB) || MB <= 0)
  throw new Error('--size takes a whole number of MiB (e.g. --size 1024)');
const DIR = process.env.INSIGHTS_BENCH_DIR || path.join(os.tmpdir(), `logs-insights-bench-${MB}mb`);
const BIN = path.join(__dirname, '..', 'packages', 'logs-insights-local', 'bin', 'cli.js');

const QUERIES = [
  'fields @timestamp, @message | sort @timestamp desc | limit 20',
  'stats count(*) by level',
  'filter level = "ERROR" | fields @timestamp, message | limit 20',
];

/** Starts the server; resolves with its process and address once it prints it. */
function startServer() {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', path.join(DIR, 'app.log.*')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it listened`)));
  });
}

/** One query as the page sends it; the times (ms from the request) of its first line, first progress, result. */
function timeQuery(url, query) {
  const started = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve, reject) => {
    http
      .get(`${url}api/query?${new URLSearchParams({ query })}`, (res) => {
        const times = { firstLine: undefined, firstProgress: undefined, rows: undefined, progressLines: 0 };
        let buffer = '';
        let result;
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          buffer += chunk;
          let newline = buffer.indexOf('\n');
          while (newline !== -1) {
            const message = JSON.parse(buffer.slice(0, newline));
            buffer = buffer.slice(newline + 1);
            newline = buffer.indexOf('\n');
            times.firstLine ??= ms();
            if (message.type === 'progress') {
              times.firstProgress ??= ms();
              times.progressLines++;
            } else if (message.type === 'result') {
              times.rows = ms();
              result = message;
            } else if (message.type === 'error') reject(new Error(message.text));
          }
        });
        res.on('end', () => resolve({ ...times, result }));
      })
      .on('error', reject);
  });
}

/** A process's peak and current resident memory (Linux /proc), MiB. */
function memoryOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)[1]);
  return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

async function main() {
  if (!fs.existsSync(path.join(__dirname, '..', 'packages', 'logs-insights-local', 'dist', 'serve.js')))
    throw new Error('packages/logs-insights-local/dist is missing: run `npx tsc -b` first');
  const t0 = Date.now();
  generateInput(DIR, MB, 128);
  const files = fs.readdirSync(DIR).filter((name) => name.startsWith('app.log.'));
  const bytes = files.reduce((sum, name) => sum + fs.statSync(path.join(DIR, name)).size, 0);
  console.log(
    `input: ${files.length} files, ${(bytes / 2 ** 20).toFixed(0)} MiB in ${DIR} (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  console.log(
    `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0].model}, load ${os.loadavg()[0].toFixed(1)}\n`,
  );
  const { child, url } = await startServer();
  try {
    const idle = memoryOf(child.pid);
    console.log(`server ${url}: ${idle.now.toFixed(0)} MiB resident when idle\n`);
    const rows = [];
    for (const query of QUERIES) {
      const times = await timeQuery(url, query);
      const memory = memoryOf(child.pid);
      const answer = times.result.rows
        .slice(0, 3)
        .map((row) => Object.values(row).join(' '))
        .join('; ');
      rows.push([
        query,
        `${(times.firstLine / 1000).toFixed(3)} s`,
        `${(times.firstProgress / 1000).toFixed(3)} s`,
        `${(times.rows / 1000).toFixed(1)} s`,
        `${(bytes / 2 ** 20 / (times.rows / 1000)).toFixed(0)} MiB/s`,
        String(times.progressLines),
        `${memory.peak.toFixed(0)} MiB`,
        `${memory.now.toFixed(0)} MiB`,
        answer.length > 50 ? `${answer.slice(0, 47)}...` : answer,
      ]);
    }
    const headers = [
      'query',
      'first line',
      'first progress',
      'rows',
      'read at',
      'progress lines',
      'server peak RSS so far',
      'RSS after',
      'first rows',
    ];
    const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
    const line = (values) => `| ${values.map((value, i) => value.padEnd(widths[i])).join(' | ')} |`;
    console.log(line(headers));
    console.log(line(widths.map((width) => '-'.repeat(width))));
    for (const row of rows) console.log(line(row));
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
