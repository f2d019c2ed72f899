import { cutMarker, LineLimit } from './line-limit';

/** Feeds `input` to a LineLimit in the given chunks and returns what comes out, as text. */
async function limit(max: number, chunks: readonly Buffer[]): Promise<string> {
  const stream = new LineLimit(max);
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => stream.on('end', resolve));
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await done;
  return Buffer.concat(out).toString('utf8');
}

/** Every way to cut `text` in two or three chunks, and one byte at a time. */
function splits(text: string): Buffer[][] {
  const bytes = Buffer.from(text);
  const ways: Buffer[][] = [[bytes], Array.from(bytes, (b) => Buffer.from([b]))];
  for (let i = 1; i < bytes.length; i++) {
    ways.push([bytes.subarray(0, i), bytes.subarray(i)]);
    for (let j = i + 1; j < bytes.length; j++)
      ways.push([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
  }
  return ways;
}

describe('LineLimit', () => {
  it('passes lines up to the limit as they are, however the input is chunked', async () => {
    const text = 'abcd\n\nab\nabc\r\nlast';
    for (const chunks of splits(text)) expect(await limit(4, chunks)).toBe(text);
  });

  it('cuts a longer line at the limit with a marker and drops the rest of it', async () => {
    // Prepare
    const text = 'ok\nabcdefgh\nok2\nabcde';
    const expected = `ok\nabcd${cutMarker(4)}\nok2\nabcd${cutMarker(4)}\n`;

    // Act + Assess: the same whatever the chunks
    for (const chunks of splits(text)) expect(await limit(4, chunks)).toBe(expected);
  });

  it('cuts between characters, never inside one', async () => {
    // 'é' is 2 bytes, '€' 3, '🙂' 4: a limit of 4 bytes keeps 'aé' (3 bytes), then 'a€' (4 bytes)
    const text = 'aéé\na€b\n🙂🙂\n';
    const expected = `aé${cutMarker(4)}\na€${cutMarker(4)}\n🙂${cutMarker(4)}\n`;
    for (const chunks of splits(text)) expect(await limit(4, chunks)).toBe(expected);
  });

  it('emits each line whole, so the line splitter after it never joins pieces', async () => {
    const stream = new LineLimit(100);
    const out: string[] = [];
    stream.on('data', (chunk: Buffer) => out.push(chunk.toString()));
    stream.write('a\nlong');
    stream.write('er');
    stream.write(' line\nb\nc');
    stream.end();
    await new Promise((resolve) => stream.on('end', resolve));
    expect(out).toEqual(['a\n', 'longer line\n', 'b\n', 'c']);
  });

  it('holds no more than the limit of a line that never ends', async () => {
    const stream = new LineLimit(10);
    let out = '';
    stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
    for (let i = 0; i < 1000; i++) stream.write(Buffer.alloc(1000, 0x78));
    await new Promise((resolve) => setImmediate(resolve));
    expect(out).toBe(`xxxxxxxxxx${cutMarker(10)}\n`);
    stream.end();
  });
});
