/**
 * Checks a stream of CloudWatch lines against what the writers logged: numbered records
 * `{ seq }` per `app`/`process`, `seq` from 0 to `expected - 1`. Counts invalid JSON, duplicates,
 * lines out of order within a writer, and (at the end) what is missing. Memory: one byte per
 * expected record, so a million lines are cheap.
 */
export interface VerifierFigures {
  lines: number;
  invalidJson: number;
  /** Valid lines without a numeric `seq` (e.g. a writer's own start-up lines). */
  unnumbered: number;
  duplicates: number;
  outOfOrder: number;
  /** Records whose `padLen` says how long their `pad` was, and whose pad is not that long. */
  damagedPads: number;
  /** First few problems, for the failure message. */
  samples: string[];
}

interface Writer {
  seen: Uint8Array;
  last: number;
  /** Records the writer logged: `seen.length` unless `setLogged` said fewer. */
  logged: number;
}

export class LineVerifier {
  readonly figures: VerifierFigures = {
    lines: 0,
    invalidJson: 0,
    unnumbered: 0,
    duplicates: 0,
    outOfOrder: 0,
    damagedPads: 0,
    samples: [],
  };
  private readonly writers = new Map<string, Writer>();

  /** @param expected records per writer, keyed `app/process` */
  constructor(expected: Readonly<Record<string, number>>) {
    for (const [key, n] of Object.entries(expected))
      this.writers.set(key, { seen: new Uint8Array(n), last: -1, logged: n });
  }

  /**
   * For a writer that logs until a time rather than a count (the constructor then got an upper bound):
   * how many records it logged, once it has said so. `missing()` counts only those.
   */
  setLogged(key: string, n: number): void {
    const writer = this.writers.get(key);
    if (writer === undefined) throw new Error(`no writer ${key}`);
    if (n > writer.seen.length)
      throw new Error(`${key} logged ${n} records, more than the ${writer.seen.length} expected at most`);
    writer.logged = n;
  }

  /** Takes one line (without its newline); `where` names its origin for messages. */
  add(line: string, where: string): Record<string, unknown> | undefined {
    const { figures } = this;
    figures.lines++;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      figures.invalidJson++;
      this.sample(`invalid JSON in ${where}: ${line.slice(0, 120)}`);
      return undefined;
    }
    const { seq } = record;
    if (typeof seq !== 'number') {
      figures.unnumbered++;
      return record;
    }
    const key = `${String(record.app)}/${String(record.process)}`;
    const writer = this.writers.get(key);
    if (writer === undefined || seq < 0 || seq >= writer.seen.length) {
      this.sample(`unexpected record ${key} seq ${seq} in ${where}`);
      figures.duplicates++;
      return record;
    }
    if (writer.seen[seq] === 1) {
      figures.duplicates++;
      this.sample(`duplicate ${key} seq ${seq} in ${where}`);
    }
    writer.seen[seq] = 1;
    if (seq < writer.last) {
      figures.outOfOrder++;
      this.sample(`${key} seq ${seq} after ${writer.last} in ${where}`);
    }
    writer.last = Math.max(writer.last, seq);
    if (typeof record.padLen === 'number' && (record.pad as string | undefined)?.length !== record.padLen) {
      figures.damagedPads++;
      this.sample(`${key} seq ${seq}: pad damaged in ${where}`);
    }
    return record;
  }

  /** Records not seen, per writer (0 everywhere when nothing was lost). */
  missing(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, writer] of this.writers) {
      let n = 0;
      for (let i = 0; i < writer.logged; i++) if (writer.seen[i] === 0) n++;
      out[key] = n;
    }
    return out;
  }

  totalMissing(): number {
    return Object.values(this.missing()).reduce((a, b) => a + b, 0);
  }

  private sample(message: string): void {
    if (this.figures.samples.length < 10) this.figures.samples.push(message);
  }
}
