/**
 * The assumptions about pino's private input to a transport worker that the toolkit leans on
 * (pino-cloudwatch-core's pino-config.ts): checked against the installed pino, so an upgrade that
 * changes them fails here rather than mislabelling lines in production.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { HOST_LEVELS_PINO_VERSIONS } from '../src/pino-config';

const created: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

const PROBE = path.join(__dirname, 'fixtures', 'worker-data-probe.js');
const PINO_CONFIG_JS = path.join(__dirname, '..', 'dist', 'pino-config.js');

it(`the installed pino is one of ${HOST_LEVELS_PINO_VERSIONS}, the versions the worker-data fallback was checked with`, () => {
  const { version } = JSON.parse(fs.readFileSync(require.resolve('pino/package.json'), 'utf8')) as {
    version: string;
  };
  const [major, minor] = version.split('.').map(Number);
  // Widen HOST_LEVELS_PINO_VERSIONS only after the test below passes with the new pino.
  expect(major > 7 || (major === 7 && minor >= 10)).toBe(true);
  expect(major).toBeLessThan(11);
});

it("pino({ customLevels, transport: { targets } }) puts the custom levels and pinoWillSendConfig in the worker's data", async () => {
  // Prepare
  const dir = tempDir('cwf-probe-');
  const out = path.join(dir, 'worker-data.json');
  const logger = pino({
    customLevels: { notice: 35, audit: 45 },
    transport: { targets: [{ target: PROBE, options: { out } }] },
  });

  // Act
  const transport = (logger as unknown as Record<symbol, NodeJS.EventEmitter & { end(): void }>)[
    pino.symbols.streamSym
  ];
  await once(transport, 'ready');
  const closed = once(transport, 'close');
  transport.end();
  await closed;

  // Assess
  const data = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>;
  expect(data).toMatchObject({ levels: { notice: 35, audit: 45 }, pinoWillSendConfig: true, targetCount: 1 });
});

describe('hostLevels in a worker', () => {
  async function inWorker(
    hostData: Record<string, unknown>,
  ): Promise<{ levels: unknown; reports: string[] }> {
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       const { hostLevels } = require(${JSON.stringify(PINO_CONFIG_JS)});
       const reports = [];
       const levels = hostLevels((text) => reports.push(text));
       parentPort.postMessage({ levels, reports });`,
      { eval: true, workerData: { workerData: hostData } },
    );
    const [result] = (await once(worker, 'message')) as [{ levels: unknown; reports: string[] }];
    await worker.terminate();
    return result;
  }

  it('reads the level map pino put there', async () => {
    expect(await inWorker({ levels: { notice: 35 }, pinoWillSendConfig: true })).toEqual({
      levels: { notice: 35 },
      reports: [],
    });
  });

  it('is undefined when there is none (no custom levels, or a transport built by hand)', async () => {
    expect(await inWorker({ pinoWillSendConfig: true })).toEqual({ levels: undefined, reports: [] });
  });

  it('reports a value of another shape, loudly, and ignores it', async () => {
    const { levels, reports } = await inWorker({
      levels: { values: { notice: 35 } },
      pinoWillSendConfig: true,
    });
    expect(levels).toBeUndefined();
    expect(reports).toEqual([
      expect.stringContaining(`the worker data's "levels" is not a map of level numbers`),
    ]);
  });
});
