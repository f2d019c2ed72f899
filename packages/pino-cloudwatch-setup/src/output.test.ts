import type { TransportMultiOptions, TransportTargetOptions } from 'pino';
import { loggingOptions } from './logging-options';

/** The transport targets `loggingOptions` builds for a config. */
function targets(config: Parameters<typeof loggingOptions>[0]): TransportTargetOptions[] {
  return (loggingOptions(config).transport as TransportMultiOptions).targets as TransportTargetOptions[];
}

const failure = (config: unknown): string => {
  try {
    loggingOptions(config as Parameters<typeof loggingOptions>[0]);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe("output: 'stdout' (the awslogs driver, FireLens, node collectors)", () => {
  test('production: one target, the JSON lines on standard output; no console, no files', () => {
    const [only, ...rest] = targets({ env: 'production', app: 'cw_demo', output: 'stdout' });
    expect(rest).toEqual([]);
    expect(only.target).toMatch(/pino-cloudwatch-file/);
    expect(only.options).toMatchObject({ destination: 1, app: 'cw_demo', process: 'main' });
    expect(only.options).not.toHaveProperty('file');
  });

  test('a console asked for goes to standard error', () => {
    const all = targets({ env: 'production', app: 'a', output: 'stdout', console: { ignore: 'pid' } });
    expect(all).toHaveLength(2);
    expect(all[0].target).toMatch(/pino-pretty-extras/);
    expect(all[0].options).toMatchObject({ destination: 2, ignore: 'pid' });
  });

  test("files stay the default: output 'files' or none writes files under logPath, with the console", () => {
    const all = targets({ env: 'production', app: 'a', logPath: '/tmp/cw-setup-output/app.log' });
    expect(all.map((t) => t.target)).toEqual([
      expect.stringMatching(/pino-pretty-extras/),
      expect.stringMatching(/pino-cloudwatch-file/),
    ]);
    expect(all[1].options).toMatchObject({ file: '/tmp/cw-setup-output/app.log' });
  });

  test.each([
    [{ output: 'stdout', logPath: './logs/app.log' }, /logPath is for output 'files'/],
    [{ output: 'stdout', file: { frequency: 'daily' } }, /option "frequency" applies to files only/],
    [{ output: 'stdout', console: { destination: 1 } }, /console.destination cannot be standard output/],
    [{ output: 'stderr' }, /output must be 'files' or 'stdout', got "stderr"/],
  ])('%j is refused, naming the option', (extra, message) => {
    expect(failure({ env: 'production', app: 'a', ...extra })).toMatch(message);
  });

  test('console: false turns the console off in production, and is refused locally', () => {
    const all = targets({ env: 'production', app: 'a', output: 'stdout', console: false });
    expect(all).toHaveLength(1);
    expect(failure({ env: 'local', app: 'a', console: false })).toMatch(/console cannot be false locally/);
  });
});
