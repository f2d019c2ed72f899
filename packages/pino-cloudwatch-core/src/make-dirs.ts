import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Creates `dir` and its missing parents, like `fs.mkdirSync(dir, { recursive: true })` — which on
 * Node 20 never returns for some paths (a folder under /proc spins at 100% CPU). Here each level is
 * made on its own, from the deepest existing ancestor down, so any failure is an ordinary error.
 * `mode`: the permissions of the folders made (the umask may take some away); default 0o777.
 */
export function makeDirs(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let current = path.resolve(dir); ;) {
    try {
      if (fs.statSync(current).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      fs.mkdirSync(folder, mode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
