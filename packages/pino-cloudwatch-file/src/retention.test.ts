import fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RetentionOptions } from './options';
import { applyRetention, familyMembers, selectForDeletion, type FamilyFile } from './retention';
import { pinTimeZone } from './test-helpers/test-time-zone';

pinTimeZone('America/New_York');

const HOUR = 3_600_000;
const NOW = Date.UTC(2025, 11, 13, 12, 30);
const noCaps: Readonly<Required<RetentionOptions>> = {
  maxFiles: Infinity,
  maxAgeHours: Infinity,
  maxTotalBytes: Infinity,
};
const caps = (c: RetentionOptions): Readonly<Required<RetentionOptions>> => ({ ...noCaps, ...c });

/** Hourly UTC file name of the period that started `hoursAgo` whole hours before NOW's hour. */
const hourName = (hoursAgo: number, base = 'app.log'): string => {
  const iso = new Date(Date.UTC(2025, 11, 13, 12) - hoursAgo * HOUR).toISOString();
  return `${base}.${iso.slice(0, 10)}_${iso.slice(11, 13)}`;
};
/** Finished files, newest first in the argument list: `sizes[i]` is the file that started i+1 hours before the current one. */
const files = (...sizes: number[]): FamilyFile[] =>
  sizes.map((size, i) => ({
    name: hourName(i + 1),
    periodStart: Date.UTC(2025, 11, 13, 12) - (i + 1) * HOUR,
    size,
  }));

describe('selectForDeletion', () => {
  it('deletes nothing from nothing', () => {
    expect(selectForDeletion([], caps({ maxFiles: 1, maxAgeHours: 1, maxTotalBytes: 1 }), NOW)).toEqual([]);
  });

  it('deletes nothing when no cap is reached', () => {
    expect(
      selectForDeletion(files(10, 10, 10), caps({ maxFiles: 3, maxAgeHours: 4, maxTotalBytes: 30 }), NOW),
    ).toEqual([]);
  });

  describe('age', () => {
    it('deletes files whose period started more than maxAgeHours ago, oldest first', () => {
      // Prepare: periods started 1.5 h, 2.5 h, 3.5 h, 4.5 h before NOW
      const list = files(1, 1, 1, 1);
      // Act
      const doomed = selectForDeletion(list, caps({ maxAgeHours: 3 }), NOW);
      // Assess
      expect(doomed).toEqual([list[3].name, list[2].name]);
    });

    it('keeps a file whose period started exactly maxAgeHours ago, deletes it a millisecond later', () => {
      const [file] = files(1);
      const age = (NOW - file.periodStart) / HOUR;
      expect(selectForDeletion([file], caps({ maxAgeHours: age }), NOW)).toEqual([]);
      expect(selectForDeletion([file], caps({ maxAgeHours: age }), NOW + 1)).toEqual([file.name]);
    });

    it('takes fractional hours', () => {
      const list = files(1, 1);
      expect(selectForDeletion(list, caps({ maxAgeHours: 2 }), NOW)).toEqual([list[1].name]);
    });
  });

  describe('count', () => {
    it('keeps the newest maxFiles files and deletes the rest, oldest first', () => {
      const list = files(1, 1, 1, 1, 1, 1);
      expect(selectForDeletion(list, caps({ maxFiles: 2 }), NOW)).toEqual(
        [list[5], list[4], list[3], list[2]].map((f) => f.name),
      );
    });

    it.each([6, 7, Infinity])('deletes nothing with maxFiles %p and six files', (maxFiles) => {
      expect(selectForDeletion(files(1, 1, 1, 1, 1, 1), caps({ maxFiles }), NOW)).toEqual([]);
    });
  });

  describe('bytes', () => {
    it('keeps the newest files whose sizes fit maxTotalBytes, an exact fit included', () => {
      const list = files(40, 60, 1);
      expect(selectForDeletion(list, caps({ maxTotalBytes: 100 }), NOW)).toEqual([list[2].name]);
    });

    it('deletes even the newest finished file when it alone is over the cap', () => {
      const list = files(101);
      expect(selectForDeletion(list, caps({ maxTotalBytes: 100 }), NOW)).toEqual([list[0].name]);
    });

    it('keeps empty files under a byte cap', () => {
      expect(selectForDeletion(files(0, 0, 0), caps({ maxTotalBytes: 1 }), NOW)).toEqual([]);
    });

    // Regression (retention.ts, selectForDeletion, fixed): the byte cap is checked per file, so after a newer file was
    // dropped for not fitting, a smaller older one that still fits is kept. Input (newest first) sizes
    // 60, 50, 30 with maxTotalBytes 100: actual deletes only the 50-byte file and keeps the older 30-byte
    // one, leaving a hole in the timeline. Documented: "a file goes when ... the newer files already use
    // up maxTotalBytes", oldest first, so both the 50 and the 30 byte files should go.
    test('never keeps an older file after deleting a newer one for the byte cap', () => {
      const list = files(60, 50, 30);
      expect(selectForDeletion(list, caps({ maxTotalBytes: 100 }), NOW)).toEqual([
        list[2].name,
        list[1].name,
      ]);
    });
  });

  it.each([
    ['count', { maxFiles: 2, maxAgeHours: 100, maxTotalBytes: 1000 }, 2],
    ['age', { maxFiles: 10, maxAgeHours: 2, maxTotalBytes: 1000 }, 1],
    ['bytes', { maxFiles: 10, maxAgeHours: 100, maxTotalBytes: 30 }, 3],
  ])('applies the strictest cap when all are set (here: %s)', (_which, c, kept) => {
    const list = files(10, 10, 10, 10, 10);
    expect(selectForDeletion(list, c, NOW)).toEqual(
      list
        .slice(kept)
        .reverse()
        .map((f) => f.name),
    );
  });

  it('does not depend on the order of its input, and does not change it', () => {
    // Prepare
    const list = files(5, 5, 5, 5, 5, 5, 5);
    const shuffled = [list[3], list[0], list[6], list[2], list[5], list[1], list[4]];
    const copy = [...shuffled];
    // Act
    const doomed = selectForDeletion(shuffled, caps({ maxFiles: 3 }), NOW);
    // Assess
    expect(doomed).toEqual([list[6], list[5], list[4], list[3]].map((f) => f.name));
    expect(shuffled).toEqual(copy);
  });
});

describe('familyMembers', () => {
  const names = [
    'app.log.2025-12-13_11',
    'app.log.2025-12-13_12',
    'app.log.2025-12-13',
    'app.log.2025-12-13_12-00-00',
    'app.log.2025-12-13_12.gz',
    'app.log.2025-12-13_12.tmp',
    'app.log2.2025-12-13_12',
    'worker.log.2025-12-13_12',
    'xapp.log.2025-12-13_12',
    'my.app.log.2025-12-13_12',
    'appxlog.2025-12-13_12',
    'app.log.app.log.2025-12-13_12',
    'app.log',
    'app.log.',
    'app.log.2025-02-30_12',
    'app.log.2025-12-13_24',
    'APP.LOG.2025-12-13_12',
    '.app.log.2025-12-13_12',
  ];

  it('keeps exactly the hourly names of this base name', () => {
    expect(familyMembers(names, 'app.log', 'hour', true)).toEqual([
      { name: 'app.log.2025-12-13_11', periodStart: Date.UTC(2025, 11, 13, 11) },
      { name: 'app.log.2025-12-13_12', periodStart: Date.UTC(2025, 11, 13, 12) },
    ]);
  });

  it('keeps exactly the daily names when daily', () => {
    expect(familyMembers(names, 'app.log', 'day', true)).toEqual([
      { name: 'app.log.2025-12-13', periodStart: Date.UTC(2025, 11, 13) },
    ]);
  });

  it('keeps exactly the to-the-second names when the period is short', () => {
    expect(familyMembers(names, 'app.log', 'second', true)).toEqual([
      { name: 'app.log.2025-12-13_12-00-00', periodStart: Date.UTC(2025, 11, 13, 12) },
    ]);
  });

  it('finds another base name’s own family, and nothing of app.log’s', () => {
    expect(familyMembers(names, 'worker.log', 'hour', true).map((m) => m.name)).toEqual([
      'worker.log.2025-12-13_12',
    ]);
    expect(familyMembers(names, 'app.log2', 'hour', true).map((m) => m.name)).toEqual([
      'app.log2.2025-12-13_12',
    ]);
  });

  it('reads local names in local time', () => {
    expect(familyMembers(['app.log.2025-12-13_12'], 'app.log', 'hour', false)).toEqual([
      { name: 'app.log.2025-12-13_12', periodStart: Date.UTC(2025, 11, 13, 17) },
    ]);
  });

  it('returns nothing for no names', () => {
    expect(familyMembers([], 'app.log', 'hour', true)).toEqual([]);
  });
});

describe('applyRetention on a folder', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pino-cloudwatch-file-retention-'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, bytes = 10): void => fs.writeFileSync(path.join(dir, name), 'x'.repeat(bytes));
  const listing = (): string[] => fs.readdirSync(dir).sort();
  const current = hourName(0);

  it('deletes old family files and nothing else', () => {
    // Prepare: family files 0..99 hours old, plus foreign files just as old
    for (let h = 0; h < 100; h++) write(hourName(h));
    const foreign = [
      hourName(90, 'worker.log'),
      hourName(90, 'app.log2'),
      `${hourName(90)}.gz`,
      'app.log.2025-12-09',
      'app.log.2025-12-09_00-00-00',
      'notes.txt',
      'app.log',
    ];
    for (const name of foreign) write(name);
    // A folder named like a family file is not a file: never counted, never deleted.
    fs.rmSync(path.join(dir, hourName(97)));
    fs.mkdirSync(path.join(dir, hourName(97)));
    // Act
    const deleted = applyRetention(dir, 'app.log', 'hour', true, caps({ maxAgeHours: 72 }), current, NOW);
    // Assess: files whose period started more than 72 h before NOW (12:30) are hours 72 and older (12:00 three days ago started 72.5 h before)
    const expected = [];
    for (let h = 99; h >= 72; h--) if (h !== 97) expected.push(hourName(h));
    expect(deleted).toEqual(expected);
    const left = listing();
    for (let h = 0; h < 72; h++) expect(left).toContain(hourName(h));
    for (const name of foreign) expect(left).toContain(name);
    expect(left).toContain(hourName(97)); // a directory, never touched
    expect(left).toHaveLength(72 + foreign.length + 1);
  });

  it('never deletes the protected current name or newer names, even over every cap', () => {
    // Prepare: another process with a clock ahead writes the next hours already
    for (let h = -3; h < 5; h++) write(hourName(h), 1000);
    // Act
    const deleted = applyRetention(
      dir,
      'app.log',
      'hour',
      true,
      { maxFiles: 1, maxAgeHours: 0.001, maxTotalBytes: 1 },
      current,
      NOW,
    );
    // Assess
    expect(deleted).toEqual([hourName(4), hourName(3), hourName(2), hourName(1)]);
    expect(listing()).toEqual([hourName(0), hourName(-1), hourName(-2), hourName(-3)].sort());
  });

  it('counts only finished files against the caps', () => {
    for (let h = 0; h < 4; h++) write(hourName(h), 10);
    const deleted = applyRetention(
      dir,
      'app.log',
      'hour',
      true,
      caps({ maxFiles: 2, maxTotalBytes: 20 }),
      current,
      NOW,
    );
    expect(deleted).toEqual([hourName(3)]);
  });

  it('keeps everything when no cap is reached', () => {
    for (let h = 0; h < 5; h++) write(hourName(h));
    expect(applyRetention(dir, 'app.log', 'hour', true, caps({ maxAgeHours: 72 }), current, NOW)).toEqual([]);
    expect(listing()).toHaveLength(5);
  });

  it('tolerates files that vanish between listing and stat', () => {
    // Prepare: the agent deletes hour 5 right when retention looks at it
    for (let h = 0; h < 8; h++) write(hourName(h));
    const realStat = fs.statSync;
    jest.spyOn(fs, 'statSync').mockImplementation(((p: fs.PathLike, o?: fs.StatSyncOptions) => {
      if (String(p).endsWith(hourName(5))) fs.rmSync(p);
      return realStat(p, o);
    }) as typeof fs.statSync);
    // Act
    const deleted = applyRetention(dir, 'app.log', 'hour', true, caps({ maxFiles: 2 }), current, NOW);
    // Assess
    expect(deleted).toEqual([hourName(7), hourName(6), hourName(4), hourName(3)]);
    expect(listing()).toEqual([hourName(0), hourName(1), hourName(2)].sort());
  });

  it('tolerates files that vanish between stat and unlink, and does not count them as deleted', () => {
    for (let h = 0; h < 6; h++) write(hourName(h));
    const realUnlink = fs.unlinkSync;
    jest.spyOn(fs, 'unlinkSync').mockImplementation((p: fs.PathLike) => {
      if (String(p).endsWith(hourName(4))) realUnlink(p); // gone first: the next unlink meets ENOENT
      realUnlink(p);
    });
    const deleted = applyRetention(dir, 'app.log', 'hour', true, caps({ maxFiles: 2 }), current, NOW);
    expect(deleted).toEqual([hourName(5), hourName(3)]);
    expect(listing()).toEqual([hourName(0), hourName(1), hourName(2)].sort());
  });

  it('lets other unlink errors out for the caller to report', () => {
    for (let h = 0; h < 3; h++) write(hourName(h));
    jest.spyOn(fs, 'unlinkSync').mockImplementation(() => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    });
    expect(() => applyRetention(dir, 'app.log', 'hour', true, caps({ maxFiles: 1 }), current, NOW)).toThrow(
      'EACCES',
    );
  });

  it('throws ENOENT when the folder does not exist (the caller treats it as nothing to do)', () => {
    let code: unknown;
    try {
      applyRetention(path.join(dir, 'missing'), 'app.log', 'hour', true, caps({ maxFiles: 1 }), current, NOW);
    } catch (err) {
      code = (err as NodeJS.ErrnoException).code;
    }
    expect(code).toBe('ENOENT');
  });

  it('works for daily and to-the-second families too', () => {
    for (const d of ['2025-12-10', '2025-12-11', '2025-12-12', '2025-12-13']) write(`app.log.${d}`);
    for (const t of ['12-00-00', '12-15-00', '12-30-00']) write(`app.log.2025-12-13_${t}`);
    expect(
      applyRetention(dir, 'app.log', 'day', true, caps({ maxFiles: 1 }), 'app.log.2025-12-13', NOW),
    ).toEqual(['app.log.2025-12-10', 'app.log.2025-12-11']);
    expect(
      applyRetention(
        dir,
        'app.log',
        'second',
        true,
        caps({ maxFiles: 1 }),
        'app.log.2025-12-13_12-30-00',
        NOW,
      ),
    ).toEqual(['app.log.2025-12-13_12-00-00']);
  });
});
