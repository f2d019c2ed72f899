import * as fs from 'node:fs';
import { appendLines } from './append-lines';
import { sleepSync, systemClock, type Clock } from './clock';
import { DiskBacklog } from './disk-backlog';
import { closeAtExit, forgetAtExit } from './exit-hook';
import { Family, type LastClosed } from './family';
import { makeDirs } from './make-dirs';
import { openFamilyFile, type OpenFile } from './open-file';
import type { Settings } from './options';
import type { Period } from './period';
import { Placement } from './placement';
import { MIN_NEWEST_MS, QUIET_MS } from './quiet-gap';
import { OwnedTimer } from './owned-timer';
import { Reporter } from './reporter';
import { applyRetention } from './retention';
import { APPEND, closeQuietly } from './safe-open';
import { StaleStagingAdoption } from './stale-staging';
import { stagingOwner } from './staging';
import { isAcceptedTime } from './time-range';
import { UnclaimedFilesWatch } from './unclaimed-files';

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

/** When a staged file's gap is next worth a look: whichever clock reaches its reading first. */
interface Recheck {
  readonly monotonic: number;
  readonly fileTime: number;
}

/**
 * Where the writer stands; each state holds what it needs and nothing else.
 * - `none`: no file; the next line opens one (`open` → `staged` or `open`; a failed open → `blocked`);
 * - `blocked`: opening failed; lines wait in memory for the retry (every second) → `none`, then `open`;
 * - `staged`: the quiet gap lasts; every line joins the staging file; `placeIfDue` → `open` (under its
 *   own name, the clock's, or joined to another writer's file of that period or newer);
 * - `open`: lines of its period (and late ones) go to the file; when the period is over (a timer, or
 *   the next write) or the next file exists → `none`; a file deleted meanwhile is made again;
 * - `closed`: final (`close`, from any state; a staged file is placed first).
 */
type WriterState =
  | { readonly kind: 'none' }
  | { readonly kind: 'blocked' }
  | { readonly kind: 'staged'; readonly file: OpenFile; recheck: Recheck | undefined }
  | { readonly kind: 'open'; readonly file: OpenFile }
  | { readonly kind: 'closed' };

const NONE: WriterState = { kind: 'none' };
const BLOCKED: WriterState = { kind: 'blocked' };
const CLOSED: WriterState = { kind: 'closed' };

/**
 * The files of one base path, one per period (CONTRACT §2). Lines arrive already shaped, in batches.
 * Invariants:
 * - a period's file gets every byte and its descriptor is closed before the next period's file is
 *   created (writes are synchronous: the worker thread exists to do them);
 * - quiet gap: no newer file of the family appears under its name before the gap is over
 *   (placement.ts); lines of the new period wait meanwhile in a staging file;
 * - file names only ever grow: a closed file is never reopened, late lines go to the open file, and a
 *   file is never created under a name older than the newest one on disk;
 * - nothing is written to a file once the wall clock has passed its period's end, so processes that
 *   share a base path never write into a file that a newer one already follows;
 * - a failed write is reported once per cause and its bytes are kept in memory, in order, up to
 *   `maxBufferedBytes`, to be written as soon as the disk takes them again (disk-backlog.ts);
 * - every timer is held by this writer (or a part it owns) and stopped by `close`.
 */
export class RotatingFile {
  private state: WriterState = NONE;
  /** Name of the newest period ever opened: names never go back below it. */
  private newestName = '';
  private readonly backlog: DiskBacklog;
  private readonly family: Family;
  private readonly placement: Placement;
  private readonly staleStaging: StaleStagingAdoption;
  private readonly unclaimed: UnclaimedFilesWatch;
  private readonly closeTimer = new OwnedTimer();
  private readonly retryTimer = new OwnedTimer();
  private readonly placeTimer = new OwnedTimer();
  private opens = 0;
  /** Wall-clock time of the last next-file check; undefined before the first. */
  private nextFileCheckedAt: number | undefined;
  private lastClosed: LastClosed | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly reporter: Reporter = new Reporter(),
    private readonly clock: Clock = systemClock(settings.now),
  ) {
    this.backlog = new DiskBacklog(settings.maxBufferedBytes);
    this.family = new Family(settings);
    // Unique to this writer: its staging files carry it.
    const owner = stagingOwner();
    this.placement = new Placement(settings, this.family, reporter, clock, owner);
    this.unclaimed = new UnclaimedFilesWatch(settings.file, this.family, reporter, clock);
    this.staleStaging = new StaleStagingAdoption(settings, this.family, owner, reporter, clock, (lines) => {
      this.write(lines);
      return !this.backlog.pending;
    });
    this.retention(this.family.periodAt(clock.wall()).name);
    this.staleStaging.adopt();
    closeAtExit(this);
  }

  /**
   * Whether a record at `time` (epoch ms) may start a new file: it is at or after the open period's
   * end, or no file is open. Never while the open file waits in staging (every record joins it; its
   * name is decided when it is placed), nor while the folder cannot be used (lines wait for the retry).
   */
  startsNewFile(time: number): boolean {
    const { state } = this;
    if (state.kind === 'none') return true;
    return state.kind === 'open' && time >= state.file.end;
  }

  /** Times a file was opened or tried (diagnostics: a folder that cannot be used costs one try a second). */
  get openAttempts(): number {
    return this.opens;
  }

  /** Chunks of bytes waiting in memory for the disk (diagnostics). */
  get heldChunks(): number {
    return this.backlog.heldChunks;
  }

  /** Path the open file is written at (its staging path while the quiet gap lasts), if any. */
  get currentPath(): string | undefined {
    return this.fileOf(this.state)?.path;
  }

  /** Lines dropped because the disk refused them for longer than the memory cap allowed. */
  get dropped(): number {
    return this.backlog.dropped;
  }

  /**
   * Makes the file for a record at `time` the open one: the record's own period when it is newer
   * than the open one; otherwise the open file stays (the record is late). A record older than the
   * wall clock's period goes to the wall clock's period: a file whose period is over is never
   * created or written again. While the open file waits in staging, records join it.
   */
  rotateFor(time: number): void {
    const { state } = this;
    if (state.kind !== 'none' && state.kind !== 'open') return;
    const now = this.clock.wall();
    // A time the agent would not accept never names a file (the shaper already gives such records the clock's time).
    const period = this.family.periodAt(isAcceptedTime(time, now) ? Math.max(time, now) : now);
    if (state.kind === 'open' && period.name <= state.file.period.name) {
      if (period.end > state.file.end) state.file.end = period.end;
      return;
    }
    this.open(period);
  }

  /**
   * Appends complete lines (each ending in a newline) to the open file with one write. `data` is
   * not kept after the call returns (it is copied if the disk refuses it), so callers may reuse it.
   */
  write(data: Buffer): void {
    if (data.length === 0 || this.state.kind === 'closed') return;
    this.settle();
    const file = this.fileOf(this.state);
    if (file !== undefined && this.backlog.pending) this.drainBacklog(file);
    if (file === undefined || this.backlog.pending) {
      this.keep(data);
      return;
    }
    const rest = this.writeAll(file, data);
    if (rest !== undefined) this.keep(rest);
    else file.lastWriteAt = this.clock.monotonic();
  }

  /**
   * Writes out what waits in memory: after an open that failed (tried again), into a file deleted
   * meanwhile (made again), and places a staged file whose gap is over. pino's flush comes here.
   */
  flush(): void {
    const { state } = this;
    if (state.kind === 'closed') return;
    if (state.kind === 'none' || state.kind === 'blocked') {
      this.state = NONE;
      if (this.backlog.pending) this.rotateToClock();
    } else {
      this.reopenIfDeleted(state.file);
    }
    const file = this.fileOf(this.state);
    if (file !== undefined && this.backlog.pending) this.drainBacklog(file);
    this.placeIfDue();
  }

  /** What the retry timer does every second: `flush`, and the watch on old files the agent never took. */
  retryNow(): void {
    if (this.state.kind === 'closed') return;
    this.flush();
    this.unclaimed.lookIfDue();
  }

  /**
   * Writes out what it can, gives a staged file its name — waiting for the rest of the quiet gap, at
   * most MAX_CLOSE_WAIT_MS —, closes the open file and stops its timers. Later writes are ignored.
   */
  close(): void {
    if (this.state.kind === 'closed') return;
    forgetAtExit(this);
    this.retryNow();
    let { state } = this;
    if (state.kind === 'staged') {
      const left = this.placement.gapLeft(state.file, this.lastClosed);
      if (left > 0) sleepSync(Math.min(left, MAX_CLOSE_WAIT_MS));
      this.place(state.file);
      const file = this.fileOf(this.state);
      if (file !== undefined && this.backlog.pending) this.drainBacklog(file);
    }
    state = this.state;
    if (state.kind === 'staged') {
      this.reporter.note(
        `${state.file.path} could not be given its name; the next start of a writer on ${this.settings.file} puts it in place`,
      );
    }
    this.closeCurrent();
    this.state = CLOSED;
    this.closeTimer.stop();
    this.placeTimer.stop();
    this.retryTimer.stop();
    this.staleStaging.stop();
    const lost = this.backlog.lostLines();
    if (lost > 0)
      this.reporter.note(`${lost} line(s) could not be written to ${this.settings.file}.* and are lost`);
  }

  private fileOf(state: WriterState): OpenFile | undefined {
    return state.kind === 'open' || state.kind === 'staged' ? state.file : undefined;
  }

  /** Before a write: place a staged file whose gap is over; leave a file whose period is over. */
  private settle(): void {
    this.placeIfDue();
    const { state } = this;
    if (state.kind === 'none' || (state.kind === 'open' && this.clock.wall() >= state.file.end)) {
      this.rotateToClock();
    } else if (state.kind === 'open' && this.nextFileExists(state.file)) {
      // Another process sharing the base path has already started the next period (our clock read
      // a moment ago, or this thread was descheduled): then the old file is done for us too.
      this.rotateFor(state.file.end);
    }
  }

  /** Makes the wall clock's period (or a newer one already open) the open file. */
  private rotateToClock(): void {
    this.rotateFor(this.clock.wall());
  }

  /** Whether the period after `file`'s exists already (checked near the period's end on every write). */
  private nextFileExists(file: OpenFile): boolean {
    const now = this.clock.wall();
    const last = this.nextFileCheckedAt;
    const recent = last !== undefined && now >= last && now < last + NEXT_FILE_CHECK_MS;
    if (recent && now < file.end - NEAR_END_MS) return false;
    this.nextFileCheckedAt = now;
    return fs.existsSync(file.nextPath);
  }

  /**
   * Opens the file of `period`: the existing one if it (or a newer one) is on disk already; a new one
   * at once if the quiet gap allows; otherwise a staging file, placed when the gap has passed.
   */
  private open(period: Period): void {
    const { settings, family } = this;
    // The clock went back after a file was closed: the newest file is still the newest, so adding
    // to it is safe (the agent only removes a file once a newer one exists); an older name is not.
    if (period.name < this.newestName) {
      period = {
        name: this.newestName,
        start: period.start,
        end: Math.max(period.end, this.clock.wall() + 1),
      };
    }
    this.closeCurrent();
    const now = this.clock.monotonic();
    this.opens++;
    let next: WriterState;
    try {
      if (settings.mkdir) makeDirs(settings.dir, settings.dirMode);
      const newest = family.newestOnDisk(this.lastClosed);
      const openAt = (p: Period, filePath: string): WriterState => ({
        kind: 'open',
        file: openFamilyFile(family, p, filePath, APPEND, settings.mode, this.reporter, now),
      });
      if (newest !== undefined && newest.name >= period.name) {
        // This period's file, or a newer one another process created: lines go there (late ones too).
        if (newest.name > period.name) period = family.periodOfName(newest.name) ?? period;
        next = openAt(period, newest.path);
      } else if (this.placement.gapLeftFor(period.start, newest) <= 0) {
        next = openAt(period, family.path(period.name));
      } else {
        next = { kind: 'staged', file: this.placement.openStaging(period), recheck: undefined };
      }
    } catch (err) {
      this.openFailed(family.path(period.name), err as NodeJS.ErrnoException);
      return;
    }
    const opened = this.fileOf(next)?.path;
    this.reporter.resolvedAll('open:', () => `opened ${opened}: writing again`);
    this.state = next;
    this.newestName = period.name;
    if (next.kind === 'staged') {
      this.placeIfDue();
    } else if (next.kind === 'open') {
      this.scheduleClose(next.file);
      this.retention(period.name);
    }
    this.startRetrying();
  }

  /** Places the staged file when its quiet gap has passed; otherwise looks again when it should. */
  private placeIfDue(): void {
    const { state, clock } = this;
    if (state.kind !== 'staged') return;
    const now = clock.monotonic();
    const fileTime = clock.fileTime();
    const { recheck } = state;
    if (recheck !== undefined && now < recheck.monotonic && fileTime < recheck.fileTime) return;
    const left = this.placement.gapLeft(state.file, this.lastClosed);
    if (left > 0) {
      state.recheck = { monotonic: now + left, fileTime: fileTime + left };
      this.placeTimer.once(left + 1, () => this.placeIfDue());
      return;
    }
    this.place(state.file);
  }

  /** Gives the staged `file` its name (placement.ts); on failure it stays staged and is tried again. */
  private place(file: OpenFile): void {
    this.placeTimer.stop();
    const placed = this.placement.place(file, this.lastClosed);
    if (placed === undefined) {
      this.startRetrying();
      return;
    }
    this.state = { kind: 'open', file: placed.file };
    if (!placed.joined || placed.name > this.newestName) this.newestName = placed.name;
    this.scheduleClose(placed.file);
    if (!placed.joined) this.retention(placed.name);
  }

  /** Writes `data` fully to `file`; on an error returns the unwritten rest, after reporting the cause once. */
  private writeAll(file: OpenFile, data: Buffer): Buffer | undefined {
    const failure = appendLines(file.fd, data);
    if (failure === undefined) {
      file.written += data.length;
      return undefined;
    }
    file.written += failure.written;
    const e = failure.error;
    this.reporter.problem(
      `write:${e.code ?? e.message}`,
      `cannot write ${file.path}: ${e.message}. Lines are kept in memory (up to ${this.settings.maxBufferedBytes} bytes) and written once the disk takes them.`,
    );
    this.startRetrying();
    return data.subarray(failure.written);
  }

  /** Writes the backlog in order; stops at the first refusal. */
  private drainBacklog(file: OpenFile): void {
    if (!this.backlog.drain((chunk) => this.writeAll(file, chunk))) return;
    this.reporter.resolvedAll('write:', () => `writing to ${file.path} again`);
    this.reporter.resolvedAll(
      'drop',
      () => `stopped dropping lines (${this.backlog.dropped} dropped so far)`,
    );
  }

  /** Keeps bytes for later, up to the memory cap; past it drops and counts whole lines. */
  private keep(data: Buffer): void {
    if (!this.backlog.keep(data)) {
      this.reporter.problem(
        'drop',
        `dropping lines: more than ${this.settings.maxBufferedBytes} bytes (maxBufferedBytes) already wait for the disk`,
      );
      return;
    }
    this.startRetrying();
  }

  /** Closes the open file. Bytes the disk still refuses stay in the backlog for the next file. */
  private closeCurrent(): void {
    const { state } = this;
    if (state.kind !== 'open' && state.kind !== 'staged') return;
    const { file } = state;
    if (this.backlog.pending) this.drainBacklog(file);
    this.state = NONE;
    this.closeTimer.stop();
    if (state.kind === 'open') {
      try {
        const stat = fs.fstatSync(file.fd, { bigint: true });
        this.lastClosed = {
          name: file.period.name,
          shared: stat.size !== BigInt(file.startSize + file.written),
          size: stat.size,
          mtimeNs: stat.mtimeNs,
          lastWriteAt: file.lastWriteAt,
          visibleSince: file.visibleSince,
        };
      } catch {
        this.lastClosed = undefined;
      }
    }
    closeQuietly(file.fd);
  }

  /** At a period boundary with no traffic the old file is closed by the clock, not by the next record. */
  private scheduleClose(opened: OpenFile): void {
    this.closeTimer.once(Math.max(0, opened.end - this.clock.wall()) + 5, () => {
      const { state } = this;
      if (state.kind !== 'open' || state.file !== opened) return;
      if (this.clock.wall() >= opened.end) this.closeCurrent();
      else this.scheduleClose(opened);
    });
  }

  /** Applies the retention caps to finished files: those older than the period named `current`. */
  private retention(current: string): void {
    const { settings } = this;
    this.unclaimed.look();
    if (settings.retention === false) return;
    try {
      const deleted = applyRetention(
        settings.dir,
        settings.baseName,
        settings.suffixStyle,
        settings.utc,
        settings.retention,
        `${settings.baseName}.${current}`,
        this.clock.wall(),
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

  private openFailed(filePath: string, err: NodeJS.ErrnoException): void {
    // Until the retry a second later, lines wait in memory instead of trying again one by one.
    this.state = BLOCKED;
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
    this.state = NONE;
    this.closeTimer.stop();
    closeQuietly(current.fd);
    this.open(current.period);
    const reopened = this.fileOf(this.state);
    if (reopened !== undefined) {
      reopened.end = Math.max(reopened.end, current.end);
      this.reporter.resolved(`deleted:${current.path}`, `${current.path} created again`);
    }
  }

  /** Looks for faults that cleared (and deleted files) every second, without keeping the process alive. */
  private startRetrying(): void {
    this.retryTimer.every(RETRY_MS, () => this.retryNow());
  }
}
