import fs from 'node:fs';
import path from 'node:path';
import { expandInputs } from './inputs';
import { tempDir } from './test-helpers';

describe('expandInputs', () => {
  it('expands a glob in the file name, sorted by name (our hourly families in time order)', () => {
    const tmp = tempDir();
    try {
      for (const name of [
        'app.log.2025-12-13_12',
        'app.log.2025-12-13_09',
        'worker.log.2025-12-13_10',
        'app.log.2025-12-13_10',
        '.app.log.2025-12-13_12.swp',
      ]) {
        fs.writeFileSync(path.join(tmp.dir, name), '');
      }
      expect(expandInputs([path.join(tmp.dir, 'app.log.*')]).map((file) => path.basename(file))).toEqual([
        'app.log.2025-12-13_09',
        'app.log.2025-12-13_10',
        'app.log.2025-12-13_12',
      ]);
      expect(
        expandInputs([path.join(tmp.dir, '*.log.2025-12-13_1[0-1]')]).map((file) => path.basename(file)),
      ).toEqual(['app.log.2025-12-13_10', 'worker.log.2025-12-13_10']);
      expect(expandInputs([path.join(tmp.dir, '*')])).toHaveLength(4); // not the dot file
      expect(expandInputs([path.join(tmp.dir, '.*')]).map((file) => path.basename(file))).toEqual([
        '.app.log.2025-12-13_12.swp',
      ]);
      expect(expandInputs(['plain/path.log'])).toEqual(['plain/path.log']);
      expect(() => expandInputs([path.join(tmp.dir, 'nothing.*')])).toThrow(
        `no file matches ${path.join(tmp.dir, 'nothing.*')}`,
      );
    } finally {
      tmp.cleanup();
    }
  });
});
