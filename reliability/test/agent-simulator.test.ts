import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  adversarialSchedule,
  AgentSimulator,
  agentSchedule,
  type AgentSimulatorOptions,
  type CollectEntry,
  type ExactEntry,
} from '../agent-simulator';
import { AgentStateFolder, formatState, parseState, stateFileName, uploadedOffset } from '../agent-state';
import { prng, removeTempDirs, sleep, tempDir } from '../helpers';
import { RotationWatcher } from '../rotation-watcher';

/**
 * The simulator itself, on hand-made files: it must behave as the agent's source says (CONTRACT §6,
 * docs/agent.md "Timing, from the agent's source"), and it must catch a writer that breaks "old before
 * new" or the quiet gap (a harness that cannot fail proves nothing). Manual mode: time moves only with
 * `advance`, so every instant below is exact.
 */
afterAll(removeTempDirs);

type Write = (name: string, text: string, mtimeS: number) => void;

function folder(): { dir: string; write: Write } {
  const dir = tempDir('sim');
  const write: Write = (name, text, mtimeS) => {
    fs.appendFileSync(path.join(dir, name), text);
    fs.utimesSync(path.join(dir, name), mtimeS, mtimeS);
  };
  return { dir, write };
}

/**
 * A manual simulator whose output accepts each read at once (`flushMs: 0, acceptMs: 0`), so the tests
 * of scans and readers see a line as soon as it is read; the output's batches have tests of their own.
 */
function simulator(dir: string, options: Partial<AgentSimulatorOptions> = {}): AgentSimulator {
  return new AgentSimulator({
    entries: [{ name: 'app', dir, prefix: 'app.log.' }],
    seed: 1,
    schedule: agentSchedule(0),
    manual: true,
    flushMs: 0,
    acceptMs: 0,
    ...options,
  });
}

/** A manual simulator scanning at whole seconds, its clock at 0 (first scan at 1000). */
function setup(options: Partial<AgentSimulatorOptions> = {}): {
  dir: string;
  agent: AgentSimulator;
  write: Write;
} {
  const { dir, write } = folder();
  const agent = simulator(dir, options);
  agent.start();
  return { dir, agent, write };
}

const lines = (agent: AgentSimulator): string[] => agent.events.map((e) => `${e.file}:${e.line}`);
const readTimes = (agent: AgentSimulator): number[] => agent.events.map((e) => e.readAt);

describe('scans (logs/logs.go: a 1 s ticker)', () => {
  test('agentSchedule(phase): the next scan is at the next instant t with t mod 1000 === phase', () => {
    const schedule = agentSchedule(150);
    const random = prng(1);
    expect(schedule(random, 10_020)).toBe(130);
    expect(schedule(random, 10_150)).toBe(1000);
    expect(schedule(random, 10_151)).toBe(999);
    expect(schedule(random, 10_999)).toBe(151);
    expect(() => agentSchedule(1000)).toThrow(/phaseMs/);
    expect(() => agentSchedule(-1)).toThrow(/phaseMs/);
  });

  test('the simulator scans at those instants, and only then (manual mode: nothing runs until advance)', () => {
    const { dir, write } = folder();
    const agent = simulator(dir, { schedule: agentSchedule(150), startMs: 10_020 });
    write('app.log.1', 'a\n', 100);
    agent.start();
    expect(agent.figures.scans).toBe(0);
    agent.advance(129);
    expect(agent.figures.scans).toBe(0);
    agent.advance(1);
    expect(agent.figures.scans).toBe(1);
    expect(agent.events).toEqual([
      { entry: 'app', file: 'app.log.1', line: 'a', readAt: 10_150, acceptedAt: 10_150 },
    ]);
    agent.advance(2000);
    expect(agent.figures.scans).toBe(3);
  });
});

describe('readers (tail/tail.go, tail/watch/polling.go)', () => {
  test('a newly followed file is read from its beginning to EOF at once; only complete lines are events', () => {
    const { agent, write } = setup();
    write('app.log.1', 'a\nb\npart', 100);
    agent.advance(1000);
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.1:b']);
    expect(agent.figures.followed).toEqual(['app:app.log.1']);
  });

  test('then the reader sees new bytes only at its own poll, every 250 ms from when it was followed; a scan reads nothing', () => {
    const { agent, write } = setup();
    write('app.log.1', 'a\n', 100);
    agent.advance(1000); // followed at 1000: polls at 1250, 1500, ...
    agent.advance(100);
    write('app.log.1', 'b\n', 101); // at 1100
    agent.advance(149);
    expect(lines(agent)).toEqual(['app.log.1:a']);
    agent.advance(1); // 1250
    write('app.log.1', 'c\npar', 102);
    agent.scan(); // a scan at 1250 does not read the followed file
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.1:b']);
    agent.advance(250); // 1500
    write('app.log.1', 't\n', 103);
    agent.advance(250); // 1750
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.1:b', 'app.log.1:c', 'app.log.1:part']);
    expect(readTimes(agent)).toEqual([1000, 1250, 1500, 1750]);
  });

  test('a poll reads when the size or the modification time changed since the previous poll', () => {
    const { agent, write } = setup();
    write('app.log.1', 'a\n', 100);
    agent.advance(1000);
    const pollsBefore = agent.figures.polls;
    agent.advance(250);
    expect(agent.figures.polls).toBe(pollsBefore + 1);
    write('app.log.1', 'b\n', 101);
    agent.advance(250);
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.1:b']);
  });

  test('a followed file deleted by someone else: the reader reads what is left through its descriptor and stops', () => {
    const { dir, agent, write } = setup();
    write('app.log.1', 'a\n', 100);
    agent.advance(1000);
    write('app.log.1', 'b\n', 101);
    fs.unlinkSync(path.join(dir, 'app.log.1'));
    agent.advance(250);
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.1:b']);
    expect(agent.figures.deletedWhileFollowed).toEqual(['app:app.log.1']);
    expect(agent.figures.removed).toEqual([]);
  });
});

describe('a newer file (logfile.go FindLogSrc, tail.go StopAtEOF, tailersrc.go cleanUp)', () => {
  test('the old reader stops without reading what it has not seen (counted), its file is deleted 1 ms later, the new file is read from its beginning', () => {
    const { dir, agent, write } = setup();
    write('app.log.1', 'a\n', 100);
    agent.advance(1000); // followed at 1000
    agent.advance(300); // polled at 1250
    write('app.log.1', 'unseen\n', 101);
    write('app.log.2', 'c\n', 102);
    agent.scan(); // at 1300, before the poll at 1500
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.2:c']);
    expect(agent.figures.kills).toEqual([
      { file: 'app:app.log.1', at: 1300, unseenBytes: 7, unseenLines: 1 },
    ]);
    expect(agent.figures).toMatchObject({ unseenBytesAtKill: 7, unseenLinesAtKill: 1 });
    expect(fs.readdirSync(dir).sort()).toEqual(['app.log.1', 'app.log.2']);
    agent.advance(1);
    expect(fs.readdirSync(dir)).toEqual(['app.log.2']);
    expect(agent.figures.removed).toEqual(['app:app.log.1']);
  });

  test.each([
    [100, 'lost: the old reader last polled before they were written and is stopped before its next poll', 1],
    [600, 'read: a poll came between them and the newer file', 0],
  ])('negative control: bytes appended %i ms before a newer file appears are %s', (beforeMs, _what, lost) => {
    const { agent, write } = setup();
    write('app.log.1', 'a\n', 100);
    agent.advance(1000); // followed at 1000: polls at 1250, 1500, 1750, 2000
    const newerAt = 1950; // the next scan, at 2000, finds it
    agent.advance(newerAt - beforeMs - 1000);
    write('app.log.1', 'late\n', 101);
    agent.advance(beforeMs);
    write('app.log.2', 'new\n', 102);
    agent.advance(50); // 2000: the scan runs before the poll due at the same instant
    expect(agent.figures.unseenLinesAtKill).toBe(lost);
    expect(lines(agent)).toEqual(
      lost === 1 ? ['app.log.1:a', 'app.log.2:new'] : ['app.log.1:a', 'app.log.1:late', 'app.log.2:new'],
    );
  });

  test('negative control: a writer that appends to the old file after creating the new one loses lines, and is caught', () => {
    const { dir, agent, write } = setup();
    const watcher = new RotationWatcher(dir, 'app.log.');
    write('app.log.1', 'a\n', 100);
    watcher.start();
    agent.advance(1000);
    const stale = fs.openSync(path.join(dir, 'app.log.1'), 'a'); // still open in the naive writer
    write('app.log.2', 'b\n', 101); // new before old is done
    watcher.check();
    agent.advance(1001); // the scan at 2000 moves on, app.log.1 is removed at 2001
    fs.writeSync(stale, 'late\n'); // into the deleted file: lost
    fs.closeSync(stale);
    void agent.stop();
    const { late } = watcher.stop();
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.2:b']);
    expect(late).toEqual([{ file: 'app.log.1', sizeWhenNewerSeen: 2, finalSize: 7 }]);
  });

  test('the newest by modification time wins, to the sub-millisecond, not by name (§6.1)', () => {
    const { agent, write } = setup();
    write('app.log.2', 'new name, old time\n', 100.0001);
    write('app.log.1', 'old name, new time\n', 100.0002);
    agent.advance(1000);
    expect(lines(agent)).toEqual(['app.log.1:old name, new time']);
  });

  test('equal modification times: one of the files, picked by the seeded PRNG (the agent ranges over a map)', () => {
    const { dir, write } = folder();
    write('app.log.1', 'one\n', 100);
    write('app.log.2', 'two\n', 100);
    const pick = (seed: number): string => {
      const agent = simulator(dir, { seed, removal: 'virtual' });
      agent.scan();
      void agent.stop(); // closes its descriptors; removes nothing on disk
      return agent.events[0].file;
    };
    const picks = Array.from({ length: 20 }, (_, seed) => pick(seed));
    expect(new Set(picks)).toEqual(new Set(['app.log.1', 'app.log.2']));
    expect(Array.from({ length: 20 }, (_, seed) => pick(seed))).toEqual(picks);
  });

  test('a file that is never the newest at a scan is never read and never deleted (§6.1, §6.10)', () => {
    const { dir, agent, write } = setup();
    write('app.log.1', 'a\n', 100);
    agent.advance(1000);
    write('app.log.2', 'skipped\n', 101);
    write('app.log.3', 'c\n', 102);
    agent.advance(1001);
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.3:c']);
    expect(agent.neverFollowed('app')).toEqual(['app.log.2']);
    expect(agent.unreadOnDisk('app')).toEqual([{ file: 'app.log.2', offset: 0 }]);
    expect(fs.readdirSync(dir).sort()).toEqual(['app.log.2', 'app.log.3']);
  });

  test('without auto_removal the old readers go on polling and nothing is deleted', () => {
    const { dir, agent, write } = setup({ autoRemoval: false });
    write('app.log.1', 'a\n', 100);
    agent.advance(1000);
    write('app.log.2', 'b\n', 101);
    agent.advance(1000);
    write('app.log.1', 'late\n', 102);
    write('app.log.3', 'c\n', 103);
    agent.advance(1000);
    expect(lines(agent).sort()).toEqual(['app.log.1:a', 'app.log.1:late', 'app.log.2:b', 'app.log.3:c']);
    expect(fs.readdirSync(dir).sort()).toEqual(['app.log.1', 'app.log.2', 'app.log.3']);
  });
});

describe('virtual removal: several simulators on the same files', () => {
  test('the file stays on disk, this simulator no longer sees it, and what is written to it later counts as lost', async () => {
    const { dir, agent, write } = setup({ removal: 'virtual' });
    write('app.log.1', 'a\n', 100);
    agent.advance(1000);
    write('app.log.2', 'b\n', 101);
    agent.advance(1001);
    expect(agent.figures.removed).toEqual(['app:app.log.1']);
    expect(fs.readdirSync(dir).sort()).toEqual(['app.log.1', 'app.log.2']);
    expect(agent.neverFollowed('app')).toEqual([]);
    write('app.log.1', 'after\nremoval\n', 200); // now the newest by time, but removed
    agent.advance(1000);
    await agent.stop();
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.2:b']);
    expect(agent.figures.followed).toEqual(['app:app.log.1', 'app:app.log.2']);
    expect(agent.figures).toMatchObject({ writtenAfterKillBytes: 14, writtenAfterKillLines: 2 });
    expect(agent.figures.recreatedAfterRemoval).toEqual([]);
  });

  test('a file created again under a removed name (a new inode) is seen again, and flagged', () => {
    const { dir, agent, write } = setup({ removal: 'virtual' });
    write('app.log.1', 'a\n', 100);
    agent.advance(1000);
    write('app.log.2', 'b\n', 101);
    agent.advance(1001);
    // A new file renamed over the old name: a new inode for sure (an unlinked one may be reused).
    write('fresh', 'again\n', 102);
    fs.renameSync(path.join(dir, 'fresh'), path.join(dir, 'app.log.1'));
    agent.advance(1000);
    expect(agent.figures.recreatedAfterRemoval).toEqual(['app:app.log.1']);
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.2:b', 'app.log.1:again']);
  });

  test('two phases on one writer: only the simulator whose scan comes before the old reader sees the last bytes loses them', async () => {
    const { dir, write } = folder();
    const early = simulator(dir, { schedule: agentSchedule(100), removal: 'virtual' });
    const late = simulator(dir, { schedule: agentSchedule(400), removal: 'virtual' });
    const agents = [early, late];
    const advance = (ms: number): void => agents.forEach((a) => a.advance(ms));
    agents.forEach((a) => a.start());
    write('app.log.1', 'a\n', 100);
    advance(950); // early followed at 100 (polls 350, 600, 850, 1100), late at 400 (polls 650, 900, 1150)
    write('app.log.1', 'last\n', 101);
    advance(50);
    write('app.log.2', 'new\n', 102); // at 1000
    advance(1000);
    await Promise.all(agents.map((a) => a.stop()));
    expect(lines(early)).toEqual(['app.log.1:a', 'app.log.2:new']);
    expect(lines(late)).toEqual(['app.log.1:a', 'app.log.1:last', 'app.log.2:new']);
    expect(early.figures.unseenLinesAtKill).toBe(1);
    expect(late.figures.unseenLinesAtKill).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['app.log.1', 'app.log.2']);
  });
});

describe('start, stop, pause', () => {
  test('stop(): one last scan, then every reader reads to EOF (the writers are done: its next poll would)', async () => {
    const { agent, write } = setup();
    write('app.log.1', 'a\n', 100);
    agent.advance(1000);
    write('app.log.1', 'b\n', 101);
    await agent.stop();
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.1:b']);
    agent.advance(5000); // stopped: nothing runs any more
    expect(agent.figures.scans).toBe(2);
  });

  test('stop() on timers waits for the next scheduled scan, so a file created last is still followed', async () => {
    const { dir, write } = folder();
    const agent = simulator(dir, { manual: false, schedule: () => 40 });
    agent.start();
    write('app.log.1', 'a\n', 100);
    await sleep(100);
    write('app.log.1', 'b\n', 101);
    write('app.log.2', 'c\n', 102);
    await agent.stop();
    expect(agent.neverFollowed('app')).toEqual([]);
    expect(lines(agent)).toContain('app.log.2:c');
    expect(agent.figures.maxLateMs).toBeGreaterThanOrEqual(0);
  });

  test('on timers: a reader reads appended bytes at its poll, 250 ms apart, not at the scans', async () => {
    const { dir, write } = folder();
    const agent = simulator(dir, { manual: false, schedule: () => 10 });
    write('app.log.1', 'a\n', 100);
    agent.start();
    await sleep(60);
    const [followedAt] = readTimes(agent);
    write('app.log.1', 'b\n', 101);
    await sleep(600);
    await agent.stop();
    const readAt = readTimes(agent)[1];
    expect(agent.figures.scans).toBeGreaterThan(10);
    // Node's timers may fire up to a millisecond before Date.now() shows the full delay.
    expect(readAt - followedAt).toBeGreaterThanOrEqual(248);
    expect(readAt - followedAt).toBeLessThan(500);
  });

  test('pause/resume is an agent restart: files rotated meanwhile are never read, the file followed before keeps its unread end, nothing is deleted (§6.3)', () => {
    const { dir, agent, write } = setup();
    write('app.log.1', 'a\n', 100);
    agent.advance(1000);
    agent.pause();
    write('app.log.1', 'tail\n', 101);
    write('app.log.2', 'b\n', 102);
    agent.advance(5000); // down: no scans, no polls
    write('app.log.3', 'c\n', 103);
    agent.resume();
    agent.advance(1000);
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.3:c']);
    expect(agent.figures.removed).toEqual([]);
    expect(agent.figures.kills).toEqual([]);
    expect(fs.readdirSync(dir).sort()).toEqual(['app.log.1', 'app.log.2', 'app.log.3']);
    expect(agent.unreadOnDisk('app')).toEqual([
      { file: 'app.log.1', offset: 2 },
      { file: 'app.log.2', offset: 0 },
    ]);
    expect(agent.neverFollowed('app')).toEqual(['app.log.2']);
  });

  test('after a restart the newest file, if it was followed before, is read on from its saved offset', () => {
    const { agent, write } = setup();
    write('app.log.1', 'a\n', 100);
    agent.advance(1000);
    agent.pause();
    write('app.log.1', 'b\n', 101);
    agent.resume();
    agent.advance(1000);
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.1:b']);
  });

  test('the adversarial schedule is seeded: the same seed replays the same scan intervals', () => {
    const intervals = (seed: number): number[] => {
      const schedule = adversarialSchedule({ slowMs: [500, 700], pauseMs: [700, 800] });
      const random = prng(seed);
      return Array.from({ length: 500 }, () => schedule(random, 0));
    };
    expect(intervals(42)).toEqual(intervals(42));
    expect(intervals(42)).not.toEqual(intervals(43));
    const gaps = intervals(42);
    expect(Math.min(...gaps)).toBeLessThan(10);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(700);
    expect(Math.max(...gaps)).toBeLessThan(800);
  });
});

describe('the state folder and exact-path entries (internal/state, logfile.go FindLogSrc, globpath)', () => {
  const exact = (dir: string, file: string): ExactEntry => ({ name: 'app', dir, file });
  const wildcard = (dir: string): CollectEntry => ({ name: 'app', dir, prefix: 'app.log.' });

  test('state files are named and written as the agent writes them', () => {
    expect(stateFileName('/logs/app.log.2025-12-13_12')).toBe('_logs_app.log.2025-12-13_12');
    expect(stateFileName('/my logs/a:b')).toBe('_my_logs_a_b');
    expect(formatState('/logs/app.log.1', 120)).toBe('120\n/logs/app.log.1\n0-120');
    expect(formatState('/logs/app.log.1', 0)).toBe('0\n/logs/app.log.1');
    expect(parseState('120\n/logs/app.log.1\n0-120')).toEqual({ offset: 120, path: '/logs/app.log.1' });
    expect(parseState('x\n/logs/app.log.1')).toBeUndefined();
  });

  test('with a folder, offsets are real state files; a new simulator (the agent started again) reads on from them', () => {
    // Prepare
    const { dir, write } = folder();
    const stateDir = tempDir('state');
    const first = simulator(dir, { state: new AgentStateFolder(stateDir) });
    first.start();
    write('app.log.1', 'a\nb\npart', 100);
    first.advance(1000);
    const file = path.join(dir, 'app.log.1');

    // Act: the agent goes down, the file grows, another agent process starts on the same folder
    first.pause();
    write('app.log.1', 'ial\nc\n', 101);
    const second = simulator(dir, { state: new AgentStateFolder(stateDir) });
    second.start();
    second.advance(1000);

    // Assess
    expect(lines(first)).toEqual(['app.log.1:a', 'app.log.1:b']);
    expect(lines(second)).toEqual(['app.log.1:partial', 'app.log.1:c']);
    expect(second.figures.restored).toEqual(['app:app.log.1@4']);
    expect(fs.readFileSync(path.join(stateDir, stateFileName(file)), 'utf8')).toBe(`14\n${file}\n0-14`);
  });

  test('an exact entry follows its file whatever its modification time, from the saved offset, and never stops or deletes it', () => {
    // Prepare: app.log.1 followed, then the agent goes down across a rotation
    const { dir, agent, write } = setup();
    write('app.log.1', 'a\n', 100);
    agent.advance(1000);
    agent.pause();
    write('app.log.1', 'tail\n', 101);
    write('app.log.2', 'b\n', 102);
    write('app.log.3', 'c\n', 103);

    // Act: restarted with an exact entry per file but the newest (what the sidecar's entrypoint writes)
    agent.resume([wildcard(dir), exact(dir, 'app.log.1'), exact(dir, 'app.log.2')]);
    agent.advance(1000);
    write('app.log.4', 'd\n', 104);
    agent.advance(1001); // the scan at 3000 follows app.log.4; app.log.3 is removed at 3001

    // Assess: every line once; the wildcard moved on and deleted app.log.3; the leftovers stay
    expect(lines(agent).sort()).toEqual([
      'app.log.1:a',
      'app.log.1:tail',
      'app.log.2:b',
      'app.log.3:c',
      'app.log.4:d',
    ]);
    expect(agent.figures.restored).toEqual(['app:app.log.1@2']);
    expect(agent.figures.removed).toEqual(['app:app.log.3']);
    expect(fs.readdirSync(dir).sort()).toEqual(['app.log.1', 'app.log.2', 'app.log.4']);
    expect(agent.unreadOnDisk('app')).toEqual([]);
    expect(agent.neverFollowed('app')).toEqual([]);
  });

  test('negative control: restarted without the exact entries, the same outage leaves the leftovers unread', () => {
    const { dir, agent, write } = setup();
    write('app.log.1', 'a\n', 100);
    agent.advance(1000);
    agent.pause();
    write('app.log.1', 'tail\n', 101);
    write('app.log.2', 'b\n', 102);
    write('app.log.3', 'c\n', 103);
    agent.resume([wildcard(dir)]);
    agent.advance(1000);
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.3:c']);
    expect(agent.unreadOnDisk('app')).toEqual([
      { file: 'app.log.1', offset: 2 },
      { file: 'app.log.2', offset: 0 },
    ]);
  });

  test('a follower that sees its file deleted drops the state of that path; a restart drops the state of paths that are gone', () => {
    const { dir, write } = folder();
    const state = new AgentStateFolder();
    const agent = simulator(dir, { entries: [exact(dir, 'app.log.1'), exact(dir, 'app.log.2')], state });
    agent.start();
    write('app.log.1', 'a\n', 100);
    write('app.log.2', 'b\n', 101);
    agent.advance(1000);
    expect(state.get(path.join(dir, 'app.log.1'))).toBe(2);
    expect(state.get(path.join(dir, 'app.log.2'))).toBe(2);

    // Deleted while followed (the supervisor removing an uploaded leftover): FileDeletedCh
    fs.unlinkSync(path.join(dir, 'app.log.1'));
    agent.advance(250);
    expect(agent.figures.deletedWhileFollowed).toEqual(['app:app.log.1']);
    expect(state.get(path.join(dir, 'app.log.1'))).toBeUndefined();

    // Deleted while the agent is down: gone from the state at the next start (cleanupStateFolder)
    agent.pause();
    fs.unlinkSync(path.join(dir, 'app.log.2'));
    expect(state.get(path.join(dir, 'app.log.2'))).toBe(2);
    agent.resume();
    expect(state.get(path.join(dir, 'app.log.2'))).toBeUndefined();
    expect(agent.figures.restarts).toBe(1);
  });

  test('a saved offset is applied to whatever file has that path now (the agent checks no inode), and flagged', () => {
    const { dir, agent, write } = setup();
    write('app.log.1', 'first\n', 100);
    agent.advance(1000);
    agent.pause();
    // Same name, another file (a new inode for sure: made while the old one exists), while it is down
    write('fresh', 'other\nnew\n', 101);
    fs.renameSync(path.join(dir, 'fresh'), path.join(dir, 'app.log.1'));
    agent.resume();
    agent.advance(1000);
    expect(lines(agent)).toEqual(['app.log.1:first', 'app.log.1:new']); // 'other' skipped
    expect(agent.figures.staleStateRestored).toEqual(['app:app.log.1']);
  });
});

describe('the output (pusher/queue.go, batch.go): offsets move only when CloudWatch accepted a batch', () => {
  /** The agent's own output: batches sent 5 s after their first line, accepted 50 ms later. */
  const batched = { flushMs: 5000, acceptMs: 50 };

  test('read lines wait in the batch until the flush timer; then CloudWatch accepts them, and only then is the offset saved', () => {
    const { agent, write } = setup(batched);
    write('app.log.1', 'a\nb\n', 100);
    agent.advance(1000); // read at 1000: the batch's flush timer fires at 6000
    write('app.log.1', 'c\n', 101);
    agent.advance(250); // read at 1250, same batch
    expect(agent.events).toEqual([]);
    expect(agent.figures.events).toBe(0);
    agent.advance(5999 - 1250);
    expect(agent.events).toEqual([]);
    agent.advance(1); // 6000: sent
    expect(agent.events).toEqual([]);
    agent.advance(49);
    expect(agent.events).toEqual([]);
    agent.advance(1); // 6050: accepted
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.1:b', 'app.log.1:c']);
    expect(agent.events.map((e) => [e.readAt, e.acceptedAt])).toEqual([
      [1000, 6050],
      [1000, 6050],
      [1250, 6050],
    ]);
    expect(agent.figures.batches).toBe(1);
  });

  test('the saved offset stays behind the reader until the acceptance (a state folder on disk)', () => {
    const { dir, write } = folder();
    const stateDir = tempDir('state');
    const state = new AgentStateFolder(stateDir);
    const agent = simulator(dir, { ...batched, state });
    agent.start();
    const file = path.join(dir, 'app.log.1');
    write('app.log.1', 'one\ntwo\n', 100);
    agent.advance(1000);
    expect(state.get(file)).toBeUndefined();
    agent.advance(5049);
    expect(state.get(file)).toBeUndefined();
    agent.advance(1);
    expect(state.get(file)).toBe(8);
  });

  test('a batch that would pass 10,000 events is sent at once, without waiting for the timer', () => {
    const { agent, write } = setup(batched);
    write('app.log.1', 'x\n'.repeat(6000), 100);
    agent.advance(1000); // 6,000 lines in the batch
    write('app.log.1', 'y\n'.repeat(6000), 101);
    agent.advance(250); // 6,000 more: the first batch goes now, accepted 50 ms later
    expect(agent.figures.events).toBe(0);
    agent.advance(50);
    expect(agent.figures.events).toBe(6000);
    agent.advance(5000);
    expect(agent.figures.events).toBe(12_000);
    expect(agent.figures.batches).toBe(2);
  });

  test('a batch that would pass 1 MiB (each event counted with 200 bytes more) is sent at once', () => {
    const { agent, write } = setup(batched);
    // 3,000 lines of 200 bytes: 3,000 × (199 + 200) = 1.14 MiB, more than one batch holds
    write('app.log.1', `${'x'.repeat(199)}\n`.repeat(1500), 100);
    agent.advance(1000);
    write('app.log.1', `${'x'.repeat(199)}\n`.repeat(1500), 101);
    agent.advance(300);
    expect(agent.figures.events).toBe(1500); // the first read's batch was sent at 1250, accepted at 1300
  });

  test('a graceful stop (SIGTERM: pause) sends every batch first: what was read is accepted and saved', () => {
    const { agent, write } = setup(batched);
    write('app.log.1', 'a\nb\n', 100);
    agent.advance(1000);
    agent.pause();
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.1:b']);
    agent.resume();
    agent.advance(1000);
    expect(agent.figures.restored).toEqual(['app:app.log.1@4']);
  });

  test('a crash before the acceptance loses the batch, keeps the offset: a file left on disk is read again from there', () => {
    // Prepare: auto_removal off, as the sidecar writes its entries
    const { agent, write } = setup({ ...batched, autoRemoval: false });
    write('app.log.1', 'a\nb\n', 100);
    agent.advance(6100); // read at 1000, accepted at 6050
    write('app.log.1', 'c\nd\n', 101);
    agent.advance(250); // read, in a batch

    // Act: killed, then started again
    agent.crash();
    expect(agent.figures).toMatchObject({ crashes: 1, droppedAtCrash: 2 });
    agent.resume();
    agent.advance(1000); // follows app.log.1 again, from the saved offset 4
    agent.pause();

    // Assess: every line once
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.1:b', 'app.log.1:c', 'app.log.1:d']);
    expect(agent.figures.restored).toEqual(['app:app.log.1@4']);
  });

  test('negative control (CONTRACT §6.14): with auto_removal the file goes right after its reader stops; a crash before the acceptance loses its last lines', () => {
    const { dir, agent, write } = setup(batched);
    write('app.log.1', 'a\nb\n', 100);
    agent.advance(1000); // followed and read at 1000
    write('app.log.2', 'c\n', 101);
    agent.advance(1000); // 2000: the newer file; app.log.1's reader stops, the file is deleted at 2001
    agent.advance(1);
    expect(fs.readdirSync(dir)).toEqual(['app.log.2']);
    expect(agent.figures.removedBeforeAccepted).toEqual(['app:app.log.1']);
    agent.crash(); // before 6050, when the batch with a, b would have been accepted
    agent.resume();
    agent.advance(1000);
    agent.pause();
    expect(lines(agent)).toEqual(['app.log.2:c']); // a and b: gone with the file
  });

  test('a batch accepted after its file was deleted (the reader saw it) saves no state for that path', () => {
    const { dir, write } = folder();
    const state = new AgentStateFolder(tempDir('state'));
    const agent = simulator(dir, { ...batched, autoRemoval: false, state });
    agent.start();
    const file = path.join(dir, 'app.log.1');
    write('app.log.1', 'a\n', 100);
    agent.advance(1000);
    fs.unlinkSync(file);
    agent.advance(250); // the poll sees the deletion: the path's state is dropped
    agent.advance(5000); // the batch is accepted afterwards
    expect(lines(agent)).toEqual(['app.log.1:a']);
    expect(state.get(file)).toBeUndefined();
  });
});

describe('the agent state format: the shared test vectors (cloudwatch-agent/testdata/agent-state.json)', () => {
  interface Vectors {
    names: Array<{ path: string; stateFile: string }>;
    texts: Array<{
      path: string;
      text: string;
      offset: number | null;
      uploaded: number | null;
      written: boolean;
    }>;
  }
  const vectors = JSON.parse(
    fs.readFileSync(path.join(__dirname, '../../cloudwatch-agent/testdata/agent-state.json'), 'utf8'),
  ) as Vectors;

  test.each(vectors.names)('the state file of $path is $stateFile', ({ path: filePath, stateFile }) => {
    expect(stateFileName(filePath)).toBe(stateFile);
  });

  test.each(vectors.texts)('%j', ({ path: filePath, text, offset, uploaded, written }) => {
    expect(parseState(text)?.offset ?? null).toBe(offset);
    expect(uploadedOffset(text, filePath) ?? null).toBe(uploaded);
    if (written && offset !== null) expect(formatState(filePath, offset)).toBe(text);
  });
});
