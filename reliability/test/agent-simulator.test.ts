import * as fs from 'node:fs';
import * as path from 'node:path';
import { adversarialSchedule, AgentSimulator } from '../agent-simulator';
import { prng, removeTempDirs, tempDir } from '../helpers';
import { RotationWatcher } from '../rotation-watcher';

/**
 * The simulator itself, on hand-made files: it must behave as CONTRACT §6 says the agent does, and
 * it must catch a writer that breaks "old before new" (a harness that cannot fail proves nothing).
 */
afterAll(removeTempDirs);

function setup(): {
  dir: string;
  agent: AgentSimulator;
  write: (name: string, text: string, mtimeS: number) => void;
} {
  const dir = tempDir('sim');
  const agent = new AgentSimulator({
    entries: [{ name: 'app', dir, prefix: 'app.log.' }],
    seed: 1,
    schedule: () => 1000,
  });
  const write = (name: string, text: string, mtimeS: number): void => {
    fs.appendFileSync(path.join(dir, name), text);
    fs.utimesSync(path.join(dir, name), mtimeS, mtimeS);
  };
  return { dir, agent, write };
}

const lines = (agent: AgentSimulator): string[] => agent.events.map((e) => `${e.file}:${e.line}`);

describe('agent simulator (CONTRACT §6)', () => {
  test('follows the newest file from its beginning; only complete lines are events', () => {
    const { agent, write } = setup();
    write('app.log.1', 'a\nb\n', 100);
    agent.scan();
    write('app.log.1', 'c\npart', 101);
    agent.scan();
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.1:b', 'app.log.1:c']);
  });

  test('a newer file: the old one is read to EOF and deleted (auto_removal), then the new one is read', () => {
    const { dir, agent, write } = setup();
    write('app.log.1', 'a\n', 100);
    agent.scan();
    write('app.log.1', 'b\n', 101);
    write('app.log.2', 'c\n', 102);
    agent.scan();
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.1:b', 'app.log.2:c']);
    expect(fs.readdirSync(dir)).toEqual(['app.log.2']);
    expect(agent.figures.removed).toEqual(['app:app.log.1']);
  });

  test('the newest by modification time wins, not by name (§6.1)', () => {
    const { agent, write } = setup();
    write('app.log.2', 'new name, old time\n', 100);
    write('app.log.1', 'old name, new time\n', 200);
    agent.scan();
    expect(lines(agent)).toEqual(['app.log.1:old name, new time']);
  });

  test('a file that is never the newest at a scan is never collected, and stays on disk (§6.1, §6.3)', () => {
    const { agent, write } = setup();
    write('app.log.1', 'a\n', 100);
    agent.scan();
    write('app.log.2', 'skipped\n', 101);
    write('app.log.3', 'c\n', 102);
    agent.scan();
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.3:c']);
    expect(agent.neverFollowed('app')).toEqual(['app.log.2']);
  });

  test('negative control: a writer that appends to the old file after creating the new one loses lines, and is caught', () => {
    const { dir, agent, write } = setup();
    const watcher = new RotationWatcher(dir, 'app.log.');
    write('app.log.1', 'a\n', 100);
    watcher.start();
    agent.scan();
    const stale = fs.openSync(path.join(dir, 'app.log.1'), 'a'); // still open in the naive writer
    write('app.log.2', 'b\n', 101); // new before old is done
    watcher.check();
    agent.scan(); // the agent moves on and removes app.log.1
    fs.writeSync(stale, 'late\n'); // into the deleted file: lost
    fs.closeSync(stale);
    agent.stop();
    const { late } = watcher.stop();
    expect(lines(agent)).toEqual(['app.log.1:a', 'app.log.2:b']);
    expect(late).toEqual([{ file: 'app.log.1', sizeWhenNewerSeen: 2, finalSize: 7 }]);
  });

  test('the schedule is seeded: the same seed replays the same scan intervals', () => {
    const intervals = (seed: number): number[] => {
      const schedule = adversarialSchedule({ slowMs: [500, 700], pauseMs: [700, 800] });
      const random = prng(seed);
      return Array.from({ length: 500 }, () => schedule(random));
    };
    expect(intervals(42)).toEqual(intervals(42));
    expect(intervals(42)).not.toEqual(intervals(43));
    const gaps = intervals(42);
    expect(Math.min(...gaps)).toBeLessThan(10);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(700);
    expect(Math.max(...gaps)).toBeLessThan(800);
  });
});
