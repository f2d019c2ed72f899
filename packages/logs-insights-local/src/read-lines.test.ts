import { Readable } from 'node:stream';
import { forEachLine } from './read-lines';

async function lines(chunks: (string | Buffer)[], stopAfter = Infinity): Promise<string[]> {
  const out: string[] = [];
  await forEachLine(Readable.from(chunks), (line) => {
    out.push(line);
    return out.length < stopAfter;
  });
  return out;
}

describe('forEachLine', () => {
  it('joins lines split across chunks, drops \\r and empty lines, keeps a last line without \\n', async () => {
    expect(await lines(['a\nb', 'c\r\n\n', 'd', 'e\nf'])).toEqual(['a', 'bc', 'de', 'f']);
  });

  it('does not split a UTF-8 character cut between chunks', async () => {
    const bytes = Buffer.from('é€\nü\n');
    expect(await lines([bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4)])).toEqual(['é€', 'ü']);
  });

  it('stops when told', async () => {
    expect(await lines(['a\nb\nc\n'], 2)).toEqual(['a', 'b']);
  });
});
