import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The CloudWatch agent's state folder, as its source keeps it (docs/agent.md "Outages: leftover
 * files"; aws/amazon-cloudwatch-agent at ab55b8d):
 * - One file per followed path (`internal/state/state.go`, `FilePath`): the folder joined with the path
 *   in which `/`, space and `:` are replaced by `_`.
 * - Its text (`internal/state/range.go`, the single-range tracker used when `max_persist_state` is not
 *   set, `MaxPersistedItems: max(1, 0)` in `plugins/inputs/logfile/logfile.go`): the offset up to which
 *   the lines were handed over as uploaded, a newline, the path, and — when the offset is above 0 — a
 *   newline and the range `0-<offset>`.
 * - Read when a tailer starts on that path (`stateManager.Restore` in `FindLogSrc`): the tailer seeks
 *   to the offset; no file means "from the beginning" (`from_beginning` defaults to true).
 * - Written by the state manager (`internal/state/manager.go`) at most every 100 ms after the output
 *   acknowledged a batch; deleted when the tailer sees its file deleted; and, at the agent's start and
 *   every hour, a state file whose path no longer exists is deleted (`cleanupStateFolder`).
 *
 * Without a folder the offsets live in memory (one simulator, several restarts). With one, they are
 * real files in the agent's format, so another process (the sidecar's supervisor, a simulator started
 * again) reads them as it would read the agent's.
 */
export class AgentStateFolder {
  private readonly memory = new Map<string, number>();

  /**
   * @param dir the folder, or undefined to keep the offsets in memory.
   * @param beforeSave runs before an offset is saved: a stand-in agent writes the lines it "uploaded"
   *   there first, so the saved offset never runs ahead of what was uploaded (the agent saves only
   *   acknowledged ranges).
   */
  constructor(
    readonly dir?: string,
    private readonly beforeSave?: () => void,
  ) {
    if (dir !== undefined) fs.mkdirSync(dir, { recursive: true });
  }

  /** The offset saved for `filePath`, or undefined when there is no state for it. */
  get(filePath: string): number | undefined {
    if (this.dir === undefined) return this.memory.get(filePath);
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.dir, stateFileName(filePath)), 'utf8');
    } catch {
      return undefined;
    }
    return parseState(text)?.offset;
  }

  set(filePath: string, offset: number): void {
    this.beforeSave?.();
    if (this.dir === undefined) {
      this.memory.set(filePath, offset);
      return;
    }
    fs.writeFileSync(path.join(this.dir, stateFileName(filePath)), formatState(filePath, offset));
  }

  delete(filePath: string): void {
    if (this.dir === undefined) {
      this.memory.delete(filePath);
      return;
    }
    fs.rmSync(path.join(this.dir, stateFileName(filePath)), { force: true });
  }

  /** The agent's start-up clean-up: drops the state of every path that no longer exists. */
  cleanup(): void {
    if (this.dir === undefined) {
      for (const filePath of [...this.memory.keys()])
        if (!fs.existsSync(filePath)) this.memory.delete(filePath);
      return;
    }
    for (const name of fs.readdirSync(this.dir)) {
      const file = path.join(this.dir, name);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      const saved = parseState(text);
      if (saved?.path === undefined || !fs.existsSync(saved.path)) fs.rmSync(file, { force: true });
    }
  }
}

/** The state file's name for a path (`internal/state/state.go`, `escapeFilePath`). */
export function stateFileName(filePath: string): string {
  return filePath.replace(/[/ :]/g, '_');
}

/** A state file's text, as the single-range tracker writes it (`internal/state/range.go`). */
export function formatState(filePath: string, offset: number): string {
  return offset > 0 ? `${offset}\n${filePath}\n0-${offset}` : `${offset}\n${filePath}`;
}

/**
 * What the agent restores from a state file's text (`internal/state/range.go`, UnmarshalText reads the
 * first line only): the offset, and the path on the second line if there is one; undefined when the
 * first line is not a whole number.
 */
export function parseState(text: string): { offset: number; path: string | undefined } | undefined {
  const [first, second] = text.split('\n');
  if (!/^\d+$/.test(first)) return undefined;
  return { offset: Number(first), path: second };
}

/**
 * How far the sidecar counts the file at `filePath` as accepted by CloudWatch, from its state file's
 * text: the offset when the second line is that path and the ranges are absent or exactly `0-<offset>`
 * (with `max_persist_state` there can be gaps: not counted); otherwise undefined. The supervisor's
 * rule (cloudwatch-agent/supervisor); both sides are checked against cloudwatch-agent/testdata/agent-state.json.
 */
export function uploadedOffset(text: string, filePath: string): number | undefined {
  const [first, second, ranges, ...more] = text.split('\n');
  const saved = parseState(text);
  if (saved === undefined || second !== filePath || more.length > 0) return undefined;
  if (ranges !== undefined && ranges !== `0-${first}`) return undefined;
  return saved.offset;
}
