import * as fs from 'node:fs';
import * as path from 'node:path';
import { AgentStateFolder } from './agent-state';
import { prng } from './helpers';

/**
 * A stand-in for the CloudWatch agent's file input with `auto_removal: true`, with the agent's timing
 * as read from its source (docs/agent.md "Timing, from the agent's source"; CONTRACT §6.1–6.3, 6.9,
 * 6.10):
 * - Scans: every second (logs/logs.go, a 1 s ticker calling FindLogSrc; here `agentSchedule(phase)`,
 *   or a seeded adversarial schedule). A scan picks, per collect entry, the matching file with the
 *   latest modification time (nanoseconds; a tie goes to whichever the agent's map iteration meets
 *   first, here the seeded PRNG). A scan reads nothing itself.
 * - Readers: when a scan finds a newest file that no reader follows, every other reader of the entry
 *   is stopped (StopAtEOF) and a reader starts on the new file, from its beginning
 *   (`from_beginning` defaults to true). It reads to EOF at once; after that it sees new bytes only
 *   through its own poll: every 250 ms from its start (tail/watch/polling.go), a size or modification
 *   time different from the previous poll's makes it read to EOF.
 * - A stopped reader is waiting at EOF (reads here are instant), so it returns without reading the
 *   bytes appended since its last read (tail/tail.go, waitForChanges): they are lost, counted in
 *   `figures.unseenBytesAtKill` / `unseenLinesAtKill`. Its file is deleted ~1 ms later (tailersrc.go,
 *   cleanUp after the tailer is done).
 * - A file that is never the newest at a scan is never read and never deleted.
 * - Only complete lines are events; a partial last line waits for its newline.
 * - The output (plugins/outputs/cloudwatchlogs/internal/pusher: queue.go, batch.go): the lines read go
 *   into a batch per log stream (the entry's `name`; an exact entry shares its family's stream). A batch
 *   is sent `flushMs` (force_flush_interval, 5 s) after its first line went in, or at once when the next
 *   line would take it past 10,000 events or 1 MiB (each event counted with 200 bytes more); CloudWatch
 *   accepts it `acceptMs` later. Only then are its lines events (`onEvent`, `events`) and their offsets
 *   saved. An agent that crashes (`crash()`: SIGKILL, OOM) loses what it read and had not had accepted,
 *   and its saved offsets stay behind; a graceful stop (`pause()`, `stop()`, SIGTERM) sends every batch
 *   first. auto_removal deletes a file right after its reader stops, whatever its lines' batch is
 *   doing (tailersrc.go cleanUp): CONTRACT §6.14.
 * - State (internal/state/*, `stateManager.Restore` in FindLogSrc): the offset accepted so far (at a line
 *   start) is kept per path in an `AgentStateFolder` — in memory, or real files in the agent's format —
 *   and a reader that starts on a path with a saved offset reads on from there. A reader that sees its
 *   file deleted drops the path's state (and a batch accepted later saves nothing for it); a start or
 *   restart (`resume`) first drops the state of paths that are gone (cleanupStateFolder at Start). The
 *   agent saves at most every 100 ms after an acceptance; here the save follows the acceptance at once,
 *   which is never ahead of what CloudWatch has.
 * - Exact-path entries (`ExactEntry`, no wildcard: `getTargetFiles` matches that one path) follow their
 *   file whatever its modification time, and with `autoRemoval: false` (their default, as the sidecar
 *   writes them) never stop and never delete. `resume(entries)` restarts the agent with a new config.
 * At equal instants a scan runs before a poll: the agent's ticker keeps its phase while each poll
 * sleeps 250 ms after the previous one finished, so polls drift later, never earlier.
 *
 * Modes for tests: `manual` (no timers: the test calls `scan()`, `poll()` and `advance(ms)`, which runs
 * the scheduled scans, polls and removals in order on a virtual clock) and `removal: 'virtual'` (a
 * removed file stays on disk, invisible to this simulator; bytes written to it after its reader was
 * stopped count as lost), so several simulators at different scan phases can watch one writer's files.
 */

/** The agent's scan interval (logs/logs.go: `time.NewTicker(time.Second)`). */
export const SCAN_MS = 1000;
/** How often a reader waiting at EOF looks at its file (tail/watch/polling.go: `PollDuration`). */
export const POLL_MS = 250;
/** From stopping a reader to deleting its file (tailersrc.go: cleanUp right after the tailer is done). */
export const REMOVAL_DELAY_MS = 1;
/** The output's `force_flush_interval` default and the sidecar's setting (pusher/queue.go flush timer). */
export const FLUSH_MS = 5000;
/** From sending a batch to CloudWatch's acceptance (a PutLogEvents round trip). */
export const ACCEPT_MS = 50;
/** PutLogEvents limits the pusher keeps a batch under (pusher/batch.go: reqEventsLimit, reqSizeLimit). */
export const BATCH_EVENTS = 10_000;
export const BATCH_BYTES = 1024 * 1024;
/** What batch.go counts for each event besides its message (perEventHeaderBytes). */
export const EVENT_OVERHEAD_BYTES = 200;

/** One `collect_list` entry: the files `<dir>/<prefix>*`. */
export interface CollectEntry {
  /** Label used in events and figures, e.g. the app name (the family, its log stream). */
  readonly name: string;
  readonly dir: string;
  /** File-name prefix the wildcard stands behind, e.g. `app.log.` for `app.log.*`. */
  readonly prefix: string;
  /** `auto_removal` of this entry (default: the simulator's `autoRemoval`, true). */
  readonly autoRemoval?: boolean;
}

/**
 * A `collect_list` entry for one exact path (no wildcard), e.g. a leftover file the sidecar's supervisor
 * adds at start: `getTargetFiles` then matches that path alone, so it is followed whatever its
 * modification time.
 */
export interface ExactEntry {
  /** The family it belongs to (same log group and stream as the family's wildcard entry). */
  readonly name: string;
  readonly dir: string;
  readonly file: string;
  /** `auto_removal` of this entry (default false, as the supervisor writes it). */
  readonly autoRemoval?: boolean;
}

export type AnyEntry = CollectEntry | ExactEntry;

function isExact(entry: AnyEntry): entry is ExactEntry {
  return (entry as ExactEntry).file !== undefined;
}

function sameEntry(a: AnyEntry, b: AnyEntry): boolean {
  return (
    a.name === b.name &&
    a.dir === b.dir &&
    (isExact(a) ? isExact(b) && a.file === b.file : !isExact(b) && a.prefix === b.prefix) &&
    a.autoRemoval === b.autoRemoval
  );
}

/** One uploaded event: a complete line, the file it came from, when it was read and accepted. */
export interface AgentEvent {
  readonly entry: string;
  readonly file: string;
  readonly line: string;
  readonly readAt: number;
  readonly acceptedAt: number;
}

/** Picks the delay before the next scan, given the (scheduled) time of the scan just run. */
export type Schedule = (random: () => number, now: number) => number;

/**
 * An adversarial schedule: runs of fast scans (~5 ms), runs of slow scans and single long pauses
 * followed by fast catch-up, chosen by the seeded PRNG. All gaps stay under `maxGapMs`. It decides scan
 * times only: readers still poll every 250 ms.
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

/**
 * The agent's own schedule: a scan every second, at the wall-clock instants t with
 * `t mod 1000 === phaseMs` (the ticker's phase is set by when the agent started).
 */
export function agentSchedule(phaseMs = 0): Schedule {
  if (!Number.isInteger(phaseMs) || phaseMs < 0 || phaseMs >= SCAN_MS)
    throw new RangeError(`agentSchedule: phaseMs must be an integer in [0, ${SCAN_MS}), got ${phaseMs}`);
  return (_random, now) => {
    const wait = (((phaseMs - Math.floor(now)) % SCAN_MS) + SCAN_MS) % SCAN_MS;
    return wait === 0 ? SCAN_MS : wait;
  };
}

/** One stopped reader: what it had not read when it was stopped. */
export interface Kill {
  /** `entry:file` */
  readonly file: string;
  readonly at: number;
  readonly unseenBytes: number;
  /** Newlines in the unseen bytes: lines that were not (wholly) read. */
  readonly unseenLines: number;
}

export interface AgentFigures {
  scans: number;
  /** Events (complete lines) read. */
  events: number;
  polls: number;
  /** Files followed (read), `entry:file`, in the order they were first followed. */
  followed: string[];
  /** Files deleted by auto_removal (recorded only, with `removal: 'virtual'`). */
  removed: string[];
  /** Every reader stopped because a newer file appeared, in order. */
  kills: Kill[];
  /** Bytes appended to a file after its reader's last read and before the reader was stopped: lost. */
  unseenBytesAtKill: number;
  unseenLinesAtKill: number;
  /**
   * Bytes written to a file after its reader was stopped (lost with the file). Measured at `stop()`
   * with `removal: 'virtual'`, where the file is still there; on disk the RotationWatcher sees them.
   */
  writtenAfterKillBytes: number;
  writtenAfterKillLines: number;
  /** Files that appeared after a file with a greater (newer) name had been listed. */
  olderNameCreated: string[];
  /** Files that came back after auto_removal deleted them. */
  recreatedAfterRemoval: string[];
  /** Followed files deleted or replaced by someone else (the reader read what was left and stopped). */
  deletedWhileFollowed: string[];
  /** Bytes of incomplete last lines held by readers when they were stopped (lost with the file). */
  tornBytesAtRemoval: number;
  /** Most files of one entry visible at a scan, and their bytes. */
  maxLiveFiles: number;
  maxLiveBytes: number;
  /** Longest time between two scans as it happened (load can stretch the schedule). */
  maxGapMs: number;
  /** Latest a scheduled scan, poll or removal ran after its time (timer lateness on a loaded machine). */
  maxLateMs: number;
  /** Readers started from a saved offset (state folder), `entry:file@offset`, in order. */
  restored: string[];
  /** Saved offsets applied to another file (inode) than they were read from (the agent checks none). */
  staleStateRestored: string[];
  /** Restarts (`resume()`). */
  restarts: number;
  /** Batches CloudWatch accepted. */
  batches: number;
  /** Lines read but not accepted when the agent crashed (`crash()`): read again only if the file is left. */
  droppedAtCrash: number;
  /** Crashes (`crash()`). */
  crashes: number;
  /**
   * Files auto_removal deleted while lines read from them were not yet accepted (`entry:file`): an agent
   * crash in that window loses those lines (CONTRACT §6.14).
   */
  removedBeforeAccepted: string[];
}

export interface AgentSimulatorOptions {
  readonly entries: readonly AnyEntry[];
  readonly seed: number;
  /** When scans run (readers poll on their own 250 ms clock whatever the schedule). */
  readonly schedule: Schedule;
  /** Receives every event; by default events are kept in `events`. */
  readonly onEvent?: (event: AgentEvent) => void;
  /** `count`: only count lines in `figures.events` (cheap, for many simulators at once). */
  readonly events?: 'keep' | 'count';
  /** Stop the other readers when a newer file appears, and delete their files (default true). */
  readonly autoRemoval?: boolean;
  /**
   * `disk` (default): auto_removal deletes the file. `virtual`: the removal is only recorded; the file
   * stays on disk but this simulator no longer sees it (unless it is created again under a new inode).
   */
  readonly removal?: 'disk' | 'virtual';
  /** No timers: time moves only with `advance(ms)`; the clock starts at `startMs` (default 0). */
  readonly manual?: boolean;
  readonly startMs?: number;
  /** Reader poll interval (default 250 ms, the agent's). */
  readonly pollMs?: number;
  /** From stopping a reader to removing its file (default 1 ms). */
  readonly removalDelayMs?: number;
  /** force_flush_interval: a batch is sent this long after its first line (default 5 s; 0: at once). */
  readonly flushMs?: number;
  /** From a batch's sending to its acceptance (default 50 ms). */
  readonly acceptMs?: number;
  /**
   * The agent's state folder (offsets per path). Default: a fresh one in memory, kept across
   * `pause()`/`resume()`; pass one to share it with another simulator or to keep it in real files.
   */
  readonly state?: AgentStateFolder;
}

interface Listed {
  readonly name: string;
  readonly ino: bigint;
  readonly mtimeNs: bigint;
  readonly size: number;
}

interface Reader {
  readonly name: string;
  readonly fd: number;
  readonly ino: bigint;
  /** Bytes consumed, a partial last line included (it waits in `carry`). */
  offset: number;
  carry: Buffer;
  nextPollAt: number;
  /** Size and modification time the previous poll saw (the polling watcher's memory). */
  polledSize: number;
  polledMtimeNs: bigint | undefined;
}

interface Removal {
  readonly at: number;
  readonly state: EntryState;
  readonly reader: Reader;
  readonly sizeAtKill: number;
}

/** Lines of one read, waiting in a batch or in flight: accepted together. */
interface ReadLines {
  readonly filePath: string;
  readonly file: string;
  /** The path's state generation at the read: a later `forget` of the path makes its save void. */
  readonly generation: number;
  /** Offset just past the last complete line (a line start): what the acceptance saves. */
  readonly end: number;
  readonly readAt: number;
  /** The lines, or only their number in `events: 'count'` mode. */
  readonly lines: string[] | undefined;
  readonly count: number;
}

/** A stream's batch (pusher/queue.go): lines gathered until the flush timer or a limit. */
interface Batch {
  readonly stream: string;
  reads: ReadLines[];
  events: number;
  bytes: number;
  /** When the flush timer fires (set by the first line of an empty batch). */
  flushAt: number;
}

/** A batch sent, waiting for CloudWatch's answer. */
interface Sent {
  readonly stream: string;
  readonly reads: ReadLines[];
  readonly at: number;
}

interface EntryState {
  readonly entry: AnyEntry;
  readonly autoRemoval: boolean;
  /** Live readers by file name (the agent's tailers of this entry). */
  readonly readers: Map<string, Reader>;
  /** Files auto_removal removed, with their inode and size when their reader stopped. */
  readonly removed: Map<string, { ino: bigint; sizeAtKill: number }>;
  /** Every name ever listed, and the greatest one. */
  readonly seen: Set<string>;
  newestSeen: string;
}

const NO_BYTES = Buffer.alloc(0);

function countNewlines(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) n++;
  return n;
}

export class AgentSimulator {
  readonly events: AgentEvent[] = [];
  readonly figures: AgentFigures = {
    scans: 0,
    events: 0,
    polls: 0,
    followed: [],
    removed: [],
    kills: [],
    unseenBytesAtKill: 0,
    unseenLinesAtKill: 0,
    writtenAfterKillBytes: 0,
    writtenAfterKillLines: 0,
    olderNameCreated: [],
    recreatedAfterRemoval: [],
    deletedWhileFollowed: [],
    tornBytesAtRemoval: 0,
    maxLiveFiles: 0,
    maxLiveBytes: 0,
    maxGapMs: 0,
    maxLateMs: 0,
    restored: [],
    staleStateRestored: [],
    restarts: 0,
    batches: 0,
    droppedAtCrash: 0,
    crashes: 0,
    removedBeforeAccepted: [],
  };

  private readonly random: () => number;
  private states: EntryState[];
  private readonly saved: AgentStateFolder;
  /** Paths ever followed, by any entry (the family's files that were read at some point). */
  private readonly followedPaths = new Set<string>();
  /** Inode of the file each saved offset was read from (in this process): a restore onto another counts. */
  private readonly savedIno = new Map<string, bigint>();
  /** Per path, how often its state was dropped (`forget`): an acceptance saves only for the current one. */
  private readonly generations = new Map<string, number>();
  private readonly batches = new Map<string, Batch>();
  private sent: Sent[] = [];
  private readonly pollMs: number;
  private readonly removalDelayMs: number;
  private readonly flushMs: number;
  private readonly acceptMs: number;
  private readonly manual: boolean;
  private readonly virtualRemoval: boolean;
  private removals: Removal[] = [];
  private clock: number;
  private timer: NodeJS.Timeout | undefined;
  /** Scans run on the schedule (after `start()`, until `stop()`). */
  private running = false;
  /** The agent is down: no scans, no polls. */
  private paused = false;
  private stopped = false;
  private nextScanAt = Infinity;
  private lastScan: number | undefined;
  private stopAfterScan: (() => void) | undefined;

  constructor(private readonly options: AgentSimulatorOptions) {
    this.random = prng(options.seed);
    this.pollMs = options.pollMs ?? POLL_MS;
    this.removalDelayMs = options.removalDelayMs ?? REMOVAL_DELAY_MS;
    this.flushMs = options.flushMs ?? FLUSH_MS;
    this.acceptMs = options.acceptMs ?? ACCEPT_MS;
    this.manual = options.manual === true;
    this.virtualRemoval = options.removal === 'virtual';
    this.clock = options.startMs ?? 0;
    this.saved = options.state ?? new AgentStateFolder();
    this.states = options.entries.map((entry) => this.newState(entry));
  }

  private newState(entry: AnyEntry): EntryState {
    return {
      entry,
      autoRemoval: entry.autoRemoval ?? (isExact(entry) ? false : this.options.autoRemoval !== false),
      readers: new Map(),
      removed: new Map(),
      seen: new Set(),
      newestSeen: '',
    };
  }

  /** The simulator's clock: wall-clock milliseconds, or the virtual clock in manual mode. */
  now(): number {
    return this.manual ? this.clock : Date.now();
  }

  /** Starts scanning on the schedule, after the agent's start-up clean-up of its state folder. */
  start(): void {
    this.saved.cleanup();
    this.running = true;
    const now = this.now();
    this.lastScan = now;
    this.nextScanAt = now + this.options.schedule(this.random, now);
    this.arm();
  }

  /**
   * The agent stops gracefully (SIGTERM; `resume()` restarts it): no scans, no polls; every batch is
   * sent and accepted, so the offsets of what was read are saved (the agent's state folder); readers are
   * dropped. Files they followed are not deleted — only a reader stopped for a newer file leads to a
   * removal — and on restart a wildcard entry follows only the newest file, so without an exact entry
   * for it the unread end of a file followed before the stop stays on disk (CONTRACT §6.3;
   * `unreadOnDisk`).
   */
  pause(): void {
    this.paused = true;
    clearTimeout(this.timer);
    this.runRemovals(Infinity);
    this.acceptAll();
    for (const state of this.states)
      for (const reader of [...state.readers.values()]) this.drop(state, reader);
  }

  /**
   * The agent dies at once (SIGKILL, an OOM kill, the node going away; `resume()` starts it again): what
   * its readers read and CloudWatch has not accepted is gone (`figures.droppedAtCrash`), its saved offsets
   * stay where the last acceptance left them, and a removal not yet done is not done. Files auto_removal
   * deleted already are gone with the lines of theirs that were still in a batch.
   */
  crash(): void {
    this.paused = true;
    clearTimeout(this.timer);
    this.figures.crashes++;
    for (const reads of [...this.batches.values()].map((b) => b.reads).concat(this.sent.map((s) => s.reads)))
      for (const read of reads) this.figures.droppedAtCrash += read.count;
    this.batches.clear();
    this.sent = [];
    for (const removal of this.removals) fs.closeSync(removal.reader.fd);
    this.removals = [];
    for (const state of this.states)
      for (const reader of [...state.readers.values()]) {
        state.readers.delete(reader.name);
        fs.closeSync(reader.fd);
      }
  }

  /**
   * The agent starts again, with `entries` as its new config if given (entries equal to old ones keep
   * what this simulator knows of them). Like the agent's Start, it first drops the saved offsets of
   * paths that no longer exist; each reader then starts from its path's saved offset.
   */
  resume(entries?: readonly AnyEntry[]): void {
    if (!this.paused) throw new Error('resume() without pause()');
    this.paused = false;
    this.figures.restarts++;
    if (entries !== undefined)
      this.states = entries.map(
        (entry) => this.states.find((state) => sameEntry(state.entry, entry)) ?? this.newState(entry),
      );
    this.saved.cleanup();
    const now = this.now();
    this.lastScan = now;
    if (this.running) this.nextScanAt = now + this.options.schedule(this.random, now);
    this.arm();
  }

  /**
   * Ends the run once the writers are done: waits for the next scheduled scan (so the last file is seen
   * as an agent would see it; at once when manual, paused or never started), then every reader reads to
   * EOF — what its next poll would do, as nothing is written any more — and pending removals are done.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    if (!this.manual && this.running && !this.paused) {
      await new Promise<void>((resolve) => {
        this.stopAfterScan = resolve;
      });
      return;
    }
    this.scanAll(this.now());
    this.finish();
  }

  /** Runs a scan now, out of schedule. */
  scan(): void {
    this.scanAll(this.now());
    this.arm();
  }

  /** Polls every reader now, out of schedule (each then polls again `pollMs` later). */
  poll(): void {
    const now = this.now();
    for (const state of this.states)
      for (const reader of [...state.readers.values()]) this.pollReader(state, reader, now);
    this.arm();
  }

  /** Manual mode: moves the clock `ms` forward, running the scans, polls and removals due on the way. */
  advance(ms: number): void {
    if (!this.manual) throw new Error('advance() is for manual mode; this simulator runs on timers');
    const target = this.clock + ms;
    this.runDue(target);
    this.clock = target;
  }

  /**
   * Names of the files of an entry (its wildcard's matches) that it sees now and that no entry ever
   * followed (never collected).
   */
  neverFollowed(entryName: string): string[] {
    const state = this.state(entryName);
    return this.visible(state)
      .map((f) => f.name)
      .filter((name) => !this.followedPaths.has(path.join(state.entry.dir, name)));
  }

  /**
   * Files of an entry that it sees now (on disk, not removed) with bytes it has not read, and from which
   * offset (a line start; 0 for a file never followed). After `stop()` these bytes are never uploaded:
   * files never the newest at a scan, and the unread end of files followed before a restart.
   */
  unreadOnDisk(entryName: string): Array<{ file: string; offset: number }> {
    const state = this.state(entryName);
    const out: Array<{ file: string; offset: number }> = [];
    for (const file of this.visible(state)) {
      const filePath = path.join(state.entry.dir, file.name);
      const reader = this.readerOf(filePath);
      const offset =
        reader !== undefined ? reader.offset - reader.carry.length : (this.saved.get(filePath) ?? 0);
      if (offset < file.size) out.push({ file: file.name, offset });
    }
    return out;
  }

  /** Every file name of an entry listed at some scan, in name (period) order. */
  seenNames(entryName: string): string[] {
    const state = this.states.find((s) => s.entry.name === entryName && !isExact(s.entry));
    return state === undefined ? [] : [...state.seen].sort();
  }

  /** The entry's wildcard entry (the family), else its first entry. */
  private state(entryName: string): EntryState {
    const state =
      this.states.find((s) => s.entry.name === entryName && !isExact(s.entry)) ??
      this.states.find((s) => s.entry.name === entryName);
    if (state === undefined) throw new Error(`no collect entry ${entryName}`);
    return state;
  }

  /** A live reader of that path, whichever entry it belongs to. */
  private readerOf(filePath: string): Reader | undefined {
    for (const state of this.states)
      for (const reader of state.readers.values())
        if (path.join(state.entry.dir, reader.name) === filePath) return reader;
    return undefined;
  }

  // ---- Scheduling: one timer for the earliest scan, poll or removal; ties run scan, poll, removal ----

  private nextDue(): { at: number; run: (now: number) => void } | undefined {
    let best: { at: number; rank: number; run: (now: number) => void } | undefined;
    const consider = (at: number, rank: number, run: (now: number) => void): void => {
      if (best === undefined || at < best.at || (at === best.at && rank < best.rank))
        best = { at, rank, run };
    };
    if (this.paused) return undefined;
    if (this.running) consider(this.nextScanAt, 0, (now) => this.scheduledScan(now));
    for (const state of this.states)
      for (const reader of state.readers.values())
        consider(reader.nextPollAt, 1, (now) => this.pollReader(state, reader, now));
    for (const removal of this.removals) consider(removal.at, 2, () => this.remove(removal));
    for (const batch of this.batches.values()) consider(batch.flushAt, 3, (now) => this.send(batch, now));
    for (const sent of this.sent) consider(sent.at, 4, (now) => this.accept(sent, now));
    return best;
  }

  /** Runs everything due up to `until`, in order of scheduled time. */
  private runDue(until: number): void {
    for (;;) {
      if (this.stopped) return;
      const due = this.nextDue();
      if (due === undefined || due.at > until) return;
      let now: number;
      if (this.manual) {
        this.clock = Math.max(this.clock, due.at);
        now = this.clock;
      } else {
        now = Date.now();
        this.figures.maxLateMs = Math.max(this.figures.maxLateMs, now - due.at);
      }
      due.run(now);
    }
  }

  private arm(): void {
    clearTimeout(this.timer);
    if (this.manual || this.stopped || this.paused) return;
    const due = this.nextDue();
    if (due === undefined) return;
    this.timer = setTimeout(
      () => {
        this.runDue(Date.now());
        this.arm();
      },
      Math.max(0, due.at - Date.now()),
    );
  }

  private scheduledScan(now: number): void {
    const scheduledAt = this.nextScanAt;
    this.scanAll(now);
    // Like Go's ticker, a late scan does not bunch the next ones: the schedule goes on from now.
    let next = scheduledAt + this.options.schedule(this.random, scheduledAt);
    if (next <= now) next = now + this.options.schedule(this.random, now);
    this.nextScanAt = next;
    if (this.stopAfterScan !== undefined) {
      const resolve = this.stopAfterScan;
      this.stopAfterScan = undefined;
      this.finish();
      resolve();
    }
  }

  private finish(): void {
    this.running = false;
    this.stopped = true;
    clearTimeout(this.timer);
    this.runRemovals(Infinity);
    for (const state of this.states)
      for (const reader of state.readers.values()) this.readToEof(state, reader);
    this.acceptAll();
    for (const state of this.states) {
      for (const reader of [...state.readers.values()]) this.drop(state, reader);
      if (this.virtualRemoval) this.measureWrittenAfterKill(state);
    }
  }

  // ---- The agent ----

  /** One scan of every entry: what the agent does each time its ticker fires. */
  private scanAll(now: number): void {
    if (this.lastScan !== undefined)
      this.figures.maxGapMs = Math.max(this.figures.maxGapMs, now - this.lastScan);
    this.lastScan = now;
    this.figures.scans++;
    for (const state of this.states) this.scanEntry(state, now);
  }

  /** The matching files this simulator sees: on disk, minus those it removed (virtual removal). */
  private visible(state: EntryState): Listed[] {
    const { entry } = state;
    let names: string[];
    if (isExact(entry)) {
      names = [entry.file]; // globpath: a path without wildcards is matched by a stat of that path
    } else {
      try {
        names = fs.readdirSync(entry.dir);
      } catch {
        return [];
      }
    }
    const files: Listed[] = [];
    for (const name of names) {
      if (!isExact(entry) && !name.startsWith(entry.prefix)) continue;
      let stat: fs.BigIntStats;
      try {
        stat = fs.statSync(path.join(entry.dir, name), { bigint: true });
      } catch {
        continue; // deleted between readdir and stat
      }
      if (!stat.isFile()) continue;
      const gone = state.removed.get(name);
      if (gone !== undefined && this.virtualRemoval && gone.ino === stat.ino) continue;
      // Nanosecond modification times, as Go's os.FileInfo.ModTime() has them.
      files.push({ name, ino: stat.ino, mtimeNs: stat.mtimeNs, size: Number(stat.size) });
    }
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private scanEntry(state: EntryState, now: number): void {
    const { entry } = state;
    const files = this.visible(state);
    if (!isExact(entry)) this.noteListing(state, files);

    // getTargetFiles: the latest modification time wins (strictly later); ties in map order.
    let target: Listed | undefined;
    let ties = 0;
    for (const file of files) {
      if (target === undefined || file.mtimeNs > target.mtimeNs) {
        target = file;
        ties = 1;
      } else if (file.mtimeNs === target.mtimeNs && this.random() < 1 / ++ties) {
        target = file;
      }
    }
    if (target === undefined || state.readers.has(target.name)) return;

    // A newest file no reader follows: stop every other reader (StopAtEOF), then follow it.
    if (state.autoRemoval) for (const reader of [...state.readers.values()]) this.kill(state, reader, now);
    this.follow(state, target, now);
  }

  /** Figures from a wildcard entry's listing: names seen, names going back, live files and bytes. */
  private noteListing(state: EntryState, files: Listed[]): void {
    const { entry } = state;
    let liveBytes = 0;
    for (const file of files) {
      liveBytes += file.size;
      const key = `${entry.name}:${file.name}`;
      if (state.removed.has(file.name)) {
        // Visible again after its removal: a new file under the old name.
        state.removed.delete(file.name);
        this.figures.recreatedAfterRemoval.push(key);
      }
      if (!state.seen.has(file.name)) {
        state.seen.add(file.name);
        if (file.name < state.newestSeen) this.figures.olderNameCreated.push(key);
        if (file.name > state.newestSeen) state.newestSeen = file.name;
      }
    }
    this.figures.maxLiveFiles = Math.max(this.figures.maxLiveFiles, files.length);
    this.figures.maxLiveBytes = Math.max(this.figures.maxLiveBytes, liveBytes);
  }

  private follow(state: EntryState, file: Listed, now: number): void {
    let fd: number;
    try {
      fd = fs.openSync(path.join(state.entry.dir, file.name), 'r');
    } catch {
      return; // gone since the listing: the agent fails to open it and tries at the next scan
    }
    const ino = fs.fstatSync(fd, { bigint: true }).ino;
    // stateManager.Restore: the saved offset of this path, whatever file is there now.
    const filePath = path.join(state.entry.dir, file.name);
    const offset = this.saved.get(filePath) ?? 0;
    const key = `${state.entry.name}:${file.name}`;
    if (offset > 0) {
      this.figures.restored.push(`${key}@${offset}`);
      const savedIno = this.savedIno.get(filePath);
      if (savedIno !== undefined && savedIno !== ino) this.figures.staleStateRestored.push(key);
    }
    const reader: Reader = {
      name: file.name,
      fd,
      ino,
      offset,
      carry: NO_BYTES,
      nextPollAt: now + this.pollMs,
      polledSize: offset,
      polledMtimeNs: undefined,
    };
    state.readers.set(file.name, reader);
    if (!this.followedPaths.has(filePath)) {
      this.followedPaths.add(filePath);
      this.figures.followed.push(key);
    }
    this.readToEof(state, reader);
  }

  /** The reader's poll: a changed size or modification time makes it read to EOF. */
  private pollReader(state: EntryState, reader: Reader, now: number): void {
    this.figures.polls++;
    // The poll loop sleeps 250 ms after each look: late looks push the next ones later.
    reader.nextPollAt = now + this.pollMs;
    let stat: fs.BigIntStats | undefined;
    try {
      stat = fs.statSync(path.join(state.entry.dir, reader.name), { bigint: true });
    } catch {
      stat = undefined;
    }
    if (stat === undefined || stat.ino !== reader.ino) {
      // Deleted or replaced by someone else: the reader reads what is left through its descriptor and
      // stops, and the path's state is deleted (FileDeletedCh). (Nothing for auto_removal to delete:
      // the agent's attempt fails.)
      this.readToEof(state, reader);
      this.drop(state, reader);
      this.forget(path.join(state.entry.dir, reader.name));
      this.figures.deletedWhileFollowed.push(`${state.entry.name}:${reader.name}`);
      return;
    }
    const size = Number(stat.size);
    const changed = size !== reader.polledSize || stat.mtimeNs !== reader.polledMtimeNs;
    reader.polledSize = size;
    reader.polledMtimeNs = stat.mtimeNs;
    if (size < reader.offset) {
      // Truncated: the agent reopens the file and reads it from the beginning.
      reader.offset = 0;
      reader.carry = NO_BYTES;
    }
    if (changed) this.readToEof(state, reader);
  }

  /** StopAtEOF on a reader waiting at EOF: it returns without reading; the file is removed soon after. */
  private kill(state: EntryState, reader: Reader, now: number): void {
    state.readers.delete(reader.name);
    const sizeAtKill = fs.fstatSync(reader.fd).size;
    const unseenBytes = Math.max(0, sizeAtKill - reader.offset);
    const unseenLines =
      unseenBytes > 0 ? countNewlines(this.readRange(reader.fd, reader.offset, sizeAtKill)) : 0;
    this.figures.unseenBytesAtKill += unseenBytes;
    this.figures.unseenLinesAtKill += unseenLines;
    this.figures.tornBytesAtRemoval += reader.carry.length;
    this.figures.kills.push({
      file: `${state.entry.name}:${reader.name}`,
      at: now,
      unseenBytes,
      unseenLines,
    });
    this.removals.push({ at: now + this.removalDelayMs, state, reader, sizeAtKill });
  }

  private runRemovals(until: number): void {
    for (const removal of this.removals.filter((r) => r.at <= until)) this.remove(removal);
  }

  /** auto_removal: deletes by path once the stopped reader is done (tailersrc.go cleanUp). */
  private remove(removal: Removal): void {
    this.removals = this.removals.filter((r) => r !== removal);
    const { state, reader, sizeAtKill } = removal;
    fs.closeSync(reader.fd);
    const key = `${state.entry.name}:${reader.name}`;
    if (!this.virtualRemoval) {
      try {
        fs.unlinkSync(path.join(state.entry.dir, reader.name));
      } catch {
        return; // already gone (retention, or the folder was deleted)
      }
    }
    state.removed.set(reader.name, { ino: reader.ino, sizeAtKill });
    this.figures.removed.push(key);
    const filePath = path.join(state.entry.dir, reader.name);
    if (this.unaccepted(filePath)) this.figures.removedBeforeAccepted.push(key);
    // The agent keeps this path's state file until its next start or its hourly clean-up
    // (cleanupStateFolder), so a file created again under the name within that time would be read from
    // the old offset. The transport never reuses a removed name (`recreatedAfterRemoval` flags it);
    // here the state goes with the file.
    this.forget(path.join(state.entry.dir, reader.name));
  }

  /**
   * A reader that ends without a removal (agent down, file gone, run over): what it read is accepted
   * already or will be (its batch), which saves its offset.
   */
  private drop(state: EntryState, reader: Reader): void {
    state.readers.delete(reader.name);
    fs.closeSync(reader.fd);
  }

  private forget(filePath: string): void {
    this.saved.delete(filePath);
    this.savedIno.delete(filePath);
    this.generations.set(filePath, (this.generations.get(filePath) ?? 0) + 1);
  }

  // ---- The output: batches per stream, sent on the flush timer or a limit, then accepted ----

  /** Puts the lines of one read into its stream's batch; a batch that would pass a limit is sent first. */
  private enqueue(entry: AnyEntry, reader: Reader, read: ReadLines, bytes: number, now: number): void {
    const stream = entry.name;
    let batch = this.batches.get(stream);
    if (
      batch !== undefined &&
      (batch.events + read.count > BATCH_EVENTS || batch.bytes + bytes > BATCH_BYTES)
    ) {
      this.send(batch, now);
      batch = undefined;
    }
    if (batch === undefined) {
      batch = { stream, reads: [], events: 0, bytes: 0, flushAt: now + this.flushMs };
      this.batches.set(stream, batch);
    }
    batch.reads.push(read);
    batch.events += read.count;
    batch.bytes += bytes;
    this.savedIno.set(read.filePath, reader.ino);
    if (this.flushMs === 0) this.send(batch, now);
  }

  private send(batch: Batch, now: number): void {
    this.batches.delete(batch.stream);
    const sent: Sent = { stream: batch.stream, reads: batch.reads, at: now + this.acceptMs };
    if (this.acceptMs === 0) this.accept(sent, now);
    else this.sent.push(sent);
  }

  /** CloudWatch accepted a batch: its lines are events, then the offsets they reach are saved. */
  private accept(sent: Sent, now: number): void {
    this.sent = this.sent.filter((s) => s !== sent);
    this.figures.batches++;
    const reached = new Map<string, ReadLines>();
    for (const read of sent.reads) {
      this.figures.events += read.count;
      if (read.lines !== undefined)
        for (const line of read.lines) {
          const event: AgentEvent = {
            entry: sent.stream,
            file: read.file,
            line,
            readAt: read.readAt,
            acceptedAt: now,
          };
          if (this.options.onEvent !== undefined) this.options.onEvent(event);
          else this.events.push(event);
        }
      reached.set(read.filePath, read);
    }
    for (const [filePath, read] of reached)
      if ((this.generations.get(filePath) ?? 0) === read.generation) this.saved.set(filePath, read.end);
  }

  /** Sends every batch and has it accepted now (a graceful stop, the end of a run). */
  private acceptAll(): void {
    const now = this.now();
    for (const batch of [...this.batches.values()]) this.send(batch, now);
    for (const sent of [...this.sent]) this.accept(sent, now);
  }

  /** True when lines read from the path wait in a batch or in flight. */
  private unaccepted(filePath: string): boolean {
    for (const batch of this.batches.values())
      if (batch.reads.some((read) => read.filePath === filePath)) return true;
    return this.sent.some((sent) => sent.reads.some((read) => read.filePath === filePath));
  }

  /** Virtual removal: what was written to each removed file after its reader stopped. */
  private measureWrittenAfterKill(state: EntryState): void {
    for (const [name, gone] of state.removed) {
      let fd: number;
      try {
        fd = fs.openSync(path.join(state.entry.dir, name), 'r');
      } catch {
        continue;
      }
      try {
        const stat = fs.fstatSync(fd, { bigint: true });
        const size = Number(stat.size);
        if (stat.ino !== gone.ino || size <= gone.sizeAtKill) continue;
        this.figures.writtenAfterKillBytes += size - gone.sizeAtKill;
        this.figures.writtenAfterKillLines += countNewlines(this.readRange(fd, gone.sizeAtKill, size));
      } finally {
        fs.closeSync(fd);
      }
    }
  }

  private readRange(fd: number, from: number, to: number): Buffer {
    const chunk = Buffer.allocUnsafe(to - from);
    let got = 0;
    while (got < chunk.length) {
      const n = fs.readSync(fd, chunk, got, chunk.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    return chunk.subarray(0, got);
  }

  /** Reads what was appended since the last read and puts its complete lines into the stream's batch. */
  private readToEof(state: EntryState, reader: Reader): void {
    const size = fs.fstatSync(reader.fd).size;
    if (size <= reader.offset) return;
    const chunk = this.readRange(reader.fd, reader.offset, size);
    reader.offset += chunk.length;
    const data = reader.carry.length > 0 ? Buffer.concat([reader.carry, chunk]) : chunk;
    const last = data.lastIndexOf(10);
    if (last === -1) {
      reader.carry = Buffer.from(data);
      return;
    }
    const complete = data.subarray(0, last + 1);
    let lines: string[] | undefined;
    let count: number;
    if (this.options.events === 'count') {
      count = countNewlines(complete);
    } else {
      lines = complete.toString('utf8', 0, last).split('\n');
      count = lines.length;
    }
    reader.carry = Buffer.from(data.subarray(last + 1));
    const filePath = path.join(state.entry.dir, reader.name);
    const now = this.now();
    const read: ReadLines = {
      filePath,
      file: reader.name,
      generation: this.generations.get(filePath) ?? 0,
      end: reader.offset - reader.carry.length,
      readAt: now,
      lines,
      count,
    };
    this.enqueue(state.entry, reader, read, complete.length - count + count * EVENT_OVERHEAD_BYTES, now);
  }
}
