import type { Readable } from 'node:stream';

/**
 * Calls `onLine` for every line of `input` (without its `\n` or `\r\n`; empty lines skipped), a
 * chunk at a time, so memory holds one chunk and one line. `onLine` returns `false` to stop
 * reading early (the stream is then destroyed). `afterChunk`, when given, is called once the lines
 * of each chunk are handed on (for progress) and may return `false` to stop the same way.
 */
export async function forEachLine(
  input: Readable,
  onLine: (line: string) => boolean | void,
  afterChunk?: () => boolean,
): Promise<void> {
  input.setEncoding('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<string>) {
    let start = 0;
    let text = chunk;
    if (rest !== '') {
      const newline = chunk.indexOf('\n');
      if (newline === -1) {
        rest += chunk;
        continue;
      }
      const line = rest + chunk.slice(0, newline);
      rest = '';
      if (!emit(line, onLine)) return void input.destroy();
      start = newline + 1;
    }
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      if (newline > start && !emit(text.slice(start, newline), onLine)) return void input.destroy();
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    rest = text.slice(start);
    text = '';
    if (afterChunk !== undefined && !afterChunk()) return void input.destroy();
  }
  if (rest !== '') emit(rest, onLine);
}

function emit(line: string, onLine: (line: string) => boolean | void): boolean {
  const text = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
  if (text === '') return true;
  return onLine(text) !== false;
}
