import * as fs from 'node:fs';
import * as path from 'node:path';
import { prng } from './helpers';

/**
 * A stand-in for the CloudWatch agent's file input with `auto_removal: true`, faithful to what
 * CONTRACT §6 reads from its source (plugins/inputs/logfile):
 * - §6.1 each collect entry (a wildcard `file_path`) follows only the most recently modified matching
 *   file; the scan repeats (every second in the agent, on a seeded adversarial schedule here). Equal
 *   modification times are broken in no particular order (the agent ranges over a Go map): here by
 *   the seeded PRNG. A file that is never the newest at a scan is never read.
 * - §6.2 when a not-yet-followed file becomes the newest, every file the entry follows is read to
 *   EOF and deleted by path (`auto_removal`); then the new file is followed.
 * - §6.3 a newly followed file is read from its beginning.
 * - §6.5 only complete lines are events; a line starts a new event (our lines never start with
 *   whitespace, so every line is one event).
 * Removal here is as early as the agent may do it (right after EOF), the worst case for a writer.
 */

/** One `collect_list` entry: the files `<dir>/<prefix>*`. */
export interface CollectEntry {
  /** Label used in events and figures, e.g. the app name. */
  readonly name: string;
  readonly dir: string;
  /** File-name prefix the wildcard stands behind, e.g. `app.log.` for `app.log.*`. */
  readonly prefix: string;
}

/** One uploaded event: a complete line, the file it came from and when it was read. */
export interface AgentEvent {
  readonly entry: string;
  readonly file: string;
  readonly line: string;
  readonly readAt: number;
}

/** Picks the delay before the next scan. */
export type Schedule = (random: () => number) => number;

/**
 * An adversarial schedule: runs of fast scans (~5 ms), runs of slow scans and single long pauses
 * followed by fast catch-up, chosen by the seeded PRNG. All gaps stay under `maxGapMs`.
 */
export function adversarialSchedule({
  fastMs = 5,
  slowMs,
  pauseMs,
}: {
  fastMs?: number;
  slowMs: readonly [number, number];
  pauseMs: readonly [number, number];
}): Schedule {
  let mode: 'fast' | 'slow' = 'fast';
  let left = 0;
  const between = (random: () => number, [low, high]: readonly [number, number]): number =>
    low + random() * (high - low);
  return (random) => {
    if (left <= 0) {
      const pick = random();
      if (pick < 0.25) {
        // A pause, then fast polling to catch up.
        mode = 'fast';
        left = 20 + Math.floor(random() * 100);
        return between(random, pauseMs);
      }
      mode = pick < 0.6 ? 'slow' : 'fast';
      left = mode === 'slow' ? 1 + Math.floor(random() * 4) : 20 + Math.floor(random() * 200);
    }
    left--;
    return mode === 'slow' ? between(random, slowMs) : fastMs * (0.5 + random());
  };
}

/** The agent's own schedule: a scan every second. */
export const agentSchedule: Schedule = () => 1000;

interface Followed {
  readonly name: string;
  offset: number;
  /** Bytes after the last newline read so far (an incomplete line). */
  carry: Buffer;
}

interface EntryState {
  readonly entry: CollectEntry;
  readonly followed: Map<string, Followed>;
  /** Every name ever listed, and the greatest one. */
  readonly seen: Set<string>;
  newestSeen: string;
}

export interface AgentFigures {
  scans: number;
  events: number;
  /** Files followed (read), in the order they were first followed. */
  followed: string[];
  /** Files deleted by auto_removal. */
  removed: string[];
  /** Files that appeared after a file with a greater (newer) name had been listed. */
  olderNameCreated: string[];
  /** Files that came back after auto_removal deleted them. */
  recreatedAfterRemoval: string[];
  /** Bytes of incomplete last lines in files at the moment they were deleted (lost with them). */
  tornBytesAtRemoval: number;
  /** Most files of one entry on disk at a scan, and their bytes. */
  maxLiveFiles: number;
  maxLiveBytes: number;
  /** Longest time between two scans as it happened (load can stretch the schedule). */
  maxGapMs: number;
}

export interface AgentSimulatorOptions {
  readonly entries: readonly CollectEntry[];
  readonly seed: number;
  readonly schedule: Schedule;
  /** Receives every event; by default events are kept in `events`. */
  readonly onEvent?: (event: AgentEvent) => void;
  /** Delete files with auto_removal (default true). */
  readonly autoRemoval?: boolean;
}

export class AgentSimulator {
  readonly events: AgentEvent[] = [];
  readonly figures: AgentFigures = {
    scans: 0,
    events: 0,
    followed: [],
    removed: [],
    olderNameCreated: [],
    recreatedAfterRemoval: [],
    tornBytesAtRemoval: 0,
    maxLiveFiles: 0,
    maxLiveBytes: 0,
    maxGapMs: 0,
  };

  private readonly random: () => number;
  private readonly states: EntryState[];
  private readonly removed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private lastScan = 0;
  private paused = false;

  constructor(private readonly options: AgentSimulatorOptions) {
    this.random = prng(options.seed);
    this.states = options.entries.map((entry) => ({
      entry,
      followed: new Map(),
      seen: new Set(),
      newestSeen: '',
    }));
  }

  /** Starts scanning on the schedule. */
  start(): void {
    this.running = true;
    this.lastScan = Date.now();
    this.scheduleNext();
  }

  /** Stops scanning, as when the agent is down; `resume()` starts again. */
  pause(): void {
    this.paused = true;
    clearTimeout(this.timer);
  }

  resume(): void {
    this.paused = false;
    this.lastScan = Date.now();
    this.scheduleNext();
  }

  /**
   * Stops the schedule after a last scan that reads every followed file to EOF (the agent would keep
   * tailing the newest file; the writers have finished, so EOF is the end).
   */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.scan();
  }

  /** One scan of every entry: what the agent does each time its timer fires. */
  scan(): void {
    const now = Date.now();
    this.figures.maxGapMs = Math.max(this.figures.maxGapMs, now - this.lastScan);
    this.lastScan = now;
    this.figures.scans++;
    for (const state of this.states) this.scanEntry(state);
  }

  /** Names of the files of an entry that are on disk now and were never followed (never collected). */
  neverFollowed(entryName: string): string[] {
    const state = this.states.find((s) => s.entry.name === entryName);
    if (state === undefined) throw new Error(`no collect entry ${entryName}`);
    return this.list(state.entry)
      .map((f) => f.name)
      .filter((name) => !this.figures.followed.includes(`${entryName}:${name}`));
  }

  /** Every file name of an entry listed at some scan, in name (period) order. */
  seenNames(entryName: string): string[] {
    const state = this.states.find((s) => s.entry.name === entryName);
    return state === undefined ? [] : [...state.seen].sort();
  }

  private scheduleNext(): void {
    if (!this.running || this.paused) return;
    this.timer = setTimeout(() => {
      this.scan();
      this.scheduleNext();
    }, this.options.schedule(this.random));
  }

  private list(entry: CollectEntry): Array<{ name: string; mtimeMs: number; size: number }> {
    let names: string[];
    try {
      names = fs.readdirSync(entry.dir);
    } catch {
      return [];
    }
    const files: Array<{ name: string; mtimeMs: number; size: number }> = [];
    for (const name of names) {
      if (!name.startsWith(entry.prefix)) continue;
      try {
        const stat = fs.statSync(path.join(entry.dir, name), { bigint: true });
        if (!stat.isFile()) continue;
        // Nanosecond modification times, as Go's os.FileInfo.ModTime() has them.
        files.push({ name, mtimeMs: Number(stat.mtimeNs) / 1e6, size: Number(stat.size) });
      } catch {
        // Deleted between readdir and stat.
      }
    }
    return files;
  }

  private scanEntry(state: EntryState): void {
    const { entry } = state;
    const files = this.list(entry);
    let liveBytes = 0;
    for (const file of files) {
      liveBytes += file.size;
      const key = `${entry.name}:${file.name}`;
      if (!state.seen.has(file.name)) {
        state.seen.add(file.name);
        if (file.name < state.newestSeen) this.figures.olderNameCreated.push(key);
        if (file.name > state.newestSeen) state.newestSeen = file.name;
      } else if (this.removed.has(key) && !state.followed.has(file.name)) {
        this.figures.recreatedAfterRemoval.push(key);
        this.removed.delete(key);
      }
    }
    this.figures.maxLiveFiles = Math.max(this.figures.maxLiveFiles, files.length);
    this.figures.maxLiveBytes = Math.max(this.figures.maxLiveBytes, liveBytes);

    // getTargetFiles: the most recently modified file; ties in no particular order.
    let target: string | undefined;
    let targetTime = -Infinity;
    let ties = 0;
    for (const file of files) {
      if (file.mtimeMs > targetTime) {
        target = file.name;
        targetTime = file.mtimeMs;
        ties = 1;
      } else if (file.mtimeMs === targetTime && this.random() < 1 / ++ties) {
        target = file.name;
      }
    }

    for (const followed of state.followed.values()) this.readNew(entry, followed);
    if (target === undefined || state.followed.has(target)) return;

    // A not-yet-followed file is the newest: stop every tailer at EOF and remove its file.
    for (const followed of [...state.followed.values()]) {
      this.readNew(entry, followed);
      state.followed.delete(followed.name);
      this.figures.tornBytesAtRemoval += followed.carry.length;
      if (this.options.autoRemoval !== false) {
        try {
          fs.unlinkSync(path.join(entry.dir, followed.name));
          this.figures.removed.push(`${entry.name}:${followed.name}`);
          this.removed.add(`${entry.name}:${followed.name}`);
        } catch {
          // Already gone (retention, or the folder was deleted).
        }
      }
    }
    const fresh: Followed = { name: target, offset: 0, carry: Buffer.alloc(0) };
    state.followed.set(target, fresh);
    this.figures.followed.push(`${entry.name}:${target}`);
    this.readNew(entry, fresh);
  }

  /** Reads what was appended since the last read and emits its complete lines. */
  private readNew(entry: CollectEntry, followed: Followed): void {
    let fd: number;
    try {
      fd = fs.openSync(path.join(entry.dir, followed.name), 'r');
    } catch {
      return; // deleted by someone else; the agent's tailer would stop too
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= followed.offset) return;
      const chunk = Buffer.allocUnsafe(size - followed.offset);
      let got = 0;
      while (got < chunk.length) {
        const n = fs.readSync(fd, chunk, got, chunk.length - got, followed.offset + got);
        if (n === 0) break;
        got += n;
      }
      followed.offset += got;
      this.emitLines(entry, followed, chunk.subarray(0, got));
    } finally {
      fs.closeSync(fd);
    }
  }

  private emitLines(entry: CollectEntry, followed: Followed, chunk: Buffer): void {
    const data = followed.carry.length > 0 ? Buffer.concat([followed.carry, chunk]) : chunk;
    const readAt = Date.now();
    let start = 0;
    for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, start)) {
      const event: AgentEvent = {
        entry: entry.name,
        file: followed.name,
        line: data.toString('utf8', start, nl),
        readAt,
      };
      this.figures.events++;
      if (this.options.onEvent !== undefined) this.options.onEvent(event);
      else this.events.push(event);
      start = nl + 1;
    }
    followed.carry = Buffer.from(data.subarray(start));
  }
}
