import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';

// These tests start real pino transports: the worker loads the built package (dist) through the
// workspace link, so build first (`npx tsc -b packages/pino-pretty-extras`; `npm test` does).
const DIST = join(__dirname, '..', 'dist', 'index.js');

describe('pino-pretty-extras as a pino transport target', () => {
  let dir: string;

  beforeAll(() => {
    if (!existsSync(DIST)) throw new Error(`build the package first: ${DIST} is missing`);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ppe-transport-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Ends the transport and waits for its worker to close. */
  async function close(transport: ReturnType<typeof pino.transport>): Promise<void> {
    const closed = once(transport, 'close');
    transport.end();
    await closed;
  }

  it("prints the logger's custom levels, messageKey and errorKey from pino's config", async () => {
    // Prepare
    const file = join(dir, 'console.log');
    const transport = pino.transport({
      target: 'pino-pretty-extras',
      options: { destination: file, timeZone: 'UTC', levelLabels: 'python' },
    });
    const logger = pino(
      { name: 'app', customLevels: { notice: 35 }, messageKey: 'message', errorKey: 'failure' },
      transport,
    );

    // Act
    (logger as unknown as { notice: (obj: object, msg: string) => void }).notice(
      { user_id: 123 },
      'custom level',
    );
    logger.warn('careful');
    logger.error({ failure: new Error('bad') }, 'failed');
    await close(transport);

    // Assess
    const lines = readFileSync(file, 'utf8')
      .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /gm, '')
      .split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '[NOTICE] app - custom level | user_id=123',
      '[WARNING] app - careful',
      '[ERROR] app - failed | failure.type=Error failure.message=bad',
    ]);
    expect(lines[3]).toBe('    Error: bad');
    expect(lines[4]).toMatch(/^ {8}at /);
  });

  it('works among several targets, next to a JSON file target', async () => {
    // Prepare
    const consoleFile = join(dir, 'console.log');
    const jsonFile = join(dir, 'app.json');
    const transport = pino.transport({
      targets: [
        { target: 'pino-pretty-extras', options: { destination: consoleFile, timeZone: 'UTC' } },
        { target: 'pino/file', options: { destination: jsonFile } },
      ],
    });
    const logger = pino({ name: 'app' }, transport);

    // Act
    logger.info({ user_id: 123, response_time_ms: 45 }, 'GET /');
    await close(transport);

    // Assess
    const time = (JSON.parse(readFileSync(jsonFile, 'utf8')) as { time: number }).time;
    const expectedTime = new Date(time).toISOString().slice(0, 19).replace('T', ' ');
    expect(readFileSync(consoleFile, 'utf8')).toBe(
      `${expectedTime} [INFO] app - GET / | user_id=123 response_time_ms=45\n`,
    );
  });

  it('does not hang when the caller awaits ready before creating the logger', async () => {
    // Prepare
    const file = join(dir, 'console.log');
    const transport = pino.transport({ target: 'pino-pretty-extras', options: { destination: file } });

    // Act
    await once(transport, 'ready');
    const logger = pino({ customLevels: { notice: 35 } }, transport);
    (logger as unknown as { notice: (msg: string) => void }).notice('after ready');
    await close(transport);

    // Assess
    expect(readFileSync(file, 'utf8')).toMatch(/^\S+ \S+ \[NOTICE\] after ready\n$/);
  });

  it("holds lines written without pino's config for the toolkit's one wait (200 ms), not longer", async () => {
    // Prepare: a transport nobody calls pino() on, so pino's config never comes.
    const file = join(dir, 'console.log');
    const transport = pino.transport({
      target: 'pino-pretty-extras',
      options: { destination: file, sync: true },
    });
    await once(transport, 'ready');

    // Act
    const start = Date.now();
    transport.write(`${JSON.stringify({ level: 30, time: start, msg: 'no pino here' })}\n`);
    let waited = 0;
    while (!(existsSync(file) && readFileSync(file, 'utf8').includes('no pino here')) && waited < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      waited = Date.now() - start;
    }
    await close(transport);

    // Assess: held (not written at once), then released after about PINO_CONFIG_WAIT_MS.
    expect(readFileSync(file, 'utf8')).toMatch(/\[INFO\] no pino here\n$/);
    expect(waited).toBeGreaterThanOrEqual(150);
    expect(waited).toBeLessThan(800);
  });

  it("without pino's config, falls back to the custom levels pino put in the worker's data, and says so", () => {
    // Prepare: a targets transport given the levels as pino() would give them, written to without pino().
    const file = join(dir, 'console.log');
    const script = `
      const { once } = require('node:events');
      const pino = require('pino');
      (async () => {
        const t = pino.transport({
          targets: [{ target: ${JSON.stringify(DIST)}, options: { destination: ${JSON.stringify(file)}, sync: true } }],
          levels: { notice: 35 },
        });
        await once(t, 'ready');
        t.write(JSON.stringify({ level: 35, time: Date.now(), msg: 'held' }) + '\\n');
        await new Promise((resolve) => setTimeout(resolve, 500));
        t.end();
      })();
    `;

    // Act
    const result = spawnSync(process.execPath, ['-e', script], {
      cwd: join(__dirname, '..'),
      encoding: 'utf8',
    });

    // Assess
    expect(result.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/\[NOTICE\] held\n$/);
    expect(result.stderr).toContain(
      "pino-pretty-extras: pino's config (the logger's levels, messageKey and errorKey) has not reached this target 200 ms",
    );
    expect(result.stderr).toContain("pino's default levels and notice from the worker data");
  });
});
