import * as fs from 'node:fs';
import type { Family } from './family';
import type { Period } from './period';
import type { Reporter } from './reporter';
import { openRegular } from './safe-open';

/** A file of the family this process has open: placed under its name, or still in staging. */
export interface OpenFile {
  readonly period: Period;
  /** Where the descriptor points: the staging file until the file is placed, then its real path. */
  readonly path: string;
  /** Path of the next period's file: once it exists, this one gets no more writes. */
  readonly nextPath: string;
  readonly fd: number;
  /** Exclusive end of the period; a fall-back DST hour or a clock step can stretch it. */
  end: number;
  /** Monotonic time this process first knew the file visible under its name (placed files). */
  readonly visibleSince: number;
  /** Size when this process opened it, and bytes it wrote since: any other size means another writer. */
  readonly startSize: number;
  written: number;
  /** Monotonic time of this process's last write to it; undefined before the first. */
  lastWriteAt: number | undefined;
}

/**
 * Opens `filePath` as the file of `period` (flags: safe-open's APPEND or READ_APPEND), noting its size
 * so writes by other processes can be told from this one's.
 */
export function openFamilyFile(
  family: Family,
  period: Period,
  filePath: string,
  flags: number,
  mode: number,
  reporter: Reporter,
  visibleSince: number,
): OpenFile {
  const fd = openRegular(filePath, flags, mode, reporter);
  return {
    period,
    path: filePath,
    nextPath: family.path(family.periodAt(period.end).name),
    fd,
    end: period.end,
    visibleSince,
    startSize: sizeOf(fd),
    written: 0,
    lastWriteAt: undefined,
  };
}

/** The size of the open file, or -1 when unknown (it then counts as written by others too: the safe side). */
export function sizeOf(fd: number): number {
  try {
    return fs.fstatSync(fd).size;
  } catch {
    return -1;
  }
}
