import fs from 'node:fs';
import path from 'node:path';
import { makeDirs } from 'pino-cloudwatch-core';
import { validateOptions } from 'pino-cloudwatch-file';
import type { ResolvedLoggingConfig } from './types';

/**
 * `logPath` is the base path of the files, not their folder: `./logs/` would make
 * `./logs.<period>` beside the folder and `/tmp` files `tmp.<period>` in `/`. Checked before
 * `pino-cloudwatch-file` sees the path (as its option `file`, refused there by the same rule), so the
 * message names the option the caller set. Throws an Error showing the form that works.
 */
export function checkLogPathIsNotFolder(logPath: string): void {
  const trailingSeparators = path.sep === '\\' ? /[\\/]+$/ : /\/+$/;
  const last = path.basename(logPath);
  const why = trailingSeparators.test(logPath)
    ? 'ends with a separator'
    : last === '.' || last === '..'
      ? 'names a folder'
      : isDirectory(path.resolve(logPath))
        ? 'is a folder'
        : undefined;
  if (why === undefined) return;
  const separator = path.sep === '\\' && !logPath.includes('/') ? '\\' : '/';
  const example = `${logPath.replace(trailingSeparators, '')}${separator}app.log`;
  const literal = /['\\]/.test(example) ? JSON.stringify(example) : `'${example}'`;
  throw new Error(
    `pino-cloudwatch-setup: logPath must be the base path of the files, not a folder: ` +
      `${JSON.stringify(logPath)} ${why}; write logPath: ${literal} for files ${example}.<period>`,
  );
}

/**
 * Make sure the files of `logPath` can be written, at start-up rather than at the first record:
 * `logPath` must be a base path, not a folder ({@link checkLogPathIsNotFolder}), and its folder is
 * created (when `mkdir`, with the file transport's `dirMode`) and must be a writable directory.
 * Returns the absolute folder. Throws an Error naming `logPath`.
 */
export function ensureWritableLogFolder(logPath: string, mkdir = true, dirMode?: number): string {
  checkLogPathIsNotFolder(logPath);
  const base = path.resolve(logPath);
  const dir = path.dirname(base);
  const fail = (why: string): never => {
    throw new Error(`logPath: cannot write log files ${base}.<period>: ${why}`);
  };
  try {
    // Level by level: fs.mkdirSync(…, { recursive: true }) never returns for some paths on Node 20.
    if (mkdir) makeDirs(dir, dirMode);
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

/**
 * Makes the folder of a resolved production config's files (when the file transport's `mkdir`, with its
 * `dirMode`) and checks it can be written: once, where logging starts. Throws an Error naming `logPath`.
 */
export function prepareLogFolder(resolved: ResolvedLoggingConfig): void {
  const settings = validateOptions({ ...resolved.file, file: resolved.logPath, app: resolved.app });
  ensureWritableLogFolder(resolved.logPath!, settings.mkdir, settings.dirMode);
}
