/**
 * Bad options given to the real transport (`pino.transport` on the built package): what the
 * application gets, and what a process that does not listen for the transport's 'error' prints.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { validateOptions } from '../src/options';
import { runNode, tempDir } from './helpers';

type Transport = ReturnType<typeof pino.transport>;

/** The transport's 'error', or undefined when it closed without one. */
function outcome(t: Transport): Promise<Error | undefined> {
  return new Promise((resolve) => {
    t.once('error', (err: Error) => resolve(err));
    t.once('close', () => setImmediate(() => resolve(undefined)));
  });
}

describe('a file option that names a folder', () => {
  test.each([
    ['ends with a separator', (dir: string) => `${dir}/`, 'ends with a separator'],
    ['names an existing folder', (dir: string) => dir, 'is a folder'],
  ])(
    'is refused when it %s, and nothing is written beside or above the folder',
    async (_what, fileOf, why) => {
      // Prepare
      const parent = tempDir();
      const dir = path.join(parent, 'logs');
      fs.mkdirSync(dir);
      const t = pino.transport({ target: 'pino-cloudwatch-file', options: { file: fileOf(dir), app: 'a' } });
      const ended = outcome(t);

      // Act
      const logger = pino(t);
      logger.info('where does this go?');
      // A transport that starts writes the line and closes; one that refuses its options never gets ready.
      t.once('ready', () => logger.flush(() => t.end()));
      const err = await ended;

      // Assess
      expect(err?.message).toBe(
        `pino-cloudwatch-file: option "file" must be the base path of the files, not a folder: ` +
          `${JSON.stringify(fileOf(dir))} ${why}; write file: '${dir}/app.log' for files ${dir}/app.log.<period>`,
      );
      expect(fs.readdirSync(parent)).toEqual(['logs']);
      expect(fs.readdirSync(dir)).toEqual([]);
    },
  );
});

describe('a bad option in a process that does not listen for the transport error', () => {
  const script = (transport: string): string => `
    const pino = require('pino');
    const logger = pino(pino.transport(${transport}));
    logger.info('never written');
  `;
  const single = `{ target: 'pino-cloudwatch-file', options: { file: 'logs/app.log', app: 'a', frequency: 60000 } }`;
  const targets = `{ targets: [
    { target: 'pino-pretty-extras', options: {} },
    { target: 'pino-cloudwatch-file', options: { file: 'logs/app.log', app: 'a', frequency: 60000 } },
  ] }`;

  test.each([
    ['a single target', single],
    ['one of several targets', targets],
  ])(
    'exits with 1, and the error starts with the message: no frame of thread-stream or pino before it (%s)',
    async (_what, transport) => {
      // Act
      const { code, stderr } = await runNode(script(transport));

      // Assess
      expect(code).toBe(1);
      const lines = stderr.split('\n');
      const at = lines.findIndex((line) => line.includes('pino-cloudwatch-file: option "frequency"'));
      expect(at).toBeGreaterThanOrEqual(0);
      expect(lines[at]).toMatch(
        /^OptionError: pino-cloudwatch-file: option "frequency" of 60000 ms is under one hour/,
      );
      // Before it only Node's own header of an unhandled 'error' event (node:events…, throw er, ^).
      const before = lines.slice(0, at).join('\n');
      expect(before).not.toMatch(/thread-stream|pino|^\s+at /m);
      expect(before).toContain("Unhandled 'error' event");
    },
  );
});

describe("validateOptions before pino.transport (the README's way to get a normal exception)", () => {
  test.each([
    ['a frequency under one hour', { frequency: 60_000 }],
    ['a typo of an option', { frequncy: 'daily' }],
    ['a folder as file', { file: './' }],
  ])('throws, in the caller, the message the worker would emit for %s', async (_what, bad) => {
    // Prepare
    const options = { file: path.join(tempDir(), 'app.log'), app: 'a', ...bad };
    let thrown: unknown;

    // Act
    try {
      validateOptions(options);
    } catch (err) {
      thrown = err;
    }
    const t = pino.transport({ target: 'pino-cloudwatch-file', options });
    const emitted = await outcome(t);

    // Assess
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(/^pino-cloudwatch-file: option "/);
    expect(emitted?.message).toBe((thrown as Error).message);
  });
});
