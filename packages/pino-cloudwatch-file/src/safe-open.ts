import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Reporter } from './reporter';

/**
 * Opening the family's files without ever writing through a symbolic link. Whoever can write the log
 * folder (the agent sidecar shares it) could plant a link under the next period's name, or in place of
 * the staging folder, and make the application write wherever it points.
 * Invariant: a file of the family is opened with O_NOFOLLOW; a link found under one of its names is
 * reported once, removed (the link, never what it points to), and a regular file made in its place.
 */

const { O_APPEND, O_CREAT, O_NOFOLLOW, O_RDWR, O_WRONLY } = fs.constants;
/** Append, create, never through a symbolic link. */
export const APPEND = O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW;
/** The same, readable too: a staging file is read back when it joins another writer's file. */
export const READ_APPEND = O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW;

/** Opens `filePath` with `flags` (APPEND or READ_APPEND); a planted link there is removed first. */
export function openRegular(filePath: string, flags: number, mode: number, reporter: Reporter): number {
  try {
    return fs.openSync(filePath, flags, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOOP' || !isSymbolicLink(filePath)) throw err;
    removePlantedLink(filePath, reporter);
    return fs.openSync(filePath, flags, mode);
  }
}

/** Reports (once) and removes a symbolic link found under a file name of the family. */
export function removePlantedLink(filePath: string, reporter: Reporter): void {
  reporter.problem(
    `symlink:${filePath}`,
    `${filePath} is a symbolic link (to ${readLinkQuietly(filePath)}); log files are never written through a link: it is removed and a regular file created in its place. Check who can write ${path.dirname(filePath)}.`,
  );
  fs.unlinkSync(filePath);
}

/** A planted link in place of the staging folder would take the lines elsewhere: removed, reported once. */
export function removeLinkedFolder(folder: string, logDir: string, reporter: Reporter): void {
  if (!isSymbolicLink(folder)) return;
  reporter.problem(
    `symlink:${folder}`,
    `${folder} is a symbolic link (to ${readLinkQuietly(folder)}); it is removed and a folder made in its place. Check who can write ${logDir}.`,
  );
  fs.unlinkSync(folder);
}

export function isSymbolicLink(filePath: string): boolean {
  try {
    return fs.lstatSync(filePath).isSymbolicLink();
  } catch {
    return false;
  }
}

function readLinkQuietly(filePath: string): string {
  try {
    return fs.readlinkSync(filePath);
  } catch {
    return '?';
  }
}

export function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Nothing is buffered in the descriptor; a failing close loses nothing.
  }
}

/** Removes a placed staging file's old name, and the staging folder when that leaves it empty. */
export function unlinkStagedQuietly(filePath: string): void {
  try {
    fs.unlinkSync(filePath);
    fs.rmdirSync(path.dirname(filePath));
  } catch {
    // Already gone (nothing is lost, the lines are in the placed file), or other staging files remain.
  }
}
