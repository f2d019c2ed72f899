import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RetentionOptions, SuffixStyle } from './options';
import { parseSuffix } from './period';

/** A finished file of this transport's own family. */
export interface FamilyFile {
  readonly name: string;
  /** Start of the period its suffix names (epoch ms). */
  readonly periodStart: number;
  readonly size: number;
}

/**
 * The files of the family `<baseName>.<suffix>` among `names`: exact matches of this frequency's
 * suffix only, so another app's files, compressed copies and other frequencies are never touched.
 */
export function familyMembers(
  names: readonly string[],
  baseName: string,
  style: SuffixStyle,
  utc: boolean,
): { name: string; periodStart: number }[] {
  const prefix = `${baseName}.`;
  const members: { name: string; periodStart: number }[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const periodStart = parseSuffix(name.slice(prefix.length), style, utc);
    if (periodStart !== undefined) members.push({ name, periodStart });
  }
  return members;
}

/**
 * Which finished files to delete so that the caps hold, oldest first. `files` must not contain the
 * open file. A file goes when it is older than `maxAgeHours`, beyond the newest `maxFiles`, or when
 * the newer files already use up `maxTotalBytes`.
 */
export function selectForDeletion(
  files: readonly FamilyFile[],
  caps: Readonly<Required<RetentionOptions>>,
  now: number,
): string[] {
  const newestFirst = [...files].sort((a, b) => b.periodStart - a.periodStart);
  const oldestAllowed = now - caps.maxAgeHours * 3_600_000;
  const doomed: string[] = [];
  let kept = 0;
  let bytes = 0;
  // The kept files are the newest ones without a gap: once one file goes, every older one goes too.
  let full = false;
  for (const file of newestFirst) {
    full ||=
      kept >= caps.maxFiles || file.periodStart < oldestAllowed || bytes + file.size > caps.maxTotalBytes;
    if (full) {
      doomed.push(file.name);
    } else {
      kept++;
      bytes += file.size;
    }
  }
  return doomed.reverse();
}

/**
 * Applies the caps to the folder: lists it, keeps to the family, leaves alone every file whose name
 * is not older than `protectFrom` (the open file's name, or the current period's: also what other
 * processes sharing the base name are writing), and deletes what `selectForDeletion` chose. Files that vanish meanwhile (the agent deleted them) are
 * fine. Returns the deleted names.
 */
export function applyRetention(
  dir: string,
  baseName: string,
  style: SuffixStyle,
  utc: boolean,
  caps: Readonly<Required<RetentionOptions>>,
  protectFrom: string,
  now: number,
): string[] {
  const files: FamilyFile[] = [];
  for (const member of familyMembers(fs.readdirSync(dir), baseName, style, utc)) {
    if (member.name >= protectFrom) continue;
    try {
      const stat = fs.statSync(path.join(dir, member.name));
      if (stat.isFile()) files.push({ ...member, size: stat.size });
    } catch {
      // Gone between readdir and stat: the agent collected it.
    }
  }
  const deleted: string[] = [];
  for (const name of selectForDeletion(files, caps, now)) {
    try {
      fs.unlinkSync(path.join(dir, name));
      deleted.push(name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return deleted;
}
