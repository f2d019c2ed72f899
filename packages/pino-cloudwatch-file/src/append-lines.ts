import * as fs from 'node:fs';

/** What an append that failed part-way did. */
export interface AppendFailure {
  /** Bytes of the data now in the file: whole lines only, when the file could be cut back. */
  readonly written: number;
  readonly error: NodeJS.ErrnoException;
}

/**
 * Appends `data` (whole lines) to `fd`, looping over short writes. Returns undefined when all of it
 * is written. After a failure the file may end inside a line (a full disk took only its head): that
 * head is cut off again so the file stays whole lines, and the caller keeps the line whole for the
 * next try — in this file or, if the period ends first, the next one.
 */
export function appendLines(fd: number, data: Buffer): AppendFailure | undefined {
  let offset = 0;
  try {
    while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
    return undefined;
  } catch (err) {
    return { written: untear(fd, data, offset), error: err as NodeJS.ErrnoException };
  }
}

/** Cuts a torn last line off the file; returns how much of `data` is in it. */
function untear(fd: number, data: Buffer, written: number): number {
  if (written === 0 || data[written - 1] === 10) return written;
  const lineStart = data.lastIndexOf(10, written - 1) + 1;
  try {
    fs.ftruncateSync(fd, fs.fstatSync(fd).size - (written - lineStart));
    return lineStart;
  } catch {
    return written; // cannot cut: the rest still follows in order in this file when it can
  }
}
