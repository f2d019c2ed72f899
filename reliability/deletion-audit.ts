import * as fs from 'node:fs';
import * as path from 'node:path';

/** One family file that disappeared: its last size seen and when it was found gone. */
export interface Deletion {
  readonly file: string;
  readonly size: number;
  readonly at: number;
}

/**
 * Watches a logs folder (inotify, through fs.watch, and a look every 50 ms besides) and notes when each
 * file of the given families disappears and the size it had last. A test holds these against when
 * CloudWatch accepted each file's last byte (the stand-in agent's notes, `Sidecar.accepted()`): a file
 * must never go before.
 */
export class DeletionAudit {
  readonly deletions: Deletion[] = [];
  private readonly sizes = new Map<string, number>();
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly prefixes: readonly string[],
  ) {}

  start(): void {
    this.watcher = fs.watch(this.dir, (_event, name) => {
      if (name !== null) this.look(name);
    });
    // The folder going away (the test's clean-up) ends the watch; it is not an error of the run.
    this.watcher.on('error', () => this.watcher?.close());
    this.timer = setInterval(() => this.lookAll(), 50);
  }

  stop(): void {
    this.lookAll();
    this.watcher?.close();
    clearInterval(this.timer);
  }

  private lookAll(): void {
    const names = new Set(this.sizes.keys());
    let listed: string[] = [];
    try {
      listed = fs.readdirSync(this.dir);
    } catch {
      // The folder is gone: what was in it was noted gone below.
    }
    for (const name of listed) names.add(name);
    for (const name of names) this.look(name);
  }

  private look(name: string): void {
    if (!this.prefixes.some((prefix) => name.startsWith(prefix))) return;
    const file = path.join(this.dir, name);
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      const last = this.sizes.get(name);
      if (last !== undefined) {
        this.sizes.delete(name);
        this.deletions.push({ file, size: last, at: Date.now() });
      }
      return;
    }
    this.sizes.set(name, size);
  }
}

/**
 * The deletions that came before CloudWatch accepted the file's last byte: no accepted offset at least
 * the file's size, noted no later than the deletion was seen.
 */
export function deletedBeforeAccepted(
  deletions: readonly Deletion[],
  accepted: ReadonlyArray<{ file: string; offset: number; at: number }>,
): Deletion[] {
  return deletions.filter(
    (d) => !accepted.some((a) => a.file === d.file && a.offset >= d.size && a.at <= d.at),
  );
}
