'use strict';
// Counting what reached the disk. Reads files in 1 MiB chunks, so multi-GB outputs of the memory mode are fine.
const fs = require('node:fs');
const path = require('node:path');

const NL = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const CHUNK = 1 << 20;

/**
 * Count the lines of one file. mode 'json': every newline-terminated line; also checks that the first line parses.
 * mode 'pretty': lines that start with something other than white space (a pretty record's first line).
 */
function countFile(file, mode) {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  let lines = 0;
  let atLineStart = true;
  let bytes = 0;
  let firstLine = null;
  let firstLineParts = [];
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      bytes += n;
      if (firstLine === null && mode === 'json') {
        const nl = buf.indexOf(NL);
        if (nl !== -1 && nl < n) {
          firstLineParts.push(Buffer.from(buf.subarray(0, nl)));
          firstLine = Buffer.concat(firstLineParts).toString('utf8');
          firstLineParts = null;
        } else if (firstLineParts.length < 4) firstLineParts.push(Buffer.from(buf.subarray(0, n)));
      }
      if (mode === 'pretty') {
        for (let i = 0; i < n; i++) {
          const c = buf[i];
          if (atLineStart && c !== SPACE && c !== TAB && c !== NL) lines++;
          atLineStart = c === NL;
        }
      } else {
        let i = buf.indexOf(NL, 0);
        while (i !== -1 && i < n) {
          lines++;
          i = buf.indexOf(NL, i + 1);
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  let validJson = true;
  if (mode === 'json' && firstLine !== null) {
    try {
      JSON.parse(firstLine);
    } catch {
      validJson = false;
    }
  }
  return { lines, bytes, validJson, firstLine };
}

/**
 * Count records in every regular, non-hidden file of `dir` (hidden files are e.g. winston's audit file).
 * count mode: 'json' | 'pretty' | 'production' (console.out counted as pretty, other files as json; the
 * smaller of the two is the number of records that made it to both).
 */
function countDir(dir, countMode) {
  const files = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    const st = fs.lstatSync(full);
    if (!st.isFile()) continue;
    const mode = countMode === 'production' ? (name === 'console.out' ? 'pretty' : 'json') : countMode;
    const r = countFile(full, mode);
    files.push({ name, mode, lines: r.lines, bytes: r.bytes, validJson: r.validJson, sample: r.firstLine });
  }
  const sum = (mode) => files.filter((f) => f.mode === mode).reduce((a, f) => a + f.lines, 0);
  let lines;
  if (countMode === 'production') lines = Math.min(sum('pretty'), sum('json'));
  else lines = sum(countMode);
  const bytes = files.reduce((a, f) => a + f.bytes, 0);
  const invalidJson = files
    .filter((f) => f.mode === 'json' && f.lines > 0 && !f.validJson)
    .map((f) => f.name);
  const sample = (files.find((f) => f.mode === 'json' && f.sample) || {}).sample;
  return {
    lines,
    bytes,
    files: files.length,
    perFile: files.map(({ name, lines: l, bytes: b }) => ({ name, lines: l, bytes: b })),
    invalidJson,
    sample: sample ? sample.slice(0, 400) : undefined,
  };
}

module.exports = { countFile, countDir };
