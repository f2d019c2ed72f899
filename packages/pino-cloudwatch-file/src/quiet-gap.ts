/**
 * When the next file of a family may appear under a name the agent's glob matches (CONTRACT §2,
 * "quiet gap", and §6.9–6.10). Pure: the caller gathers the evidence, this only weighs it.
 *
 * The agent follows only the newest file of a glob. It sees new bytes of an idle file only through a
 * poll every 250 ms, and once a scan (every 1 s) finds a newer file it stops the old reader without
 * reading what its last poll did not see, then deletes the file. And a file that is never the newest
 * at one of its scans is never read. So a new file may appear only when
 * - the newest existing file has had no byte written for QUIET_MS (its reader's poll saw the end), and
 * - the newest existing file has been there for MIN_NEWEST_MS (a scan found it and started reading),
 * - and, after a period boundary, QUIET_MS have passed since the boundary (a process sharing the base
 *   name that read its clock just before the boundary may still be writing the old file).
 */

/** No newer file appears until the newest one has had no write for this long (CONTRACT §2: ≥ 500 ms). */
export const QUIET_MS = 500;
/**
 * A file stays the newest for at least this long before a newer one appears: longer than the agent's
 * 1 s scan interval, with room for a late scan.
 */
export const MIN_NEWEST_MS = 1500;
/**
 * File times come from the kernel's coarse clock, a few milliseconds behind the time a program reads:
 * evidence from file times gets this much more.
 */
export const FILE_TIME_SLACK_MS = 20;

/** What is known of the newest file of the family that is already visible under its name. */
export interface NewestFile {
  /** Last modification, from the file (real clock, epoch ms). */
  readonly mtimeMs: number;
  /** Last status change, from the file (real clock): never earlier than the moment it got its name. */
  readonly ctimeMs: number;
  /**
   * Set when this process wrote it last and nobody has changed it since (size and modification time
   * as this process left them): the time of that last write and the time it first knew the file
   * visible, on the monotonic clock (a wall-clock step must not make a write look older than it is).
   */
  readonly own?: { readonly lastWriteAt: number | undefined; readonly visibleSince: number };
  /**
   * Set when this process knows the file visible since then (it created, placed or opened it), on the
   * monotonic clock, even if others wrote to it since.
   */
  readonly knownSince?: number;
}

/** The three clocks the rules read. */
export interface GapClocks {
  /** The settings clock (wall time, injectable): period boundaries. */
  readonly wall: number;
  /** A monotonic clock: this process's own writes and sightings. */
  readonly elapsed: number;
  /** The real wall clock, the one file times are on: evidence from the files. */
  readonly real: number;
}

/**
 * Milliseconds until a file of the period starting at `periodStart` may appear beside `newest`
 * (0 or less: now).
 */
export function quietGapLeft(periodStart: number, newest: NewestFile | undefined, clocks: GapClocks): number {
  if (newest === undefined) return 0;
  const sinceBoundary = periodStart + QUIET_MS - clocks.wall;
  // A file this process opened but never wrote to sets no quiet time of its own.
  const ownWrite = newest.own?.lastWriteAt;
  const quiet =
    newest.own !== undefined
      ? ownWrite === undefined
        ? sinceBoundary
        : ownWrite + QUIET_MS - clocks.elapsed
      : newest.mtimeMs + FILE_TIME_SLACK_MS + QUIET_MS - clocks.real;
  // Any upper bound of the moment it appeared will do: the status change time, or when this process
  // first knew it.
  const known = newest.own?.visibleSince ?? newest.knownSince;
  const newestFor = Math.min(
    newest.ctimeMs + FILE_TIME_SLACK_MS + MIN_NEWEST_MS - clocks.real,
    known === undefined ? Infinity : known + MIN_NEWEST_MS - clocks.elapsed,
  );
  return Math.max(sinceBoundary, quiet, newestFor);
}
