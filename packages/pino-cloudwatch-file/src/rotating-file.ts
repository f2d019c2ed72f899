import * as fs from 'node:fs';
import type { Settings } from './options';
import { periodOf, type Period } from './period';
import { Reporter } from './reporter';
import { applyRetention } from './retention';

/** How often a failing disk, a file that could not be opened or a deleted file is looked at again. */
export const RETRY_MS = 1000;
/** How long after a boundary the next period's file may appear at the earliest (a tenth of a shorter period). */
export const GUARD_MS = 1000;
/**
 * Within this long of the open period's end, every write first checks whether another process already
 * created the next period's file (processes on other hosts sharing the folder may have clocks a few
 * seconds apart). Earlier in the period such a file can only come from a clock far ahead, and the
 * check (a stat call, as costly as the write itself on small batches) runs at most every
 * NEXT_FILE_CHECK_MS.
 */
export const NEAR_END_MS = 5000;
export const NEXT_FILE_CHECK_MS = 100;

interface OpenFile {
  readonly period: Period;
  /** Absolute path of the file. */
  readonly path: string;
  /** Path of the next period's file: once it exists, this one gets no more writes. */
  readonly nextPath: string;
  readonly fd: number;
  /** Exclusive end of the period; a fall-back DST hour or a clock step can stretch it. */
  end: number;
}

/**
 * The files of one base path, one per period (CONTRACT §2). Lines arrive already shaped, in batches.
 * Invariants:
 * - a period's file gets every byte and its descriptor is closed before the next period's file is
 *   created (writes are synchronous: the worker thread exists to do them);
 * - file names only ever grow: a closed file is never reopened, late lines go to the open file;
 * - nothing is written to a file once the wall clock has passed its period's end, so processes that
 *   share a base path never write into a file that a newer one already follows;
 * - a failed write is reported once per cause and its bytes are kept in memory, in order, up to
 *   `maxBufferedBytes`, to be written as soon as the disk takes them again.
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
  private closed = false;
  /** A period whose file waits for the guard band to pass (see `open`). */
  private deferred: Period | undefined;
  private deferTimer: NodeJS.Timeout | undefined;
  /** Set while closing or opening a held-back period: open without waiting. */
  private forcing = false;
  private readonly guardMs: number;
  /** Clock reading at the last next-file check. */
  private checkedAt = -Infinity;

  constructor(
    private readonly settings: Settings,
    private readonly reporter: Reporter = new Reporter(),
  ) {
    this.guardMs = Math.min(GUARD_MS, Math.floor(settings.periodMs / 10));
    this.retention(this.periodAt(settings.now()).name);
  }

  /** End (epoch ms) of the open (or about to open) period: a record at or after it may start a new file. */
  get currentEnd(): number {
    return this.current?.end ?? this.deferred?.end ?? -Infinity;
  }

  /** Path of the open file, if any. */
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
   * created or written again.
   */
  rotateFor(time: number): void {
    const period = this.periodAt(Math.max(time, this.settings.now()));
    const { current } = this;
    if (current !== undefined && period.name <= current.period.name) {
      if (period.end > current.end) current.end = period.end;
      return;
    }
    if (this.deferred !== undefined && period.name <= this.deferred.name) return;
    this.open(period);
  }

  /**
   * Appends complete lines (each ending in a newline) to the open file with one write. `data` is
   * not kept after the call returns (it is copied if the disk refuses it), so callers may reuse it.
   */
  write(data: Buffer): void {
    if (data.length === 0 || this.closed) return;
    if (this.deferred !== undefined && this.settings.now() >= this.deferred.start + this.guardMs)
      this.openDeferred();
    if (this.current === undefined || this.settings.now() >= this.current.end) this.rotateFor(-Infinity);
    // Another process sharing the base path may already have started the next period (our clock
    // read a moment ago, or this thread was descheduled): then the old file is done for us too.
    if (this.current !== undefined && this.nextFileExists(this.current)) this.rotateFor(this.current.end);
    // Lines held by the guard band must never be dropped: with half the memory cap used, open now.
    if (this.deferred !== undefined && this.backlogBytes + data.length > this.settings.maxBufferedBytes / 2) {
      this.openDeferred();
    }
    const { current } = this;
    if (current !== undefined && this.backlog.length > 0) this.drainBacklog(current);
    if (current === undefined || this.backlog.length > 0) {
      this.keep(data);
      return;
    }
    const rest = this.writeAll(current, data);
    if (rest !== undefined) this.keep(rest);
  }

  /** Whether the period after `file`'s exists already (checked near the period's end on every write). */
  private nextFileExists(file: OpenFile): boolean {
    const now = this.settings.now();
    const recent = now >= this.checkedAt && now < this.checkedAt + NEXT_FILE_CHECK_MS;
    if (recent && now < file.end - NEAR_END_MS) return false;
    this.checkedAt = now;
    return fs.existsSync(file.nextPath);
  }

  /** Writes out what the disk refused before, creates a deleted file again. Runs every second. */
  retry(): void {
    if (this.closed) return;
    if (this.current === undefined) {
      if (this.backlog.length > 0) this.rotateFor(-Infinity);
    } else {
      this.reopenIfDeleted(this.current);
    }
    if (this.current !== undefined && this.backlog.length > 0) this.drainBacklog(this.current);
  }

  /** Writes out what it can, closes the open file and stops its timers. Later writes are ignored. */
  close(): void {
    if (this.closed) return;
    this.forcing = true;
    if (this.deferred !== undefined) this.openDeferred();
    this.retry();
    this.closeCurrent();
    this.closed = true;
    clearTimeout(this.closeTimer);
    clearTimeout(this.deferTimer);
    clearInterval(this.retryTimer);
    const lost = this.droppedLines + this.backlog.reduce((n, chunk) => n + countLines(chunk), 0);
    if (lost > 0)
      this.reporter.note(`${lost} line(s) could not be written to ${this.settings.file}.* and are lost`);
  }

  private periodAt(time: number): Period {
    const { periodMs, suffixStyle, utc } = this.settings;
    return periodOf(time, periodMs, suffixStyle, utc);
  }

  private open(period: Period): void {
    const { settings } = this;
    // The clock went back after a file was closed: the newest file is still the newest, so adding
    // to it is safe (the agent only removes a file once a newer one exists); an older name is not.
    if (period.name < this.newestName) {
      period = { name: this.newestName, start: period.start, end: Math.max(period.end, settings.now() + 1) };
    }
    this.closeCurrent();
    const path = `${settings.file}.${period.name}`;
    // Guard band: the next period's file appears only `guardMs` after the boundary, unless another
    // process already created it. Lines of those first moments wait in memory; a process sharing the
    // base path that read its clock just before the boundary and was held up can still finish its
    // write into the old file before any agent sees a newer one.
    const now = settings.now();
    const opensAt = period.start + this.guardMs;
    if (!this.forcing && period.start <= now && now < opensAt && !fs.existsSync(path)) {
      this.deferred = period;
      clearTimeout(this.deferTimer);
      this.deferTimer = setTimeout(() => this.openDeferred(), opensAt - now + 1);
      this.deferTimer.unref();
      return;
    }
    this.deferred = undefined;
    clearTimeout(this.deferTimer);
    let fd: number;
    try {
      if (settings.mkdir) fs.mkdirSync(settings.dir, { recursive: true });
      fd = fs.openSync(path, 'a');
    } catch (err) {
      this.openFailed(path, err as NodeJS.ErrnoException);
      return;
    }
    this.reporter.resolvedAll('open:', () => `opened ${path}: writing again`);
    const nextPath = `${settings.file}.${this.periodAt(period.end).name}`;
    const opened: OpenFile = { period, path, nextPath, fd, end: period.end };
    this.current = opened;
    this.newestName = period.name;
    this.scheduleClose(opened);
    this.startRetrying();
    this.retention(period.name);
  }

  /** Opens the period whose file was held back by the guard band, and writes what waited for it. */
  private openDeferred(): void {
    const period = this.deferred;
    if (period === undefined || this.closed) return;
    const forcing = this.forcing;
    this.forcing = true;
    try {
      // Held long enough that the period is over, or another process started the next one: the
      // held lines go to the newer file (late lines), never into a file a newer one follows.
      const next = this.periodAt(period.end);
      if (this.settings.now() >= period.end || fs.existsSync(`${this.settings.file}.${next.name}`)) {
        this.deferred = undefined;
        this.open(next);
      } else {
        this.open(period);
      }
    } finally {
      this.forcing = forcing;
    }
    if (this.current !== undefined && this.backlog.length > 0) this.drainBacklog(this.current);
  }

  /**
   * Writes `data` fully, looping over short writes. On an error returns the unwritten rest, after
   * reporting the cause once.
   */
  private writeAll(file: OpenFile, data: Buffer): Buffer | undefined {
    let offset = 0;
    try {
      while (offset < data.length) offset += fs.writeSync(file.fd, data, offset, data.length - offset);
    } catch (err) {
      offset = this.untear(file, data, offset);
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
    try {
      fs.closeSync(current.fd);
    } catch {
      // Nothing is buffered in the descriptor; a failing close loses nothing.
    }
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

  private openFailed(path: string, err: NodeJS.ErrnoException): void {
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
      `cannot open ${path}: ${err.message}${hint}. Lines are kept in memory and written once it works.`,
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
    this.closeCurrent();
    this.open(current.period);
    if (this.current !== undefined) {
      this.current.end = current.end;
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
