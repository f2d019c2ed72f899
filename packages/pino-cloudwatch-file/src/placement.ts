import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Clock } from './clock';
import type { Family, LastClosed, OnDisk } from './family';
import { makeDirs } from './make-dirs';
import { openFamilyFile, sizeOf, type OpenFile } from './open-file';
import type { Settings } from './options';
import type { Period } from './period';
import { quietGapLeft } from './quiet-gap';
import type { Reporter } from './reporter';
import {
  APPEND,
  closeQuietly,
  isSymbolicLink,
  openRegular,
  READ_APPEND,
  removeLinkedFolder,
  removePlantedLink,
  unlinkStagedQuietly,
} from './safe-open';
import { stagingPath } from './staging';

/** A staged file given its place: under its own name (or the clock's), or joined to another writer's file. */
export interface Placed {
  readonly file: OpenFile;
  /** The period suffix it is now under. */
  readonly name: string;
  /** Appended to a file another process placed first (no new file appeared). */
  readonly joined: boolean;
}

/**
 * Placement: where a new period's lines go while the quiet gap lasts (a staging file the agent's glob
 * does not match), how long the gap still lasts, and giving the staging file its name afterwards.
 * Invariants (CONTRACT §2):
 * - no newer file of the family appears under its name before `gapLeft` is 0 — the newest one has had
 *   no write for QUIET_MS and has been there for MIN_NEWEST_MS, by this process's evidence and the
 *   files' own;
 * - a staged file takes its own period's name, or the clock's if that is later by then (its lines
 *   are then late, never early), and never replaces a file: it is hard-linked into place (a rename
 *   only where links are not supported and no file has the name); if another process placed that
 *   period's file (or a newer one) first, the staged lines are appended to that file instead.
 */
export class Placement {
  constructor(
    private readonly settings: Settings,
    private readonly family: Family,
    private readonly reporter: Reporter,
    private readonly clock: Clock,
    private readonly owner: string,
  ) {}

  /**
   * Opens this writer's staging file for `period`. The staging folder is removed whenever a writer
   * leaves it empty, so it is made again, and once more if another writer removed it in between.
   */
  openStaging(period: Period): OpenFile {
    const { settings } = this;
    const staging = stagingPath(settings.dir, settings.baseName, period.name, this.owner);
    const stagingDir = path.dirname(staging);
    removeLinkedFolder(stagingDir, settings.dir, this.reporter);
    for (let attempt = 1; ; attempt++) {
      makeDirs(stagingDir, settings.dirMode);
      try {
        // Read back too, if another process places this period's file first (see `join`).
        return openFamilyFile(
          this.family,
          period,
          staging,
          READ_APPEND,
          settings.mode,
          this.reporter,
          this.clock.monotonic(),
        );
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 2) throw err;
      }
    }
  }

  /** Milliseconds before a file of the period starting at `periodStart` may appear beside `newest`. */
  gapLeftFor(periodStart: number, newest: OnDisk | undefined): number {
    const { clock } = this;
    return quietGapLeft(periodStart, newest?.evidence, {
      wall: clock.wall(),
      elapsed: clock.monotonic(),
      real: clock.fileTime(),
    });
  }

  /** Milliseconds before staged `file` may get its name (0 when a file as new is on disk already: it joins that). */
  gapLeft(file: OpenFile, lastClosed: LastClosed | undefined): number {
    const newest = this.family.newestOnDisk(lastClosed);
    if (newest !== undefined && newest.name >= this.placedName(file)) return 0;
    return this.gapLeftFor(file.period.start, newest);
  }

  /** The name a staged file gets: its own period's, or the clock's if that is later by now. */
  private placedName(file: OpenFile): string {
    const clock = this.family.periodAt(this.clock.wall()).name;
    return clock > file.period.name ? clock : file.period.name;
  }

  /**
   * Gives the staged file its name: a hard link into the log folder (it cannot replace a file of that
   * name), newer by modification time than the old file too, and the staging name removed. Returns
   * undefined when it stays staged (reported; the caller tries again later).
   */
  place(file: OpenFile, lastClosed: LastClosed | undefined): Placed | undefined {
    const newest = this.family.newestOnDisk(lastClosed);
    const name = this.placedName(file);
    const period = name === file.period.name ? file.period : (this.family.periodOfName(name) ?? file.period);
    const target = this.family.path(name);
    const now = this.clock.monotonic();
    if (newest !== undefined && newest.name >= name) return this.join(file, newest);
    try {
      try {
        fs.linkSync(file.path, target);
      } catch (err) {
        // A link planted under the name: removed (not what it points to), and the name taken.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !isSymbolicLink(target)) throw err;
        removePlantedLink(target, this.reporter);
        fs.linkSync(file.path, target);
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        const raced = this.family.newestOnDisk(lastClosed);
        return raced === undefined ? undefined : this.join(file, raced);
      }
      if (!this.renameInstead(file, target, err as NodeJS.ErrnoException)) return undefined;
    }
    unlinkStagedQuietly(file.path);
    if (newest !== undefined) newerThan(file.fd, newest.evidence.mtimeMs);
    this.reporter.resolvedAll('place:', () => `${target} placed`);
    return {
      file: { ...file, period, path: target, end: period.end, visibleSince: now },
      name,
      joined: false,
    };
  }

  /**
   * Where hard links are not supported (some network file systems), a rename does the same but could
   * replace a file of that name: only done when none exists. Returns false when the file stays staged.
   */
  private renameInstead(file: OpenFile, target: string, linkError: NodeJS.ErrnoException): boolean {
    try {
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'].includes(linkError.code ?? ''))
        throw linkError;
      if (fs.existsSync(target)) throw linkError;
      fs.renameSync(file.path, target);
      return true;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      this.reporter.problem(
        `place:${e.code ?? e.message}`,
        `cannot put ${file.path} in place as ${target}: ${e.message}. Its lines stay there and it is tried again every second.`,
      );
      return false;
    }
  }

  /** The staged lines go to the end of `existing` (placed by another process); writing continues there. */
  private join(file: OpenFile, existing: OnDisk): Placed | undefined {
    let fd: number | undefined;
    try {
      fd = openRegular(existing.path, APPEND, this.settings.mode, this.reporter);
      const size = fs.fstatSync(file.fd).size;
      const staged = Buffer.allocUnsafe(size);
      let got = 0;
      while (got < size) {
        const n = fs.readSync(file.fd, staged, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      let offset = 0;
      while (offset < got) offset += fs.writeSync(fd, staged, offset, got - offset);
    } catch (err) {
      if (fd !== undefined) closeQuietly(fd);
      const e = err as NodeJS.ErrnoException;
      this.reporter.problem(
        `place:${e.code ?? e.message}`,
        `cannot add ${file.path} to ${existing.path}: ${e.message}. Its lines stay there and it is tried again every second.`,
      );
      return undefined;
    }
    unlinkStagedQuietly(file.path);
    closeQuietly(file.fd);
    const period = this.family.periodOfName(existing.name) ?? file.period;
    const now = this.clock.monotonic();
    this.reporter.resolvedAll('place:', () => `${existing.path} written again`);
    return {
      file: {
        period,
        path: existing.path,
        nextPath: this.family.path(this.family.periodAt(period.end).name),
        fd,
        end: period.end,
        visibleSince: now,
        startSize: sizeOf(fd),
        written: 0,
        lastWriteAt: now,
      },
      name: existing.name,
      joined: true,
    };
  }
}

/**
 * The agent follows the newest file by modification time, not by name. A staged file normally is
 * (its lines came after the old file's), but another process may have written the old file after
 * this one's last staged line: then the placed file's time is set just past the old one's.
 */
function newerThan(fd: number, mtimeMs: number): void {
  try {
    const stat = fs.fstatSync(fd);
    if (stat.mtimeMs > mtimeMs) return;
    fs.futimesSync(fd, stat.atime, (mtimeMs + 1) / 1000);
  } catch {
    // Only the order by modification time is at stake; the next write sets it anyway.
  }
}
