import * as path from 'node:path';
import { parseSuffix } from './period';
import { parseStagingName, STAGING_DIR, stagingOwner, stagingPath } from './staging';

const hourly = (suffix: string): boolean => parseSuffix(suffix, 'hour', true) !== undefined;

describe('staging names', () => {
  test('a staging file sits in the staging folder under the real name plus its owner', () => {
    const owner = stagingOwner();
    expect(owner).toMatch(/^\d+-[0-9a-f]{8}$/);
    expect(stagingPath('/logs', 'app.log', '2025-12-13_13', owner)).toBe(
      path.join('/logs', STAGING_DIR, `app.log.2025-12-13_13.${owner}`),
    );
    expect(stagingOwner()).not.toBe(owner);
  });

  test('parses names of its own family only', () => {
    expect(parseStagingName('app.log.2025-12-13_13.12-0badf00d', 'app.log', hourly)).toEqual({
      suffix: '2025-12-13_13',
      owner: '12-0badf00d',
    });
    for (const name of [
      'worker.log.2025-12-13_13.12-0badf00d',
      'app.log.2025-12-13_13',
      'app.log.2025-12-13.12-0badf00d',
      'app.log.2025-12-13_13.x',
      'app.log.2025-12-13_13.12-0badf00d.tmp',
      'app.log.2025-12-13_13.',
      'app.log.bak.2025-12-13_13.12-0badf00d',
    ]) {
      expect(parseStagingName(name, 'app.log', hourly)).toBeUndefined();
    }
  });
});
