import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

let bindWorks: boolean | undefined;

/**
 * Makes `file` a full disk: /dev/full bind-mounted on a regular file of that name (every write fails
 * with ENOSPC). Needs root and a sandbox that allows mounts, as CI has; returns undefined where that
 * is not possible (the caller skips, saying why). Returns the function that unmounts it.
 */
export function fullDiskAt(file: string): (() => void) | undefined {
  if (bindWorks === false) return undefined;
  fs.writeFileSync(file, '');
  const mounted = spawnSync('mount', ['--bind', '/dev/full', file]).status === 0;
  bindWorks = mounted;
  if (!mounted) return undefined;
  return () => {
    spawnSync('umount', ['-l', file]);
  };
}
