import { countLines, DiskBacklog } from './disk-backlog';

const lines = (...texts: string[]): Buffer => Buffer.from(texts.map((t) => `${t}\n`).join(''));

describe('DiskBacklog', () => {
  test('writes back in the order kept, and keeps a copy (the caller may reuse its buffer)', () => {
    const backlog = new DiskBacklog(1000);
    const reused = lines('a', 'b');
    backlog.keep(reused);
    reused.fill(0x78);
    backlog.keep(lines('c'));
    const written: string[] = [];
    expect(backlog.drain((chunk) => void written.push(chunk.toString()))).toBe(true);
    expect(written).toEqual(['a\nb\n', 'c\n']);
    expect(backlog.pending).toBe(false);
  });

  test('a refusal stops the drain; the unwritten rest is written first next time', () => {
    const backlog = new DiskBacklog(1000);
    backlog.keep(lines('one', 'two'));
    backlog.keep(lines('three'));
    expect(backlog.drain((chunk) => chunk.subarray(4))).toBe(false);
    expect(backlog.heldChunks).toBe(2);
    const written: string[] = [];
    expect(backlog.drain((chunk) => void written.push(chunk.toString()))).toBe(true);
    expect(written).toEqual(['two\n', 'three\n']);
  });

  test('past the cap new lines are dropped and counted, the held ones kept', () => {
    const backlog = new DiskBacklog(10);
    expect(backlog.keep(lines('12345678'))).toBe(true);
    expect(backlog.keep(lines('x', 'y'))).toBe(false);
    expect(backlog.dropped).toBe(2);
    expect(backlog.lostLines()).toBe(3);
  });

  test('countLines counts newlines', () => {
    expect(countLines(Buffer.from(''))).toBe(0);
    expect(countLines(lines('a', 'b', 'c'))).toBe(3);
  });
});
