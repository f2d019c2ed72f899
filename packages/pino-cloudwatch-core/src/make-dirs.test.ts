import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeDirs } from './make-dirs';

describe('makeDirs', () => {
  test('creates the missing levels and accepts an existing folder', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-dirs-'));
    const deep = path.join(root, 'a', 'b', 'c');
    makeDirs(deep);
    expect(fs.statSync(deep).isDirectory()).toBe(true);
    expect(() => makeDirs(deep)).not.toThrow();
    fs.rmSync(root, { recursive: true });
  });

  test('a file in the way is an ENOTDIR error', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cwf-dirs-'));
    fs.writeFileSync(path.join(root, 'file'), '');
    expect(() => makeDirs(path.join(root, 'file', 'logs'))).toThrow(
      expect.objectContaining({ code: 'ENOTDIR' }),
    );
    fs.rmSync(root, { recursive: true });
  });

  test('returns with an error where fs.mkdirSync(…, { recursive: true }) never returns (a folder under /proc)', () => {
    if (!fs.existsSync('/proc/self')) return console.warn('no /proc here: skipped');
    expect(() => makeDirs('/proc/no-such-folder/logs')).toThrow();
  });
});
