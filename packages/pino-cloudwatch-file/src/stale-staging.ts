import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Clock } from './clock';
import type { Family } from './family';
import type { Settings } from './options';
import { OwnedTimer } from './owned-timer';
import type { Reporter } from './reporter';
import { countLines } from './disk-backlog';
import { unlinkStagedQuietly } from './safe-open';
import { parseStagingName, STAGING_DIR, stagingOwner, stagingPath } from './staging';

/** A staging file of another writer unchanged for this long is one a writer that died left behind. */
export const STALE_STAGING_MS = 10_000;

/**
 * Adoption of stale staging files: the staging files of writers that died inside their quiet gap
 * (killed, or out of time at exit). Their lines are written by this writer like any others (late
 * lines of its open file), then the stale file is removed.
 * Invariants: a staging file still changing may belong to a live writer and is only looked at again
 * later (one owned timer); of writers starting together only one adopts a file (claimed by a rename);
 * a stale file is removed only once its lines are on disk elsewhere.
 */
export class StaleStagingAdoption {
  private readonly recheck = new OwnedTimer();

  /**
   * `write` takes whole lines and returns whether they are on disk (false: held in memory, then the
   * stale file stays too).
   */
  constructor(
    private readonly settings: Settings,
    private readonly family: Family,
    private readonly owner: string,
    private readonly reporter: Reporter,
    private readonly clock: Clock,
    private readonly write: (lines: Buffer) => boolean,
  ) {}

  adopt(): void {
    const { settings } = this;
    const stagingDir = path.join(settings.dir, STAGING_DIR);
    let names: string[];
    try {
      names = fs.readdirSync(stagingDir).sort();
    } catch {
      return;
    }
    let recheckIn: number | undefined;
    for (const name of names) {
      const parsed = parseStagingName(name, settings.baseName, (s) => this.family.isSuffix(s));
      if (parsed === undefined || parsed.owner === this.owner) continue;
      const stale = path.join(stagingDir, name);
      try {
        const age = this.clock.fileTime() - fs.statSync(stale).mtimeMs;
        if (age < STALE_STAGING_MS) {
          recheckIn = Math.min(recheckIn ?? STALE_STAGING_MS, STALE_STAGING_MS - age);
          continue;
        }
        // Claimed by a rename: of writers starting together only one gets it (the others: ENOENT).
        // The claimed file looks fresh, so it is adopted again only if this writer dies meanwhile.
        const claimed = stagingPath(settings.dir, settings.baseName, parsed.suffix, stagingOwner());
        fs.renameSync(stale, claimed);
        const t = new Date();
        fs.utimesSync(claimed, t, t);
        const data = fs.readFileSync(claimed);
        const whole =
          data.length === 0 || data[data.length - 1] === 10 ? data : Buffer.concat([data, Buffer.from('\n')]);
        if (!this.write(whole)) continue; // not written yet: keep the stale file on disk too
        unlinkStagedQuietly(claimed);
        this.reporter.note(`wrote ${countLines(whole)} line(s) left in ${stale} by a writer that stopped`);
      } catch {
        // Removed meanwhile (its owner placed it), or unreadable: looked at again at the next start.
      }
    }
    if (recheckIn !== undefined) this.recheck.once(recheckIn + 10, () => this.adopt());
  }

  stop(): void {
    this.recheck.stop();
  }
}
