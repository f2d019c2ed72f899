import type { Clock } from './clock';
import type { Family } from './family';
import type { Reporter } from './reporter';

/**
 * Older files of the family still on disk this long after a newer one was seen are reported: the
 * agent deletes a file within seconds of a newer one appearing.
 */
export const UNCLAIMED_MS = 10 * 60_000;
/** How often the log folder is looked at for them, between rotations. */
export const UNCLAIMED_CHECK_MS = UNCLAIMED_MS / 10;

/**
 * When each older file of the family was first seen beside a newer one. Pure: the caller lists the
 * family and reads the clock. Invariant: a name is forgotten as soon as it is no longer an older file,
 * so a file that comes back is timed afresh.
 */
export class UnclaimedTracker {
  private readonly olderSince = new Map<string, number>();

  /** Takes the family's file names (oldest first) at `now`; returns the older ones seen for UNCLAIMED_MS, sorted. */
  update(names: readonly string[], now: number): string[] {
    const older = new Set(names.slice(0, -1));
    for (const name of this.olderSince.keys()) if (!older.has(name)) this.olderSince.delete(name);
    for (const name of older) if (!this.olderSince.has(name)) this.olderSince.set(name, now);
    return [...this.olderSince]
      .filter(([, since]) => now - since >= UNCLAIMED_MS)
      .map(([name]) => name)
      .sort();
  }
}

/**
 * The watch on old files the agent never took: says once when older files of the family stay on disk
 * long after a newer one appeared — the agent removes a file within seconds of a newer one, so it is
 * down, lagging, or never saw them (it only reads the newest file of a glob) — and once when they are
 * gone. Looked at after each rotation and every UNCLAIMED_CHECK_MS.
 */
export class UnclaimedFilesWatch {
  private readonly tracker = new UnclaimedTracker();
  /** Wall-clock time of the last look; undefined before the first. */
  private lookedAt: number | undefined;

  constructor(
    private readonly file: string,
    private readonly family: Family,
    private readonly reporter: Reporter,
    private readonly clock: Clock,
  ) {}

  /** Looks if the last look is UNCLAIMED_CHECK_MS old (or the clock went back). */
  lookIfDue(): void {
    const now = this.clock.wall();
    const last = this.lookedAt;
    if (last === undefined || now < last || now >= last + UNCLAIMED_CHECK_MS) this.look();
  }

  look(): void {
    const now = this.clock.wall();
    this.lookedAt = now;
    let names: string[];
    try {
      names = this.family.fileNames();
    } catch {
      return;
    }
    const stale = this.tracker.update(names, now);
    const { file } = this;
    if (stale.length === 0) {
      this.reporter.resolved('leftover', `the older files of ${file}.* are gone: the agent collects again`);
      return;
    }
    this.reporter.problem(
      'leftover',
      `${stale.length} older file(s) of ${file}.* are still on disk ${Math.round(UNCLAIMED_MS / 60_000)} minutes ` +
        `after a newer one appeared (oldest: ${stale[0]}). The CloudWatch agent has not collected them: check that ` +
        `the agent is running, that its file_path matches ${file}.*, and its log for errors ` +
        `(it reads only the newest file of a glob, so files from a time it was down stay unread). ` +
        `The toolkit's agent sidecar uploads and removes such files when the agent starts again; otherwise retention deletes them after its caps.`,
    );
  }
}
