import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { build } from './build';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempFile(): { file: string; records: () => Record<string, unknown>[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-build-'));
  dirs.push(dir);
  const records = (): Record<string, unknown>[] =>
    fs
      .readdirSync(dir)
      .flatMap((name) => fs.readFileSync(path.join(dir, name), 'utf8').split('\n').slice(0, -1))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { file: path.join(dir, 'app.log'), records };
}

describe('build (in-process: pino(options, await build(...)))', () => {
  it("takes the logger's custom levels, messageKey and errorKey from the config pino emits on the stream", async () => {
    // Prepare
    const { file, records } = tempFile();
    const stream = await build({ file, app: 'a' });
    const logger = pino({ customLevels: { audit: 35 }, messageKey: 'text', errorKey: 'failure' }, stream);

    // Act
    logger.audit({ failure: new Error('denied') }, 'changed settings');
    await new Promise<void>((resolve) => stream.end(resolve));

    // Assess
    const [record] = records();
    expect(record).toMatchObject({
      level: 'AUDIT',
      message: 'changed settings',
      error: { message: 'denied' },
    });
    expect(record).not.toHaveProperty('text');
  });

  it('keeps levels given in the options over the ones pino sends', async () => {
    const { file, records } = tempFile();
    const stream = await build({ file, app: 'a', levels: { notice: 35 } });
    const logger = pino({ customLevels: { audit: 35 } }, stream);
    logger.audit('x');
    await new Promise<void>((resolve) => stream.end(resolve));
    expect(records()[0].level).toBe('NOTICE');
  });
});
