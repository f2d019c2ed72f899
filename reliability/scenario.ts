import * as fs from 'node:fs';
import * as path from 'node:path';
import { utcPeriodName } from 'pino-cloudwatch-test-support';
import { AgentSimulator, agentSchedule, type CollectEntry, type Schedule } from './agent-simulator';
import { familyFiles, lastJson, startFixture, type ChildResult } from './helpers';
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
  /** Lines per second, logged steadily (fixtures/writer.js). */
  rate?: number;
  /** Wait for the next period boundary before the first record: the first file lives a whole period. */
  startAtBoundary?: boolean;
  /** With `rate`: log until this long after the first boundary `durationMs` in; `lines` is then a cap. */
  endAfterBoundaryMs?: number;
  /** Wait for the worker, then until this time (epoch ms) before the first record. */
  beginAtMs?: number;
  /** With `rate`: log until this time (epoch ms); `lines` is then a cap. */
  endAtMs?: number;
  /** How the run ends: 'end' (flush, end, wait for close; the default), 'exit' (process.exit), 'uncaught'. */
  exitWith?: 'end' | 'exit' | 'uncaught';
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
  /**
   * Lines on disk the agent never read and never will: in never-followed files, and the unread end of a
   * file followed before an agent restart (not uploaded, not lost: still on disk).
   */
  linesLeftOnDisk: number;
  /** Records each writer logged, keyed `app/process`. */
  logged: Record<string, number>;
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
  const verifier = new LineVerifier(expectedAtMost(writers));
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
      const own = utcPeriodName(Date.parse(record['@timestamp'] as string), frequency, 'second');
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
  await agent.stop();
  const elapsedMs = Date.now() - started;
  const logged = loggedCounts(writers, results);
  for (const [key, n] of Object.entries(logged)) verifier.setLogged(key, n);
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
    // Count them into the verifier after the upload figures were taken: nothing may be in both.
    for (const { file, offset } of agent.unreadOnDisk(entry.name)) {
      for (const line of linesFrom(path.join(entry.dir, file), offset)) {
        linesLeftOnDisk++;
        verifier.add(line, `left on disk ${file}`);
      }
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
    logged,
    lateWrites,
    files,
    largestFileBytes,
    inOlderFile,
    lateRecords,
    elapsedMs,
  };
}

/** Summary of a writer's stdout: `{ proc, lines, elapsedMs }` (the last one for a cluster). */
export function writerSummary(result: ChildResult): {
  proc: string;
  lines: number;
  elapsedMs: number;
  /** A writer logging until a time reached its `lines` cap first. */
  capped?: boolean;
} {
  return lastJson(result.stdout);
}

/** Records per writer (`app/process`) at most: `lines`, a cap for writers that log until a time. */
function expectedAtMost(writers: WriterSpec[]): Record<string, number> {
  const expected: Record<string, number> = {};
  for (const w of writers) {
    for (let i = 0; i < (w.cluster ?? 1); i++) {
      expected[`${w.app}/${w.cluster ? `${w.proc}-${i}` : w.proc}`] = w.lines;
    }
  }
  return expected;
}

/** Records each writer logged: its summary for writers that log until a time, else `lines`. */
function loggedCounts(writers: WriterSpec[], results: ChildResult[]): Record<string, number> {
  const logged = expectedAtMost(writers);
  writers.forEach((w, i) => {
    if (w.endAfterBoundaryMs === undefined && w.endAtMs === undefined) return;
    if (w.cluster !== undefined)
      throw new Error('endAfterBoundaryMs and endAtMs are for single writers (one summary each)');
    const summary = writerSummary(results[i]);
    if (summary.capped) throw new Error(`${w.app}/${w.proc} reached its cap of ${w.lines} lines: raise it`);
    logged[`${w.app}/${w.proc}`] = summary.lines;
  });
  return logged;
}

/** The lines of a file from `offset` (a line start), the last one even without its newline. */
function linesFrom(file: string, offset: number): string[] {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    return [];
  }
  const parts = data.toString('utf8', offset).split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** What one simulator of a phase sweep saw. */
export interface PhaseResult {
  phaseMs: number;
  agent: AgentSimulator;
  /** Lines it uploaded (read as complete lines). */
  uploaded: number;
  /** Lines it never read that are still on disk (files it never followed). */
  leftOnDisk: number;
  /** Lines logged that it neither uploaded nor left on disk. */
  lost: number;
  neverFollowed: string[];
}

export interface PhaseSweepResult {
  writers: ChildResult[];
  logged: Record<string, number>;
  totalLogged: number;
  /** Every line on disk, checked once: what the writers wrote (each record once, valid, in order). */
  onDisk: LineVerifier;
  phases: PhaseResult[];
  /** Files per entry (rotations + 1). */
  files: Record<string, number>;
  lateWrites: LateWrite[];
  elapsedMs: number;
}

/**
 * Runs writers once and watches their files with one agent simulator per scan phase, all with virtual
 * removal (nothing is deleted, each simulator stops seeing what it removed), so every phase sees the
 * same bytes written at the same instants. Each simulator only counts lines; the content is checked
 * once on disk at the end. Every simulator reads each file it follows once, from its beginning, so a
 * simulator that follows every file once and uploads as many lines as were logged uploaded each line
 * exactly once (the callers assert both).
 */
export async function runPhaseSweep({
  entries,
  writers,
  phasesMs,
  seed,
}: {
  entries: CollectEntry[];
  writers: WriterSpec[];
  phasesMs: number[];
  seed: number;
}): Promise<PhaseSweepResult> {
  const agents = phasesMs.map(
    (phaseMs, i) =>
      new AgentSimulator({
        entries,
        seed: seed + i,
        schedule: agentSchedule(phaseMs),
        removal: 'virtual',
        events: 'count',
      }),
  );
  const watchers = entries.map((e) => new RotationWatcher(e.dir, e.prefix));
  const started = Date.now();
  for (const w of watchers) w.start();
  for (const agent of agents) agent.start();
  const results = await Promise.all(writers.map((w) => startFixture('writer.js', w).done));
  await Promise.all(agents.map((agent) => agent.stop()));
  const elapsedMs = Date.now() - started;
  const lateWrites = watchers.flatMap((w) => w.stop().late);
  const logged = loggedCounts(writers, results);
  const totalLogged = Object.values(logged).reduce((a, b) => a + b, 0);
  const onDisk = new LineVerifier(expectedAtMost(writers));
  for (const [key, n] of Object.entries(logged)) onDisk.setLogged(key, n);
  const files: Record<string, number> = {};
  for (const entry of entries) {
    const names = familyFiles(entry.dir, entry.prefix);
    files[entry.name] = names.length;
    for (const name of names)
      for (const line of linesFrom(path.join(entry.dir, name), 0)) onDisk.add(line, `${entry.name}:${name}`);
  }
  const phases = agents.map((agent, i): PhaseResult => {
    let leftOnDisk = 0;
    for (const entry of entries)
      for (const { file, offset } of agent.unreadOnDisk(entry.name))
        leftOnDisk += linesFrom(path.join(entry.dir, file), offset).length;
    const uploaded = agent.figures.events;
    return {
      phaseMs: phasesMs[i],
      agent,
      uploaded,
      leftOnDisk,
      lost: totalLogged - uploaded - leftOnDisk,
      neverFollowed: entries.flatMap((e) => agent.neverFollowed(e.name).map((name) => `${e.name}:${name}`)),
    };
  });
  return { writers: results, logged, totalLogged, onDisk, phases, files, lateWrites, elapsedMs };
}
