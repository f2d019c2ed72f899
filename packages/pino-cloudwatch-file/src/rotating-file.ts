import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';
import type { Settings } from './options';
import { parseSuffix, periodOf, type Period } from './period';
import { QUIET_MS, MIN_NEWEST_MS, quietGapLeft, type NewestFile } from './quiet-gap';
import { makeDirs } from './make-dirs';
import { Reporter } from './reporter';
import { isAcceptedTime } from './time-range';
import { applyRetention, familyMembers } from './retention';
import { parseStagingName, STAGING_DIR, stagingOwner, stagingPath } from './staging';

/** How often a failing disk, a file that could not be opened or a deleted file is looked at again. */
export const RETRY_MS = 1000;
/**
 * Within this long of the open period's end, every write first checks whether another process already
 * created the next period's file (processes on other hosts sharing the folder may have clocks a few
 * seconds apart). Earlier in the period such a file can only come from a clock far ahead, and the
 * check (a stat call, as costly as the write itself on small batches) runs at most every
 * NEXT_FILE_CHECK_MS.
 */
export const NEAR_END_MS = 5000;
export const NEXT_FILE_CHECK_MS = 100;
/** Closing inside the quiet gap waits for the rest of it, but never longer than this. */
export const MAX_CLOSE_WAIT_MS = QUIET_MS + MIN_NEWEST_MS;
/** A staging file of another writer unchanged for this long is a leftover of a writer that died. */
export const STALE_STAGING_MS = 10_000;
/**
 * Older files of the family still on disk this long after a newer one was seen are reported: the
 * agent deletes a file within seconds of a newer one appearing.
 */
export const LEFTOVER_MS = 10 * 60_000;

interface OpenFile {
  readonly period: Period;
  /** Where the descriptor points: the staging file until the file is placed, then its real path. */
  readonly path: string;
  /** Path of the next period's file: once it exists, this one gets no more writes. */
  readonly nextPath: string;
  readonly fd: number;
  /** Exclusive end of the period; a fall-back DST hour or a clock step can stretch it. */
  end: number;
  /** Still in the staging folder: the quiet gap has not passed yet. */
  readonly staged: boolean;
  /** Monotonic time this process first knew the file visible under its name (placed files). */
  readonly visibleSince: number;
  /** Size when this process opened it, and bytes it wrote since: any other size means another writer. */
  readonly startSize: number;
  written: number;
}

/** The newest file of the family as this process left it, to tell its own writes from others'. */
interface LastClosed {
  /** Its period suffix. */
  readonly name: string;
  /** Another process wrote to it too: its own last write is not the file's. */
  readonly shared: boolean;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly lastWriteAt: number;
  readonly visibleSince: number;
}

/** The newest visible file of the family, as found on disk. */
interface OnDisk {
  /** Its period suffix. */
  readonly name: string;
  readonly path: string;
  readonly evidence: NewestFile;
}

/**
 * The files of one base path, one per period (CONTRACT §2). Lines arrive already shaped, in batches.
 * Invariants:
 * - a period's file gets every byte and its descriptor is closed before the next period's file is
 *   created (writes are synchronous: the worker thread exists to do them);
 * - quiet gap: no newer file of the family appears under its name until the newest one has had no
 *   write for QUIET_MS and has been there for MIN_NEWEST_MS, by the evidence of this process and of
 *   the files themselves (other processes, an earlier run). Lines of the new period go meanwhile into
 *   a staging file (not matched by the agent's glob) that is linked into place when the gap is over;
 *   if the clock has moved on to a later period by then, the file takes that period's name (its lines
 *   are then late, never early);
 * - file names only ever grow: a closed file is never reopened, late lines go to the open file, and a
 *   file is never created under a name older than the newest one on disk;
 * - nothing is written to a file once the wall clock has passed its period's end, so processes that
 *   share a base path never write into a file that a newer one already follows;
 * - a failed write is reported once per cause and its bytes are kept in memory, in order, up to
 *   `maxBufferedBytes`, to be written as soon as the disk takes them again.
 *
 * States and the transitions between them (each one method):
 * - no file (`current` undefined): `open` → staged or open; a failed open → blocked;
 * - blocked (no file, `openBlocked`): lines wait in memory; `retry` (every second) → `open` again;
 * - staged (`current.staged`): every record joins it; `placeIfDue`/`place` → open (under its own
 *   name, or the clock's), or `joinExisting` → open (another writer's file of that period or newer);
 * - open: `closeCurrent` when its period is over (a timer, or the next write) or the next file
 *   exists → no file, then `open`; `reopenIfDeleted` → `open` again;
 * - closed (`close`, from any state; a staged file is placed first): final.
 */
export class RotatingFile {
  private current: OpenFile | undefined;
  /** Name of the newest period ever opened: names never go back below it. */
  private newestName = '';
  /** Bytes the disk refused (or that wait for a file to open), oldest first. */
  private backlog: Buffer[] = [];
  private backlogBytes = 0;
  private droppedLines = 0;
  private closeTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private placeTimer: NodeJS.Timeout | undefined;
  /** Settings-clock time of the last look for leftover files. */
  private leftoversCheckedAt = -Infinity;
  private closed = false;
  /** Opening failed: no new try before the retry timer's. */
  private openBlocked = false;
  private opens = 0;
  /** Clock reading at the last next-file check. */
  private checkedAt = -Infinity;
  /** Monotonic time of the last write to the open file. */
  private lastWriteAt = -Infinity;
  private lastClosed: LastClosed | undefined;
  /** While staged: do not look at the disk again before either clock (monotonic, real) reaches these. */
  private recheckAt = -Infinity;
  private recheckRealAt = -Infinity;
  /** Unique to this writer: its staging files carry it. */
  private readonly owner = stagingOwner();
  /** Older family files and when this process first saw a newer one beside them (settings clock). */
  private readonly olderSince = new Map<string, number>();

  /**
   * `elapsed` is the monotonic clock the quiet gap measures this process's own writes with (tests
   * that move the settings clock pass the same fake clock).
   */
  constructor(
    private readonly settings: Settings,
    private readonly reporter: Reporter = new Reporter(),
    private readonly elapsed: () => number = () => performance.now(),
  ) {
    const now = settings.now();
    this.retention(this.periodAt(now).name);
    this.adoptLeftovers();
    closeAtExit(this);
  }

  /**
   * End (epoch ms) of the open period: a record at or after it may start a new file. Infinite while the
   * open file waits in staging (every record joins it; its name is decided when it is placed).
   */
  get currentEnd(): number {
    const { current } = this;
    // No file while the folder cannot be used: every line waits for the retry, none asks to rotate.
    if (current === undefined) return this.openBlocked ? Infinity : -Infinity;
    return current.staged ? Infinity : current.end;
  }

  /** Times a file was opened or tried (diagnostics: a folder that cannot be used costs one try a second). */
  get openAttempts(): number {
    return this.opens;
  }

  /** Chunks of bytes waiting in memory for the disk (diagnostics). */
  get heldChunks(): number {
    return this.backlog.length;
  }

  /** Path the open file is written at (its staging path while the quiet gap lasts), if any. */
  get currentPath(): string | undefined {
    return this.current?.path;
  }

  /** Lines dropped because the disk refused them for longer than the memory cap allowed. */
  get dropped(): number {
    return this.droppedLines;
  }

  /**
   * Makes the file for a record at `time` the open one: the record's own period when it is newer
   * than the open one; otherwise the open file stays (the record is late). A record older than the
   * wall clock's period goes to the wall clock's period: a file whose period is over is never
   * created or written again. While the open file waits in staging, records join it.
   */
  rotateFor(time: number): void {
    const { current } = this;
    if (current?.staged || (current === undefined && this.openBlocked)) return;
    const now = this.settings.now();
    // A time the agent would not accept never names a file (the shaper already gives such records the clock's time).
    const period = this.periodAt(isAcceptedTime(time, now) ? Math.max(time, now) : now);
    if (current !== undefined && period.name <= current.period.name) {
      if (period.end > current.end) current.end = period.end;
      return;
    }
    this.open(period);
  }

  /**
   * Appends complete lines (each ending in a newline) to the open file with one write. `data` is
   * not kept after the call returns (it is copied if the disk refuses it), so callers may reuse it.
   */
  write(data: Buffer): void {
    if (data.length === 0 || this.closed) return;
    this.settle();
    const { current } = this;
    if (current !== undefined && this.backlog.length > 0) this.drainBacklog(current);
    if (current === undefined || this.backlog.length > 0) {
      this.keep(data);
      return;
    }
    const rest = this.writeAll(current, data);
    if (rest !== undefined) this.keep(rest);
    else this.lastWriteAt = this.elapsed();
  }

  /** Before a write: place a staged file whose gap is over; leave a file whose period is over. */
  private settle(): void {
    if (this.current?.staged) this.placeIfDue();
    const { current } = this;
    if (current === undefined || (!current.staged && this.settings.now() >= current.end)) {
      this.rotateToClock();
    } else if (!current.staged && this.nextFileExists(current)) {
      // Another process sharing the base path has already started the next period (our clock read
      // a moment ago, or this thread was descheduled): then the old file is done for us too.
      this.rotateFor(current.end);
    }
  }

  /** Makes the wall clock's period (or a newer one already open) the open file. */
  private rotateToClock(): void {
    this.rotateFor(-Infinity);
  }

  /** Whether the period after `file`'s exists already (checked near the period's end on every write). */
  private nextFileExists(file: OpenFile): boolean {
    const now = this.settings.now();
    const recent = now >= this.checkedAt && now < this.checkedAt + NEXT_FILE_CHECK_MS;
    if (recent && now < file.end - NEAR_END_MS) return false;
    this.checkedAt = now;
    return fs.existsSync(file.nextPath);
  }

  /** Writes out what the disk refused before, creates a deleted file again, places a staged file. Runs every second. */
  retry(): void {
    if (this.closed) return;
    if (this.current === undefined) {
      this.openBlocked = false;
      if (this.backlog.length > 0) this.rotateToClock();
    } else {
      this.reopenIfDeleted(this.current);
    }
    if (this.current !== undefined && this.backlog.length > 0) this.drainBacklog(this.current);
    if (this.current?.staged) this.placeIfDue();
    const now = this.settings.now();
    if (now < this.leftoversCheckedAt || now >= this.leftoversCheckedAt + LEFTOVER_MS / 10)
      this.checkLeftovers();
  }

  /**
   * Writes out what it can, gives a staged file its name — waiting for the rest of the quiet gap, at
   * most MAX_CLOSE_WAIT_MS —, closes the open file and stops its timers. Later writes are ignored.
   */
  close(): void {
    if (this.closed) return;
    forgetAtExit(this);
    this.retry();
    const { current } = this;
    if (current?.staged) {
      const left = this.gapLeft(current, this.newestOnDisk());
      if (left > 0) sleepSync(Math.min(left, MAX_CLOSE_WAIT_MS));
      this.place(current);
      if (this.current !== undefined && this.backlog.length > 0) this.drainBacklog(this.current);
    }
    if (this.current?.staged) {
      this.reporter.note(
        `${this.current.path} could not be given its name; the next start of a writer on ${this.settings.file} puts it in place`,
      );
    }
    this.closeCurrent();
    this.closed = true;
    clearTimeout(this.closeTimer);
    clearTimeout(this.placeTimer);
    clearInterval(this.retryTimer);
    const lost = this.droppedLines + this.backlog.reduce((n, chunk) => n + countLines(chunk), 0);
    if (lost > 0)
      this.reporter.note(`${lost} line(s) could not be written to ${this.settings.file}.* and are lost`);
  }

  private periodAt(time: number): Period {
    const { periodMs, suffixStyle, utc } = this.settings;
    return periodOf(time, periodMs, suffixStyle, utc);
  }

  private finalPath(name: string): string {
    return `${this.settings.file}.${name}`;
  }

  /**
   * Opens the file of `period`: the existing one if it (or a newer one) is on disk already; a new one
   * at once if the quiet gap allows; otherwise a staging file, placed when the gap has passed.
   */
  private open(period: Period): void {
    const { settings } = this;
    // The clock went back after a file was closed: the newest file is still the newest, so adding
    // to it is safe (the agent only removes a file once a newer one exists); an older name is not.
    if (period.name < this.newestName) {
      period = { name: this.newestName, start: period.start, end: Math.max(period.end, settings.now() + 1) };
    }
    this.closeCurrent();
    const now = this.elapsed();
    this.opens++;
    let file: OpenFile;
    try {
      if (settings.mkdir) makeDirs(settings.dir, settings.dirMode);
      const newest = this.newestOnDisk();
      if (newest !== undefined && newest.name >= period.name) {
        // This period's file, or a newer one another process created: lines go there (late ones too).
        if (newest.name > period.name) period = this.periodOfName(newest.name) ?? period;
        file = this.openFile(period, newest.path, false, now);
      } else if (this.gapLeftFor(period.start, newest) <= 0) {
        file = this.openFile(period, this.finalPath(period.name), false, now);
      } else {
        file = this.openStaging(period, now);
      }
    } catch (err) {
      this.openFailed(this.finalPath(period.name), err as NodeJS.ErrnoException);
      return;
    }
    this.openBlocked = false;
    this.reporter.resolvedAll('open:', () => `opened ${file.path}: writing again`);
    this.current = file;
    this.lastWriteAt = -Infinity;
    this.newestName = period.name;
    if (file.staged) {
      this.recheckAt = this.recheckRealAt = -Infinity;
      this.placeIfDue();
    } else {
      this.scheduleClose(file);
      this.retention(period.name);
    }
    this.startRetrying();
  }

  private openFile(period: Period, filePath: string, staged: boolean, now: number): OpenFile {
    // A staging file is read back if another process placed this period's file first (see `place`).
    const fd = this.openRegular(filePath, staged ? READ_APPEND : APPEND);
    let startSize = 0;
    try {
      startSize = fs.fstatSync(fd).size;
    } catch {
      // Unknown size: the file then counts as written by others too (the safe side).
      startSize = -1;
    }
    return {
      period,
      path: filePath,
      nextPath: this.finalPath(this.periodAt(period.end).name),
      fd,
      end: period.end,
      staged,
      visibleSince: now,
      startSize,
      written: 0,
    };
  }

  /**
   * Opens this writer's staging file for `period`. The staging folder is removed whenever a writer
   * leaves it empty, so it is made again, and once more if another writer removed it in between.
   */
  private openStaging(period: Period, now: number): OpenFile {
    const { settings } = this;
    const staging = stagingPath(settings.dir, settings.baseName, period.name, this.owner);
    const stagingDir = path.dirname(staging);
    if (isSymbolicLink(stagingDir)) {
      // A planted link in place of the staging folder would take the lines elsewhere.
      this.reporter.problem(
        `symlink:${stagingDir}`,
        `${stagingDir} is a symbolic link (to ${readLinkQuietly(stagingDir)}); it is removed and a folder made in its place. Check who can write ${settings.dir}.`,
      );
      fs.unlinkSync(stagingDir);
    }
    for (let attempt = 1; ; attempt++) {
      makeDirs(stagingDir, this.settings.dirMode);
      try {
        return this.openFile(period, staging, true, now);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 2) throw err;
      }
    }
  }

  /**
   * Opens a file of the family without following a symbolic link: whoever can write the log folder
   * (the agent sidecar shares it) could otherwise plant one under the next period's name and make
   * the application write wherever it points. A link found there is reported once, removed (the
   * link, not what it points to), and the file created in its place.
   */
  private openRegular(filePath: string, flags: number): number {
    try {
      return fs.openSync(filePath, flags, this.settings.mode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOOP' || !fs.lstatSync(filePath).isSymbolicLink())
        throw err;
      this.removePlantedLink(filePath);
      return fs.openSync(filePath, flags, this.settings.mode);
    }
  }

  /** Reports (once) and removes a symbolic link found under a file name of the family. */
  private removePlantedLink(filePath: string): void {
    this.reporter.problem(
      `symlink:${filePath}`,
      `${filePath} is a symbolic link (to ${readLinkQuietly(filePath)}); log files are never written through a link: it is removed and a regular file created in its place. Check who can write ${path.dirname(filePath)}.`,
    );
    fs.unlinkSync(filePath);
  }

  private periodOfName(name: string): Period | undefined {
    const { settings } = this;
    const start = parseSuffix(name, settings.suffixStyle, settings.utc);
    return start === undefined ? undefined : this.periodAt(start);
  }

  /** The newest file of the family visible in the log folder, with the evidence the quiet gap needs. */
  private newestOnDisk(): OnDisk | undefined {
    const { settings } = this;
    let names: string[];
    try {
      names = fs.readdirSync(settings.dir);
    } catch {
      return undefined;
    }
    const members = familyMembers(names, settings.baseName, settings.suffixStyle, settings.utc);
    members.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const member of members) {
      const filePath = path.join(settings.dir, member.name);
      const name = member.name.slice(settings.baseName.length + 1);
      let stat: fs.BigIntStats;
      try {
        // A symbolic link is not one of this family's files: it is never written through.
        stat = fs.lstatSync(filePath, { bigint: true });
      } catch {
        continue; // gone between readdir and stat (the agent removed it)
      }
      if (!stat.isFile()) continue;
      const mine = this.lastClosed?.name === name ? this.lastClosed : undefined;
      const untouched =
        mine !== undefined && !mine.shared && mine.size === stat.size && mine.mtimeNs === stat.mtimeNs;
      return {
        name,
        path: filePath,
        evidence: {
          mtimeMs: Number(stat.mtimeNs / 1_000_000n),
          ctimeMs: Number(stat.ctimeNs / 1_000_000n),
          own: untouched ? { lastWriteAt: mine.lastWriteAt, visibleSince: mine.visibleSince } : undefined,
          knownSince: mine?.visibleSince,
        },
      };
    }
    return undefined;
  }

  private gapLeftFor(periodStart: number, newest: OnDisk | undefined): number {
    return quietGapLeft(periodStart, newest?.evidence, {
      wall: this.settings.now(),
      elapsed: this.elapsed(),
      real: Date.now(),
    });
  }

  /** Milliseconds before staged `file` may get its name (0 when a file as new is on disk already: it joins that). */
  private gapLeft(file: OpenFile, newest: OnDisk | undefined): number {
    if (newest !== undefined && newest.name >= this.placedName(file)) return 0;
    return this.gapLeftFor(file.period.start, newest);
  }

  /** The name a staged file gets: its own period's, or the clock's if that is later by now. */
  private placedName(file: OpenFile): string {
    const clock = this.periodAt(this.settings.now()).name;
    return clock > file.period.name ? clock : file.period.name;
  }

  /** Places the staged file when its quiet gap has passed; otherwise looks again when it should. */
  private placeIfDue(): void {
    const file = this.current;
    if (file === undefined || !file.staged) return;
    const now = this.elapsed();
    const realNow = Date.now();
    if (now < this.recheckAt && realNow < this.recheckRealAt) return;
    const left = this.gapLeft(file, this.newestOnDisk());
    if (left > 0) {
      this.recheckAt = now + left;
      this.recheckRealAt = realNow + left;
      clearTimeout(this.placeTimer);
      this.placeTimer = setTimeout(() => this.placeIfDue(), left + 1);
      this.placeTimer.unref();
      return;
    }
    this.place(file);
  }

  /**
   * Gives the staged file its name: a hard link into the log folder (it cannot replace a file of that
   * name), newer by modification time than the old file too, and the staging name removed.
   * If another process put this period's file (or a newer one) in place first, the staged lines are
   * appended to that file, which this process then writes to.
   */
  private place(file: OpenFile): void {
    clearTimeout(this.placeTimer);
    const newest = this.newestOnDisk();
    const name = this.placedName(file);
    const period = name === file.period.name ? file.period : (this.periodOfName(name) ?? file.period);
    const target = this.finalPath(name);
    const now = this.elapsed();
    if (newest !== undefined && newest.name >= name) {
      this.joinExisting(file, newest);
      return;
    }
    try {
      try {
        fs.linkSync(file.path, target);
      } catch (err) {
        // A link planted under the name: removed (not what it points to), and the name taken.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !isSymbolicLink(target)) throw err;
        this.removePlantedLink(target);
        fs.linkSync(file.path, target);
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        const raced = this.newestOnDisk();
        if (raced !== undefined) this.joinExisting(file, raced);
        return;
      }
      if (!this.renameInstead(file, target, err as NodeJS.ErrnoException)) return;
    }
    this.unlinkQuietly(file.path);
    if (newest !== undefined) this.newerThan(file.fd, newest.evidence.mtimeMs);
    this.reporter.resolvedAll('place:', () => `${target} placed`);
    const placed: OpenFile = {
      ...file,
      period,
      path: target,
      end: period.end,
      staged: false,
      visibleSince: now,
    };
    this.current = placed;
    this.newestName = name;
    this.scheduleClose(placed);
    this.retention(name);
  }

  /**
   * The agent follows the newest file by modification time, not by name. A staged file normally is
   * (its lines came after the old file's), but another process may have written the old file after
   * this one's last staged line: then the placed file's time is set just past the old one's.
   */
  private newerThan(fd: number, mtimeMs: number): void {
    try {
      const stat = fs.fstatSync(fd);
      if (stat.mtimeMs > mtimeMs) return;
      fs.futimesSync(fd, stat.atime, (mtimeMs + 1) / 1000);
    } catch {
      // Only the order by modification time is at stake; the next write sets it anyway.
    }
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
      this.startRetrying();
      return false;
    }
  }

  /** The staged lines go to the end of `existing` (placed by another process); writing continues there. */
  private joinExisting(file: OpenFile, existing: OnDisk): void {
    let fd: number | undefined;
    try {
      fd = this.openRegular(existing.path, APPEND);
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
      this.startRetrying();
      return;
    }
    this.unlinkQuietly(file.path);
    closeQuietly(file.fd);
    const period = this.periodOfName(existing.name) ?? file.period;
    const now = this.elapsed();
    let startSize = -1;
    try {
      startSize = fs.fstatSync(fd).size;
    } catch {
      // Unknown size: counts as written by others too.
    }
    const joined: OpenFile = {
      period,
      path: existing.path,
      nextPath: this.finalPath(this.periodAt(period.end).name),
      fd,
      end: period.end,
      staged: false,
      visibleSince: now,
      startSize,
      written: 0,
    };
    this.current = joined;
    this.lastWriteAt = now;
    if (existing.name > this.newestName) this.newestName = existing.name;
    this.reporter.resolvedAll('place:', () => `${existing.path} written again`);
    this.scheduleClose(joined);
  }

  /** Removes a placed staging file's old name, and the staging folder when that leaves it empty. */
  private unlinkQuietly(filePath: string): void {
    try {
      fs.unlinkSync(filePath);
      fs.rmdirSync(path.dirname(filePath));
    } catch {
      // Already gone (nothing is lost, the lines are in the placed file), or other staging files remain.
    }
  }

  /**
   * Staging files of writers that died inside their quiet gap (killed, or out of time at exit): their
   * lines are written here like any others (late lines of the open file), then the leftover is removed.
   * A staging file still changing may belong to a live writer and is looked at again later.
   */
  private adoptLeftovers(): void {
    const { settings } = this;
    const stagingDir = path.join(settings.dir, STAGING_DIR);
    let names: string[];
    try {
      names = fs.readdirSync(stagingDir).sort();
    } catch {
      return;
    }
    const isSuffix = (suffix: string): boolean =>
      parseSuffix(suffix, settings.suffixStyle, settings.utc) !== undefined;
    let recheckIn = Infinity;
    for (const name of names) {
      const parsed = parseStagingName(name, settings.baseName, isSuffix);
      if (parsed === undefined || parsed.owner === this.owner) continue;
      const leftover = path.join(stagingDir, name);
      try {
        const age = Date.now() - fs.statSync(leftover).mtimeMs;
        if (age < STALE_STAGING_MS) {
          recheckIn = Math.min(recheckIn, STALE_STAGING_MS - age);
          continue;
        }
        // Claimed by a rename: of writers starting together only one gets it (the others: ENOENT).
        // The claimed file looks fresh, so it is adopted again only if this writer dies meanwhile.
        const claimed = stagingPath(settings.dir, settings.baseName, parsed.suffix, stagingOwner());
        fs.renameSync(leftover, claimed);
        const t = new Date();
        fs.utimesSync(claimed, t, t);
        const data = fs.readFileSync(claimed);
        const whole =
          data.length === 0 || data[data.length - 1] === 10 ? data : Buffer.concat([data, Buffer.from('\n')]);
        this.write(whole);
        if (this.backlog.length > 0) continue; // not written yet: keep the leftover on disk too
        this.unlinkQuietly(claimed);
        this.reporter.note(`wrote ${countLines(whole)} line(s) left in ${leftover} by a writer that stopped`);
      } catch {
        // Removed meanwhile (its owner placed it), or unreadable: looked at again at the next start.
      }
    }
    if (recheckIn < Infinity) {
      const timer = setTimeout(() => {
        if (!this.closed) this.adoptLeftovers();
      }, recheckIn + 10);
      timer.unref();
    }
  }

  /**
   * Writes `data` fully, looping over short writes. On an error returns the unwritten rest, after
   * reporting the cause once.
   */
  private writeAll(file: OpenFile, data: Buffer): Buffer | undefined {
    let offset = 0;
    try {
      while (offset < data.length) offset += fs.writeSync(file.fd, data, offset, data.length - offset);
      file.written += offset;
    } catch (err) {
      offset = this.untear(file, data, offset);
      file.written += offset;
      const e = err as NodeJS.ErrnoException;
      this.reporter.problem(
        `write:${e.code ?? e.message}`,
        `cannot write ${file.path}: ${e.message}. Lines are kept in memory (up to ${this.settings.maxBufferedBytes} bytes) and written once the disk takes them.`,
      );
      this.startRetrying();
      return data.subarray(offset);
    }
    return undefined;
  }

  /**
   * After a short write the file may end inside a line (a full disk took only its head). That head
   * is cut off again so the file stays whole lines, and the line is kept whole for the next try —
   * in this file or, if the period ends first, the next one. Returns how much of `data` is written.
   */
  private untear(file: OpenFile, data: Buffer, written: number): number {
    if (written === 0 || data[written - 1] === 10) return written;
    const lineStart = data.lastIndexOf(10, written - 1) + 1;
    try {
      fs.ftruncateSync(file.fd, fs.fstatSync(file.fd).size - (written - lineStart));
      return lineStart;
    } catch {
      return written; // cannot cut: the rest still follows in order in this file when it can
    }
  }

  /** Writes the backlog in order; stops at the first refusal. */
  private drainBacklog(file: OpenFile): void {
    while (this.backlog.length > 0) {
      const chunk = this.backlog[0];
      const rest = this.writeAll(file, chunk);
      this.backlogBytes -= chunk.length - (rest?.length ?? 0);
      if (rest !== undefined) {
        this.backlog[0] = rest;
        return;
      }
      this.backlog.shift();
    }
    this.reporter.resolvedAll('write:', () => `writing to ${file.path} again`);
    this.reporter.resolvedAll('drop', () => `stopped dropping lines (${this.droppedLines} dropped so far)`);
  }

  /** Keeps bytes for later, up to the memory cap; past it drops and counts whole lines. */
  private keep(data: Buffer): void {
    if (this.backlogBytes + data.length > this.settings.maxBufferedBytes) {
      this.droppedLines += countLines(data);
      this.reporter.problem(
        'drop',
        `dropping lines: more than ${this.settings.maxBufferedBytes} bytes (maxBufferedBytes) already wait for the disk`,
      );
      return;
    }
    this.backlog.push(Buffer.from(data));
    this.backlogBytes += data.length;
    this.startRetrying();
  }

  /** Closes the open file. Bytes the disk still refuses stay in the backlog for the next file. */
  private closeCurrent(): void {
    const { current } = this;
    if (current === undefined) return;
    if (this.backlog.length > 0) this.drainBacklog(current);
    this.current = undefined;
    clearTimeout(this.closeTimer);
    if (!current.staged) {
      try {
        const stat = fs.fstatSync(current.fd, { bigint: true });
        this.lastClosed = {
          name: current.period.name,
          shared: stat.size !== BigInt(current.startSize + current.written),
          size: stat.size,
          mtimeNs: stat.mtimeNs,
          lastWriteAt: this.lastWriteAt,
          visibleSince: current.visibleSince,
        };
      } catch {
        this.lastClosed = undefined;
      }
    }
    closeQuietly(current.fd);
  }

  /** At a period boundary with no traffic the old file is closed by the clock, not by the next record. */
  private scheduleClose(opened: OpenFile): void {
    clearTimeout(this.closeTimer);
    const delay = Math.min(Math.max(0, opened.end - this.settings.now()) + 5, 2 ** 31 - 1);
    this.closeTimer = setTimeout(() => {
      if (this.current !== opened) return;
      if (this.settings.now() >= opened.end) this.closeCurrent();
      else this.scheduleClose(opened);
    }, delay);
    this.closeTimer.unref();
  }

  /** Applies the retention caps to finished files: those older than the period named `current`. */
  private retention(current: string): void {
    const { settings } = this;
    this.checkLeftovers();
    if (settings.retention === false) return;
    try {
      const deleted = applyRetention(
        settings.dir,
        settings.baseName,
        settings.suffixStyle,
        settings.utc,
        settings.retention,
        `${settings.baseName}.${current}`,
        settings.now(),
      );
      if (deleted.length > 0)
        this.reporter.note(`retention deleted ${deleted.length} old file(s): ${deleted.join(', ')}`);
      this.reporter.resolved('retention', 'retention works again');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // no folder yet: nothing to delete
      this.reporter.problem(
        'retention',
        `retention could not clean ${settings.dir}: ${(err as Error).message}`,
      );
    }
  }

  /**
   * Says once when older files of the family stay on disk long after a newer one appeared: the agent
   * removes a file within seconds of a newer one, so it is down, lagging, or never saw them (it only
   * reads the newest file of a glob). Looked at after each rotation and every LEFTOVER_MS / 10.
   */
  private checkLeftovers(): void {
    const { settings } = this;
    this.leftoversCheckedAt = settings.now();
    let names: string[];
    try {
      names = familyMembers(
        fs.readdirSync(settings.dir),
        settings.baseName,
        settings.suffixStyle,
        settings.utc,
      )
        .map((m) => m.name)
        .sort();
    } catch {
      return;
    }
    const now = settings.now();
    const older = new Set(names.slice(0, -1));
    for (const name of this.olderSince.keys()) if (!older.has(name)) this.olderSince.delete(name);
    for (const name of older) if (!this.olderSince.has(name)) this.olderSince.set(name, now);
    const stale = [...this.olderSince]
      .filter(([, since]) => now - since >= LEFTOVER_MS)
      .map(([name]) => name);
    if (stale.length === 0) {
      this.reporter.resolved(
        'leftover',
        `the older files of ${settings.file}.* are gone: the agent collects again`,
      );
      return;
    }
    stale.sort();
    this.reporter.problem(
      'leftover',
      `${stale.length} older file(s) of ${settings.file}.* are still on disk ${Math.round(LEFTOVER_MS / 60_000)} minutes ` +
        `after a newer one appeared (oldest: ${stale[0]}). The CloudWatch agent has not collected them: check that ` +
        `the agent is running, that its file_path matches ${settings.file}.*, and its log for errors ` +
        `(it reads only the newest file of a glob, so files from a time it was down stay unread). ` +
        `The toolkit's agent sidecar uploads and removes such files when the agent starts again; otherwise retention deletes them after its caps.`,
    );
  }

  private openFailed(filePath: string, err: NodeJS.ErrnoException): void {
    // Until the retry a second later, lines wait in memory instead of trying again one by one.
    this.openBlocked = true;
    const hint =
      err.code === 'ENOENT' && !this.settings.mkdir
        ? ' (the folder does not exist and mkdir is false)'
        : err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS'
          ? ' (the folder is not writable by this process)'
          : err.code === 'ENOSPC'
            ? ' (the disk is full)'
            : '';
    this.reporter.problem(
      `open:${err.code ?? err.message}`,
      `cannot open ${filePath}: ${err.message}${hint}. Lines are kept in memory and written once it works.`,
    );
    this.startRetrying();
  }

  /** A file deleted while open (its folder removed, a wrong agent glob) is created again. */
  private reopenIfDeleted(current: OpenFile): void {
    let deleted: boolean;
    try {
      deleted = fs.fstatSync(current.fd).nlink === 0;
    } catch {
      deleted = true;
    }
    if (!deleted) return;
    this.reporter.problem(
      `deleted:${current.path}`,
      `${current.path} was deleted while being written (lines written since are gone with it); creating it again`,
    );
    this.current = undefined;
    clearTimeout(this.closeTimer);
    closeQuietly(current.fd);
    this.open(current.period);
    const reopened = this.current as OpenFile | undefined;
    if (reopened !== undefined) {
      reopened.end = Math.max(reopened.end, current.end);
      this.reporter.resolved(`deleted:${current.path}`, `${current.path} created again`);
    }
  }

  /** Looks for faults that cleared (and deleted files) every second, without keeping the process alive. */
  private startRetrying(): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setInterval(() => this.retry(), RETRY_MS);
    this.retryTimer.unref();
  }
}

function countLines(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) n++;
  return n;
}

const { O_APPEND, O_CREAT, O_NOFOLLOW, O_RDWR, O_WRONLY } = fs.constants;
/** Append, create, never through a symbolic link; staging files are read back too (see `joinExisting`). */
const APPEND = O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW;
const READ_APPEND = O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW;

function isSymbolicLink(filePath: string): boolean {
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

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Nothing is buffered in the descriptor; a failing close loses nothing.
  }
}

/**
 * Files still open when the main thread's process exits are closed then, so a staged file is put in
 * place rather than left in the staging folder (an in-process stream: pino only flushes it at exit).
 * In a worker thread the transport's end does it. Weak references: an abandoned file is not kept.
 */
const openAtExit = new Set<WeakRef<RotatingFile>>();
const refs = new WeakMap<RotatingFile, WeakRef<RotatingFile>>();
let exitHookInstalled = false;

function closeAtExit(file: RotatingFile): void {
  if (!isMainThread) return;
  const ref = new WeakRef(file);
  refs.set(file, ref);
  openAtExit.add(ref);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const open of openAtExit) open.deref()?.close();
  });
}

function forgetAtExit(file: RotatingFile): void {
  const ref = refs.get(file);
  if (ref !== undefined) openAtExit.delete(ref);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread: used only when closing inside the quiet gap, where the rest of it must pass first. */
function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}
