import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import build from 'pino-cloudwatch-file';
import { AgentSimulator } from '../agent-simulator';
import {
  familyFiles,
  linesOnDisk,
  prng,
  removeTempDirs,
  reportFigures,
  SEED,
  sleep,
  tempDir,
} from '../helpers';
import { LineVerifier } from '../line-verifier';

/**
 * Issue 7 §4 "Clock jumps" (CONTRACT §2: names only grow, a closed file is never reopened, late
 * records go to the open file). The stream runs in-process with an injected clock that the test
 * moves back and forth by hours between bursts of records stamped with that clock, while the agent
 * simulator follows and deletes (file modification times are real, so it sees real order).
 */
const HOUR = 3_600_000;
/** A move that advances the clock 1.5 s with no records and waits for the transport's close timer. */
const QUIET = 0.5;

afterAll(removeTempDirs);

describe(`clock jumps (seed ${SEED})`, () => {
  test('backwards and forwards by hours: no file is written once a newer one exists, names never go back, no line lost or doubled', async () => {
    // Prepare
    const dir = tempDir('clock');
    const random = prng(SEED);
    let fakeNow = Date.UTC(2030, 0, 1, 12, 0, 0);
    const stream = await build({
      file: path.join(dir, 'app.log'),
      app: 'clock',
      frequency: 1000,
      allowShortFrequency: true,
      retention: false,
      now: () => fakeNow,
    });
    const logger = pino({ base: undefined, timestamp: () => `,"time":${fakeNow}` }, stream);
    const moves = [
      ...Array.from({ length: 8 }, () => 150),
      3 * HOUR,
      ...Array.from({ length: 5 }, () => 300),
      -3 * HOUR,
      ...Array.from({ length: 5 }, () => 400),
      -5 * HOUR,
      200,
      10 * HOUR,
      QUIET, // no records past the newest file's end: the transport's timer closes it...
      -HOUR, // ...then the clock goes back and records come
      ...Array.from({ length: 5 }, () => 250),
      -2 * HOUR - 500,
      HOUR + 999,

      ...Array.from({ length: 10 }, () => Math.floor(random() * 1500)),
    ];
    const agentEvents: string[] = [];
    const agent = new AgentSimulator({
      entries: [{ name: 'clock', dir, prefix: 'app.log.' }],
      seed: SEED,
      schedule: (r) => 2 + r() * 20,
      onEvent: (event) => agentEvents.push(event.line),
    });
    agent.start();

    // Act: a burst per clock position; after each, note which files exist and their sizes.
    const creationOrder: string[] = [];
    const frozen = new Map<string, number>(); // size of each file once a newer one existed
    const writtenAfterNewer: string[] = [];
    let seq = 0;
    // Every file the transport writes to, in order, as its public `currentPath` shows after each
    // record (a staging file counts under the name it will get).
    const opens: string[] = [];
    const noteOpen = (): void => {
      const current = stream.file!.currentPath;
      if (current === undefined) return;
      const name = path.basename(current).replace(/\.\d+-[0-9a-f]+$/, '');
      if (opens.at(-1) !== name) opens.push(name);
    };
    for (const move of moves) {
      if (move === QUIET) {
        fakeNow += 1500;
        await sleep(1100);
        continue;
      }
      fakeNow += move;
      const burst = 20 + Math.floor(random() * 200);
      for (let i = 0; i < burst; i++) {
        logger.info({ seq: seq++ }, 'tick');
        noteOpen();
      }
      for (const name of familyFiles(dir, 'app.log.')) {
        if (!creationOrder.includes(name) && !agent.figures.removed.includes(`clock:${name}`))
          creationOrder.push(name);
      }
      const newest = creationOrder.reduce((a, b) => (a > b ? a : b), '');
      for (const name of creationOrder) {
        let size: number;
        try {
          size = fs.statSync(path.join(dir, name)).size;
        } catch {
          continue; // removed by the agent
        }
        if (name === newest) continue;
        const before = frozen.get(name);
        if (before === undefined) frozen.set(name, size);
        else if (size !== before) writtenAfterNewer.push(name);
      }
      await sleep(15);
    }
    await new Promise<void>((resolve) => stream.end(resolve));
    await sleep(30);
    await agent.stop();

    // Assess
    const verifier = new LineVerifier({ 'clock/main': seq });
    for (const line of agentEvents) verifier.add(line, 'agent');
    const onDisk = linesOnDisk(dir, 'app.log.').length;
    reportFigures('clock-jumps', {
      lines: seq,
      moves: moves.length,
      quietPeriods: moves.filter((m) => m === QUIET).length,
      jumpsOfAnHourOrMore: moves.filter((m) => Math.abs(m) >= HOUR).length,
      files: creationOrder.length,
      opens: opens.length,
      reopenedNewest: opens.length - new Set(opens).size, // the newest name again after a step back
      uploaded: agentEvents.length,
      lost: verifier.totalMissing(),
    });
    expect(creationOrder).toEqual([...creationOrder].sort());
    // A file is only ever opened again while it is still the newest (the clock went back after the
    // newest file was closed): opens never go back to an older name.
    expect(opens.every((name, i) => i === 0 || name >= opens[i - 1])).toBe(true);
    expect(new Set(creationOrder).size).toBe(creationOrder.length);
    expect(writtenAfterNewer).toEqual([]);
    expect(agent.figures.olderNameCreated).toEqual([]);
    expect(agent.figures.recreatedAfterRemoval).toEqual([]);
    expect(verifier.figures).toMatchObject({ invalidJson: 0, duplicates: 0, outOfOrder: 0 });
    expect(verifier.missing()).toEqual({ 'clock/main': 0 });
    expect(agentEvents).toHaveLength(seq);
    expect(onDisk).toBeLessThanOrEqual(seq); // the followed file is still there, nothing else
  });
});
