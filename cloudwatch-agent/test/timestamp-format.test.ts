import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { agentEventTime, timestampLayout, timestampRegex } from './agent-timestamp';
import { collectList, globToRegex, renderConfig, REPO_ROOT, tempDir } from './helpers';

/** The reference line of CONTRACT §1, as pino-cloudwatch-file writes it. */
const CONTRACT_LINE =
  '{"@timestamp":"2025-12-13T12:30:45.123Z","level":"INFO","logger":"app","app":"cw_demo","process":"cw_demo","message":"GET /","user_id":123,"response_time_ms":45}';

const [RENDERED] = collectList(renderConfig());
const { timestamp_format: FORMAT, timezone: TIMEZONE } = RENDERED;

describe('timestamp_format as the agent applies it', () => {
  it('builds the regex and layout the agent builds for our format', () => {
    expect(FORMAT).toBe('%Y-%m-%dT%H:%M:%S.%fZ');
    expect(TIMEZONE).toBe('UTC');
    expect(timestampRegex(FORMAT)).toBe(
      '(\\d{4}-\\s{0,1}\\d{1,2}-\\s{0,1}\\d{1,2}T\\d{2}:\\d{2}:\\d{2}\\.(\\d{1,9})Z)',
    );
    expect(timestampLayout(FORMAT)).toBe('2006-01-_2T15:04:05..000Z');
  });

  it("gives the CONTRACT's reference line its own @timestamp, to the millisecond", () => {
    expect(agentEventTime(CONTRACT_LINE, FORMAT, TIMEZONE)?.toISOString()).toBe('2025-12-13T12:30:45.123Z');
  });

  it('takes @timestamp even when the message holds another time (first match wins)', () => {
    const line = CONTRACT_LINE.replace('"GET /"', '"retry scheduled for 2031-01-02T03:04:05.678Z"');
    expect(agentEventTime(line, FORMAT, TIMEZONE)?.toISOString()).toBe('2025-12-13T12:30:45.123Z');
  });

  it('would not match a local-time @timestamp with an offset (the format expects Z)', () => {
    const line = CONTRACT_LINE.replace('2025-12-13T12:30:45.123Z', '2025-12-13T13:30:45.123+01:00');
    expect(agentEventTime(line, FORMAT, TIMEZONE)).toBeUndefined();
  });

  it('needs timezone "UTC": with the default (Local) the agent reads the text as its own local time', () => {
    // The literal Z in the format is not an offset token: only `timezone` makes the text UTC.
    expect(agentEventTime(CONTRACT_LINE, FORMAT, 'Local')?.getTime()).toBe(
      new Date(2025, 11, 13, 12, 30, 45, 123).getTime(),
    );
  });
});

/**
 * Real lines from the real transport (built package), through a pino worker transport.
 * Runs once `npm run build` has produced a working pino-cloudwatch-file; in CI (`npm test`
 * builds first) it always runs, so a transport that stops matching fails there.
 */
function transportIsBuilt(): boolean {
  const entry = path.join(REPO_ROOT, 'packages/pino-cloudwatch-file/dist/index.js');
  if (!existsSync(entry)) return false;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(entry) as { default?: unknown };
    return typeof loaded === 'function' || typeof loaded.default === 'function';
  } catch {
    return false;
  }
}

const itWithTransport = transportIsBuilt() || process.env.CI ? it : it.skip;
if (!transportIsBuilt() && !process.env.CI) {
  console.warn('pino-cloudwatch-file is not built yet (npm run build): skipping the real-transport check.');
}

describe('timestamp_format against lines written by pino-cloudwatch-file', () => {
  itWithTransport('gives every real line its own record time, and the files match file_path', async () => {
    // Arrange
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pino = require('pino') as typeof import('pino');
    const { dir, cleanup } = tempDir('transport');
    try {
      const transport = pino.transport({
        target: 'pino-cloudwatch-file',
        options: { file: path.join(dir, 'app.log'), app: 'cw_demo' },
      });
      const logger = pino({ name: 'app' }, transport);
      const before = Date.now();

      // Act
      logger.info({ user_id: 123, response_time_ms: 45 }, 'GET /');
      logger.warn({ retry_at: '2031-01-02T03:04:05.678Z' }, 'retry scheduled for 2031-01-02T03:04:05.678Z');
      logger.error(new Error('boom'), 'request failed');
      await new Promise<void>((resolve) => {
        transport.on('close', () => resolve());
        transport.end();
      });
      const after = Date.now();

      // Assess
      const files = readdirSync(dir).filter((name) => name !== 'app.log');
      expect(files.length).toBeGreaterThan(0);
      const filePath = globToRegex(RENDERED.file_path.replace(/^\/logs\//, `${dir}/`));
      for (const name of files) expect(path.join(dir, name)).toMatch(filePath);

      const lines = files.flatMap((name) =>
        readFileSync(path.join(dir, name), 'utf8').split('\n').filter(Boolean),
      );
      expect(lines).toHaveLength(3);
      for (const line of lines) {
        const record = JSON.parse(line) as { '@timestamp': string };
        const eventTime = agentEventTime(line, FORMAT, TIMEZONE);
        expect(eventTime?.toISOString()).toBe(record['@timestamp']);
        expect(eventTime!.getTime()).toBeGreaterThanOrEqual(before - 1);
        expect(eventTime!.getTime()).toBeLessThanOrEqual(after + 1);
      }
    } finally {
      cleanup();
    }
  });
});
