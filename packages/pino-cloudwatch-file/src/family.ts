import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Settings } from './options';
import { parseSuffix, periodOf, type Period } from './period';
import type { NewestFile } from './quiet-gap';
import { familyMembers } from './retention';

/** The newest file of the family as this process left it, to tell its own writes from others'. */
export interface LastClosed {
  /** Its period suffix. */
  readonly name: string;
  /** Another process wrote to it too: its own last write is not the file's. */
  readonly shared: boolean;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  /** Monotonic time of this process's last write to it, if it wrote any. */
  readonly lastWriteAt: number | undefined;
  readonly visibleSince: number;
}

/** The newest visible file of the family, as found on disk. */
export interface OnDisk {
  /** Its period suffix. */
  readonly name: string;
  readonly path: string;
  readonly evidence: NewestFile;
}

/**
 * The family of one base path: `<file>.<suffix>`, one file per period. Names and periods here are
 * pure; `newestOnDisk` and `names` read the log folder (a directory listing and an lstat, no more).
 */
export class Family {
  constructor(private readonly settings: Settings) {}

  /** The period `time` (epoch ms) falls in. */
  periodAt(time: number): Period {
    const { periodMs, suffixStyle, utc } = this.settings;
    return periodOf(time, periodMs, suffixStyle, utc);
  }

  /** The period a suffix names, or undefined when it names none of this frequency. */
  periodOfName(name: string): Period | undefined {
    const { settings } = this;
    const start = parseSuffix(name, settings.suffixStyle, settings.utc);
    return start === undefined ? undefined : this.periodAt(start);
  }

  isSuffix(name: string): boolean {
    return parseSuffix(name, this.settings.suffixStyle, this.settings.utc) !== undefined;
  }

  /** The path of the file of the period named `name`. */
  path(name: string): string {
    return `${this.settings.file}.${name}`;
  }

  /** The file names of the family in the log folder, oldest first; throws when it cannot be read. */
  fileNames(): string[] {
    const { settings } = this;
    return familyMembers(fs.readdirSync(settings.dir), settings.baseName, settings.suffixStyle, settings.utc)
      .map((m) => m.name)
      .sort();
  }

  /**
   * The newest file of the family visible in the log folder, with the evidence the quiet gap needs:
   * its times, and this process's own when it is the file this process closed last, untouched since.
   */
  newestOnDisk(lastClosed: LastClosed | undefined): OnDisk | undefined {
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
      const mine = lastClosed?.name === name ? lastClosed : undefined;
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
}
