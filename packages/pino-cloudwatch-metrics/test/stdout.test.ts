/**
 * `destination: logger`: the EMF lines on standard output beside the application's own CloudWatch lines,
 * both through the logger's pino-cloudwatch-file transport (`destination: 1`), as the `awslogs` driver
 * or FireLens reads a container's output: a real child process, its stdout a pipe, read slowly so that
 * the pipe fills. (Two writers on that pipe — the metrics writing there themselves — put one's bytes
 * inside the other's lines: that is why the metrics go through the logger.)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkEmf, type EmfDocument } from 'pino-cloudwatch-metrics/internal';

const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The app logs 6,000 lines of ~1.5 and ~6 KB while its metrics write 2,000 EMF lines, all on stdout. */
const SCRIPT = `
const pino = require('pino');
const { createMetrics } = require('pino-cloudwatch-metrics');
const transport = pino.transport({ target: 'pino-cloudwatch-file', options: { destination: 1, app: 'cw_demo' } });
const logger = pino({ name: 'app' }, transport);
const metrics = createMetrics({ namespace: 'cw_demo', destination: logger, autoFlush: false });
const requests = metrics.counter('Requests', { dimensions: ['Route'] });
// Lines of ~1.5 KB and ~6 KB: over PIPE_BUF too
const pads = ['p'.repeat(1500), 'q'.repeat(6000)];
transport.once('ready', async () => {
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 300; i++) logger.info({ seq: round * 300 + i, pad: pads[i % 2] }, 'GET /');
    for (let r = 0; r < 100; r++) requests.add(1, { Route: 'GET /r' + round + '-' + r });
    metrics.flush();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await metrics.close();
  logger.flush(() => transport.end());
});
`;

test('metrics and logs share stdout: every line whole, every EMF line valid, every log line there', async () => {
  // Act: the child runs; its stdout is not read for the first second
  // A file inside the repository, so that pino resolves the transport's target as an app would.
  const cache = path.join(REPO_ROOT, 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const scripts = fs.mkdtempSync(path.join(cache, 'cwm-stdout-'));
  const file = path.join(scripts, 'app.js');
  fs.writeFileSync(file, SCRIPT);
  const child = spawn(process.execPath, [file], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdout.pause();
  setTimeout(() => child.stdout.resume(), 1000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  fs.rmSync(scripts, { recursive: true, force: true });

  // Assess
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const lines = stdout.split('\n').slice(0, -1);
  const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const logs = records.filter((record) => record.logger === 'app');
  const emf = records.filter((record) => record.logger === 'metrics');
  expect(logs.map((record) => record.seq)).toEqual(Array.from({ length: 6000 }, (_, i) => i));
  expect(emf.length).toBeGreaterThanOrEqual(20);
  for (const line of lines.filter((_, i) => records[i].logger === 'metrics')) {
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(16_383);
    expect(checkEmf(JSON.parse(line) as EmfDocument)).toEqual([]);
  }
  const routes = new Set(emf.map((record) => record.Route));
  expect(routes.size).toBe(2000);
}, 60_000);
