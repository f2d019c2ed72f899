import fs from 'node:fs';
import path from 'node:path';

/**
 * Make sure the files of `logPath` can be written, at start-up rather than at the first record:
 * the folder is created (when `mkdir`) and must be a writable directory, and `logPath` itself
 * must be a base name, not a folder. Returns the absolute folder. Throws an Error naming `logPath`.
 */
export function ensureWritableLogFolder(logPath: string, mkdir = true): string {
  const base = path.resolve(logPath);
  const dir = path.dirname(base);
  const fail = (why: string): never => {
    throw new Error(`logPath: cannot write log files ${base}.<period>: ${why}`);
  };
  if (logPath.endsWith('/') || logPath.endsWith(path.sep) || isDirectory(base)) {
    fail('it is a folder; give the base file name inside it, e.g. ' + path.join(base, 'app.log'));
  }
  try {
    if (mkdir) fs.mkdirSync(dir, { recursive: true });
    if (!fs.statSync(dir).isDirectory()) fail(`${dir} is not a folder`);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    if (code === undefined) throw err;
    fail(`folder ${dir} is not writable (${message})`);
  }
  return dir;
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
