/**
 * `destination: 1 | 2`: the CloudWatch lines on standard output or error, for the `awslogs` driver,
 * FireLens and Kubernetes node collectors. Real child processes with the real transport
 * (`pino.transport` on the built package), their stdout read through a pipe as a container runtime
 * reads it.
 */
import { EXPECTED_CORE_KEYS } from 'pino-cloudwatch-test-support';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateOptions } from '../src/options';
import { runNode, tempDir, type ChildResult } from './helpers';

interface Run {
  /** Records logged, numbered `seq`. */
  lines: number;
  /** Where the stdout target writes. */
  destination?: 1 | 2;
  /** Also write the same records to files under this base path (a second target). */
  file?: string;
  /** How the app ends: `end` (flush, end the transport), `exit` (process.exit), `sigterm` (its handler exits). */
  ending: 'end' | 'exit' | 'sigterm';
  /** Padding of each record's `pad` field, in bytes. */
  padBytes?: number;
  cwd?: string;
}

function script(run: Run): string {
  const targets = [
    { target: 'pino-cloudwatch-file', options: { destination: run.destination ?? 1, app: 'cw_demo' } },
    ...(run.file === undefined
      ? []
      : [{ target: 'pino-cloudwatch-file', options: { file: run.file, app: 'cw_demo', retention: false } }]),
  ];
  return `
const pino = require('pino');
${run.cwd === undefined ? '' : `process.chdir(${JSON.stringify(run.cwd)});`}
const transport = pino.transport({ targets: ${JSON.stringify(targets)} });
const logger = pino({ name: 'app' }, transport);
const pad = 'p'.repeat(${run.padBytes ?? 0});
const log = (i) => logger.info({ seq: i, user_id: 123, response_time_ms: 45, ...(pad ? { pad } : {}) }, 'GET /');
const ending = ${JSON.stringify(run.ending)};
transport.once('ready', () => {
  for (let i = 0; i < ${run.lines}; i++) log(i);
  if (ending === 'exit') process.exit(0);
  if (ending === 'sigterm') {
    process.on('SIGTERM', () => process.exit(0));
    process.kill(process.pid, 'SIGTERM');
    return;
  }
  logger.flush(() => transport.end());
});
`;
}

function stdoutLines(result: ChildResult): string[] {
  expect(result.stdout === '' || result.stdout.endsWith('\n')).toBe(true);
  return result.stdout.split('\n').slice(0, -1);
}

function seqs(lines: string[]): number[] {
  return lines.map((line) => (JSON.parse(line) as { seq: number }).seq);
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('destination: 1 — the CloudWatch lines on standard output', () => {
  test('the lines are the very lines the files get for the same records, times included; no file is created', async () => {
    // Prepare: one logger, two targets (stdout and files), run in an empty working folder
    const dir = tempDir();
    const logs = tempDir();
    const file = path.join(logs, 'app.log');

    // Act
    const result = await runNode(script({ lines: 200, file, ending: 'end', cwd: dir }));

    // Assess
    expect(result.code).toBe(0);
    const fromStdout = stdoutLines(result);
    const fromFiles = fs
      .readdirSync(logs)
      .sort()
      .flatMap((name) => fs.readFileSync(path.join(logs, name), 'utf8').split('\n').slice(0, -1));
    expect(fromStdout).toHaveLength(200);
    expect(fromStdout).toEqual(fromFiles);
    expect(JSON.parse(fromStdout[0])).toMatchObject({
      level: 'INFO',
      logger: 'app',
      app: 'cw_demo',
      process: 'main',
      message: 'GET /',
      seq: 0,
      user_id: 123,
    });
    expect(Object.keys(JSON.parse(fromStdout[0]) as object).slice(0, 6)).toEqual([...EXPECTED_CORE_KEYS]);
    expect(fs.readdirSync(dir)).toEqual([]); // nothing beside the app: no file, no .staging
  });

  test('a 400 KB record is cut under the stdout limit (16,383 bytes), still one JSON line, marked truncated', async () => {
    const result = await runNode(script({ lines: 3, ending: 'end', padBytes: 400_000 }));
    expect(result.code).toBe(0);
    const lines = stdoutLines(result);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(16_383);
      expect(Buffer.byteLength(line)).toBeGreaterThan(15_000);
      expect(JSON.parse(line)).toMatchObject({ truncated: true, message: 'GET /' });
    }
    expect(seqs(lines)).toEqual([0, 1, 2]);
  });

  test.each(['exit', 'sigterm'] as const)('nothing is lost when the app ends with %s', async (ending) => {
    const result = await runNode(script({ lines: 5000, ending }));
    expect(result.code).toBe(0);
    expect(seqs(stdoutLines(result))).toEqual(range(5000));
  });

  test('nothing is lost with a slow reader: the pipe fills, the worker waits, every line comes', async () => {
    // Prepare: 20,000 lines of ~1 KB (20 MB) into a pipe of 64 KiB that nobody reads for 1.5 s
    let paused = false;
    const result = await runNode(script({ lines: 20_000, ending: 'exit', padBytes: 900 }), {
      onSpawn: (child) => {
        child.stdout!.pause();
        paused = true;
        setTimeout(() => child.stdout!.resume(), 1500);
      },
    });
    expect(paused).toBe(true);
    expect(result.code).toBe(0);
    expect(seqs(stdoutLines(result))).toEqual(range(20_000));
    expect(result.stderr).toBe('');
  });

  test('a reader that goes away (EPIPE): no crash, no hang, said once on stderr, the app exits normally', async () => {
    const started = Date.now();
    const result = await runNode(script({ lines: 50_000, ending: 'end', padBytes: 200 }), {
      onSpawn: (child) => {
        child.stdout!.once('data', () => child.stdout!.destroy());
      },
    });
    expect(result.code).toBe(0);
    expect(result.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(20_000);
    const reports = result.stderr
      .split('\n')
      .filter((line) => line.includes('cannot write to standard output'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/EPIPE/);
    expect(result.stderr).toMatch(/\d+ line\(s\) were dropped because standard output refused them/);
  });

  test('destination: 2 writes the lines to standard error instead', async () => {
    const result = await runNode(script({ lines: 10, destination: 2, ending: 'end' }));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('{'));
    expect(seqs(lines)).toEqual(range(10));
  });
});

describe('destination: the options', () => {
  const fails = (options: Record<string, unknown>): string => {
    try {
      validateOptions(options);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('accepted');
  };

  test('file or destination, exactly one', () => {
    expect(fails({ app: 'a' })).toMatch(/option "file" is required: .*destination: 1 for standard output/);
    expect(fails({ app: 'a', file: '/tmp/x/app.log', destination: 1 })).toMatch(
      /option "destination" and "file" were both given/,
    );
  });

  test.each([0, 3, '1', 'stdout', true])('destination %p is refused, naming 1 and 2', (value) => {
    expect(fails({ app: 'a', destination: value })).toMatch(
      /option "destination" must be 1 \(standard output\) or 2 \(standard error\)/,
    );
  });

  test.each([
    ['frequency', 'daily'],
    ['retention', false],
    ['mode', 0o600],
    ['allowShortFrequency', true],
    ['maxBufferedBytes', 1024],
  ])('the file option %s is refused with destination', (key, value) => {
    expect(fails({ app: 'a', destination: 1, [key]: value })).toMatch(
      new RegExp(`option "${key}" applies to files only`),
    );
  });

  test('the default line limit is 16,383 bytes for a stream and 262,118 for files; both can be set', () => {
    expect(validateOptions({ app: 'a', destination: 1 }).maxEventBytes).toBe(16_383);
    expect(validateOptions({ app: 'a', file: '/tmp/x/app.log' }).maxEventBytes).toBe(262_118);
    expect(validateOptions({ app: 'a', destination: 1, maxEventBytes: 262_117 }).maxEventBytes).toBe(262_117);
  });
});
