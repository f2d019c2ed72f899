'use strict';
// The input of the logs-insights benchmarks (bench/insights.js, bench/insights-serve.js): hourly files
// app.log.2025-12-13_HH in the CONTRACT §1 shape, the mix of lines the demo writes per request
// (incoming request, the route's line, request completed; some WARN, ERROR with a stack, 4xx), from a
// seeded generator, so every machine reads the same bytes.

const fs = require('node:fs');
const path = require('node:path');

/** Park–Miller: the same input on every machine. */
function random(seed) {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

/**
 * Writes `mb` MiB of our lines into `dir` as hourly files of `fileMb` MiB, once: a `.complete` marker
 * keeps them for the next run.
 */
function generateInput(DIR, MB, FILE_MB) {
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

module.exports = { generateInput };
