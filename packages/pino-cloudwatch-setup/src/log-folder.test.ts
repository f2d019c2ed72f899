import fs from 'node:fs';
import path from 'node:path';
import { checkLogPathIsNotFolder, ensureWritableLogFolder } from './log-folder';
import { tempDir } from './test-helpers';

describe('ensureWritableLogFolder', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('creates the missing folder and returns it, absolute', () => {
    const dir = ensureWritableLogFolder(path.join(tmp.dir, 'a', 'b', 'app.log'));
    expect(dir).toBe(path.join(tmp.dir, 'a', 'b'));
    expect(fs.statSync(dir).isDirectory()).toBe(true);
  });

  it("creates the folders it makes with the file transport's dirMode (the umask may narrow it)", () => {
    const umask = process.umask(0o022);
    try {
      const dir = ensureWritableLogFolder(path.join(tmp.dir, 'c', 'd', 'app.log'), true, 0o750);
      expect(fs.statSync(dir).mode & 0o777).toBe(0o750);
      expect(fs.statSync(path.dirname(dir)).mode & 0o777).toBe(0o750);
    } finally {
      process.umask(umask);
    }
  });

  it('resolves a relative path against the working folder', () => {
    expect(ensureWritableLogFolder(path.relative(process.cwd(), path.join(tmp.dir, 'app.log')))).toBe(
      tmp.dir,
    );
  });

  it('refuses a folder where the base file name belongs, showing the form that works', () => {
    expect(() => ensureWritableLogFolder(tmp.dir)).toThrow(
      `pino-cloudwatch-setup: logPath must be the base path of the files, not a folder: ` +
        `${JSON.stringify(tmp.dir)} is a folder; write logPath: '${tmp.dir}/app.log' for files ${tmp.dir}/app.log.<period>`,
    );
    expect(() => ensureWritableLogFolder(tmp.dir + '/')).toThrow(
      `${JSON.stringify(tmp.dir + '/')} ends with a separator; write logPath: '${tmp.dir}/app.log'`,
    );
  });

  it('refuses a folder that cannot be created (a file is in the way)', () => {
    const blocker = path.join(tmp.dir, 'not-a-folder');
    fs.writeFileSync(blocker, '');
    expect(() => ensureWritableLogFolder(path.join(blocker, 'logs', 'app.log'))).toThrow(
      /logPath: cannot write log files .*app\.log\.<period>: folder .* is not writable \(ENOTDIR/,
    );
  });

  it('refuses a missing folder when mkdir is off', () => {
    expect(() => ensureWritableLogFolder(path.join(tmp.dir, 'missing', 'app.log'), false)).toThrow(/ENOENT/);
  });

  it('refuses a read-only folder', () => {
    const readOnly = path.join(tmp.dir, 'ro');
    fs.mkdirSync(readOnly, { mode: 0o555 });
    // root may write anywhere: the check is only meaningful for a normal user.
    const rootCanWrite = process.getuid?.() === 0;
    const attempt = () => ensureWritableLogFolder(path.join(readOnly, 'app.log'));
    if (rootCanWrite) expect(attempt()).toBe(readOnly);
    else expect(attempt).toThrow(/is not writable \(EACCES/);
  });
});

describe('checkLogPathIsNotFolder', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it.each([
    ['./logs/', 'ends with a separator', "'./logs/app.log'"],
    ['.', 'names a folder', "'./app.log'"],
    ['logs/..', 'names a folder', "'logs/../app.log'"],
  ])('refuses %p (%s) before touching the disk', (logPath, why, literal) => {
    expect(() => checkLogPathIsNotFolder(logPath)).toThrow(
      `${JSON.stringify(logPath)} ${why}; write logPath: ${literal}`,
    );
  });

  it('takes a base path, whether or not its folder exists, and creates nothing', () => {
    expect(() => checkLogPathIsNotFolder(path.join(tmp.dir, 'missing', 'app.log'))).not.toThrow();
    expect(fs.existsSync(path.join(tmp.dir, 'missing'))).toBe(false);
  });
});
