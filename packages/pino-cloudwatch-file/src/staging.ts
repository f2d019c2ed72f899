import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

/**
 * Lines of a new period that arrive before its file may appear (the quiet gap) are written into a
 * staging file, and the staging file is given its real name once the gap has passed. Staging files
 * live in a sub-folder of the log folder: the agent's `<dir>/<base>.*` glob never matches them (nor
 * does a broader `<dir>/*`: the agent skips folders), and a hard link into the log folder is the same
 * file system. Each writer has its own staging files (several processes may share a base name), named
 * `<base>.<suffix>.<owner>`.
 */
export const STAGING_DIR = '.staging';

/** A staging-file owner token: unique per writer, also across containers that all run as pid 1. */
export function stagingOwner(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

export function stagingPath(dir: string, baseName: string, suffix: string, owner: string): string {
  return path.join(dir, STAGING_DIR, `${baseName}.${suffix}.${owner}`);
}

/**
 * The period suffix and owner of a staging-file name of the family `baseName`, or undefined when
 * the name is not one (another family's, or anything else).
 */
export function parseStagingName(
  name: string,
  baseName: string,
  isSuffix: (suffix: string) => boolean,
): { suffix: string; owner: string } | undefined {
  const prefix = `${baseName}.`;
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  const dot = rest.lastIndexOf('.');
  if (dot <= 0 || dot === rest.length - 1) return undefined;
  const suffix = rest.slice(0, dot);
  const owner = rest.slice(dot + 1);
  if (!/^\d+-[0-9a-f]+$/.test(owner) || !isSuffix(suffix)) return undefined;
  return { suffix, owner };
}
