import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Watches a file family for "old before new" (CONTRACT §2): no byte may be written to a period's
 * file once a newer period's file exists. It opens every file as soon as it sees it and keeps the
 * descriptor, so it still sees the file's size after auto_removal deleted it; when a newer name
 * appears it notes the older files' sizes; at the end any file that grew after that point was
 * written after a newer file existed. Detection starts when the watcher notices the newer file
 * (fs.watch, with a polling backstop), so it is a lower bound: the exactly-once count covers the rest.
 */
export interface LateWrite {
  file: string;
  sizeWhenNewerSeen: number;
  finalSize: number;
}

interface Watched {
  readonly name: string;
  readonly fd: number;
  sizeWhenNewerSeen: number | undefined;
}

export class RotationWatcher {
  private readonly files = new Map<string, Watched>();
  private newest = '';
  private watcher: fs.FSWatcher | undefined;
  private poller: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    private readonly pollMs = 10,
  ) {}

  start(): void {
    try {
      this.watcher = fs.watch(this.dir, () => this.check());
      this.watcher.on('error', () => undefined);
    } catch {
      // Polling alone still works.
    }
    this.poller = setInterval(() => this.check(), this.pollMs);
    this.check();
  }

  /** Stops watching; returns every file that grew after a newer one had been seen, and the final sizes. */
  stop(): { late: LateWrite[]; sizes: Record<string, number> } {
    this.check();
    this.watcher?.close();
    clearInterval(this.poller);
    const late: LateWrite[] = [];
    const sizes: Record<string, number> = {};
    for (const file of this.files.values()) {
      const finalSize = fs.fstatSync(file.fd).size;
      sizes[file.name] = finalSize;
      if (file.sizeWhenNewerSeen !== undefined && finalSize > file.sizeWhenNewerSeen) {
        late.push({ file: file.name, sizeWhenNewerSeen: file.sizeWhenNewerSeen, finalSize });
      }
      fs.closeSync(file.fd);
    }
    this.files.clear();
    return { late, sizes };
  }

  /** How many distinct files of the family were seen. */
  get seen(): number {
    return this.files.size;
  }

  /** Looks at the folder now (also runs on fs.watch events and every `pollMs`). */
  check(): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    let grew = false;
    for (const name of names) {
      if (!name.startsWith(this.prefix) || this.files.has(name)) continue;
      let fd: number;
      try {
        fd = fs.openSync(path.join(this.dir, name), 'r');
      } catch {
        continue;
      }
      this.files.set(name, { name, fd, sizeWhenNewerSeen: undefined });
      if (name > this.newest) {
        this.newest = name;
        grew = true;
      }
    }
    if (!grew) return;
    for (const file of this.files.values()) {
      if (file.name < this.newest && file.sizeWhenNewerSeen === undefined) {
        file.sizeWhenNewerSeen = fs.fstatSync(file.fd).size;
      }
    }
  }
}
