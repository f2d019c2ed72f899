import { periodOf } from 'pino-cloudwatch-file';
import { AgentSimulator, type CollectEntry, type Schedule } from './agent-simulator';
import { lastJson, linesOnDisk, startFixture, type ChildResult } from './helpers';
import { LineVerifier, type VerifierFigures } from './line-verifier';
import { RotationWatcher, type LateWrite } from './rotation-watcher';

/** One writer process (or cluster) started from fixtures/writer.js. */
export interface WriterSpec {
  file: string;
  app: string;
  proc: string;
  lines: number;
  frequency: number;
  durationMs?: number;
  burst?: number;
  cluster?: number;
  padEvery?: number;
  padBytes?: number;
  options?: Record<string, unknown>;
}

export interface ScenarioResult {
  writers: ChildResult[];
  agent: AgentSimulator;
  verifier: LineVerifier;
  verifierFigures: VerifierFigures;
  /** Lines uploaded, per entry. */
  uploaded: Record<string, number>;
  /** Files that were on disk at the end and never followed (the agent never collects them, §6.1). */
  neverFollowed: Record<string, string[]>;
  /**
   * Never-followed files other than each entry's first file. The first file is created when the
   * writer starts, part-way through a period, so it can be the newest for less than one scan gap
   * and be skipped by a faithful agent (§6.1); any later file lives a full period.
   */
  skippedAfterStart: string[];
  /**
   * True when some real gap between scans reached the shortest period (a starved machine): then a
   * faithful agent may skip any file, and only the exactly-once accounting (uploaded + left on disk)
   * speaks for the transport.
   */
  agentFellBehind: boolean;
  /** Lines sitting in never-followed files (not uploaded, not lost: still on disk). */
  linesLeftOnDisk: number;
  /** Files written after a newer file of their family existed (RotationWatcher). */
  lateWrites: LateWrite[];
  /** Distinct files per entry (rotations + 1). */
  files: Record<string, number>;
  largestFileBytes: number;
  /** Uploaded lines whose own period is newer than their file's (must be 0). */
  inOlderFile: number;
  /** Uploaded lines in a later file than their own period's (late records, allowed). */
  lateRecords: number;
  elapsedMs: number;
}

/**
 * Runs writers against the agent simulator until they exit and the agent has drained, feeding every
 * uploaded line to a LineVerifier. `during` runs while they write (pause the agent, inject faults).
 */
export async function runWithAgent({
  entries,
  writers,
  schedule,
  seed,
  during,
}: {
  entries: CollectEntry[];
  writers: WriterSpec[];
  schedule: Schedule;
  seed: number;
  during?: (agent: AgentSimulator) => Promise<void>;
}): Promise<ScenarioResult> {
  const expected: Record<string, number> = {};
  for (const w of writers) {
    for (let i = 0; i < (w.cluster ?? 1); i++) {
      expected[`${w.app}/${w.cluster ? `${w.proc}-${i}` : w.proc}`] = w.lines;
    }
  }
  const verifier = new LineVerifier(expected);
  const uploaded: Record<string, number> = {};
  const fileSets: Record<string, Set<string>> = {};
  const frequencyOf = new Map(entries.map((e) => [e.name, writers.find((w) => w.app === e.name)?.frequency]));
  let inOlderFile = 0;
  let lateRecords = 0;
  const agent = new AgentSimulator({
    entries,
    seed,
    schedule,
    onEvent: (event) => {
      uploaded[event.entry] = (uploaded[event.entry] ?? 0) + 1;
      (fileSets[event.entry] ??= new Set()).add(event.file);
      const record = verifier.add(event.line, `${event.entry}:${event.file}`);
      const frequency = frequencyOf.get(event.entry);
      if (record === undefined || frequency === undefined) return;
      const own = periodOf(Date.parse(record['@timestamp'] as string), frequency, 'second', true).name;
      const suffix = event.file.slice(event.file.lastIndexOf('.') + 1);
      if (own > suffix) inOlderFile++;
      else if (own < suffix) lateRecords++;
    },
  });
  const watchers = entries.map((e) => new RotationWatcher(e.dir, e.prefix));
  const started = Date.now();
  for (const w of watchers) w.start();
  agent.start();
  const children = writers.map((w) => startFixture('writer.js', w));
  if (during !== undefined) await during(agent);
  const results = await Promise.all(children.map((c) => c.done));
  agent.stop();
  const elapsedMs = Date.now() - started;
  const lateWrites: LateWrite[] = [];
  let largestFileBytes = 0;
  for (const w of watchers) {
    const { late, sizes } = w.stop();
    lateWrites.push(...late);
    largestFileBytes = Math.max(largestFileBytes, ...Object.values(sizes));
  }
  const verifierFigures = { ...verifier.figures, samples: [...verifier.figures.samples] };
  const neverFollowed: Record<string, string[]> = {};
  const skippedAfterStart: string[] = [];
  let linesLeftOnDisk = 0;
  for (const entry of entries) {
    const left = agent.neverFollowed(entry.name);
    neverFollowed[entry.name] = left;
    const [first] = agent.seenNames(entry.name);
    skippedAfterStart.push(...left.filter((name) => name !== first).map((name) => `${entry.name}:${name}`));
    if (left.length === 0) continue;
    // Count them into the verifier after the upload figures were taken: nothing may be in both.
    for (const line of linesOnDisk(entry.dir, entry.prefix)) {
      if (!left.includes(line.file)) continue;
      linesLeftOnDisk++;
      verifier.add(line.text, `left on disk ${line.file}`);
    }
  }
  const files: Record<string, number> = {};
  for (const [entry, set] of Object.entries(fileSets)) files[entry] = set.size;
  return {
    writers: results,
    agent,
    verifier,
    verifierFigures,
    uploaded,
    neverFollowed,
    skippedAfterStart,
    agentFellBehind: agent.figures.maxGapMs >= Math.min(...writers.map((w) => w.frequency)),
    linesLeftOnDisk,
    lateWrites,
    files,
    largestFileBytes,
    inOlderFile,
    lateRecords,
    elapsedMs,
  };
}

/** Summary of a writer's stdout: `{ proc, lines, elapsedMs }` (the last one for a cluster). */
export function writerSummary(result: ChildResult): { proc: string; lines: number; elapsedMs: number } {
  return lastJson(result.stdout);
}
