/**
 * Bad options given to the real transport (`pino.transport` on the built package): what the
 * application gets.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { tempDir } from './helpers';

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
