/**
 * Pure helpers on pino's serialized lines: `{"level":N,"time":T,...,"msg":"..."}\n`. No I/O.
 */

const LEVEL_PREFIX = '{"level":';
const TIME_KEY = ',"time":';

/** The marker added to a line flushed from a context's buffer. */
export const BUFFERED_KEY = 'buffered';
/** How many of the context's lines were dropped (per-context or total cap), on the first flushed line. */
export const DROPPED_KEY = 'buffer_dropped';

/** The number after `{"level":` at the start of a pino line, or `undefined` when it has no such prefix. */
export function levelOfLine(line: string): number | undefined {
  if (!line.startsWith(LEVEL_PREFIX)) return undefined;
  let value = 0;
  let i = LEVEL_PREFIX.length;
  for (; i < line.length; i++) {
    const code = line.charCodeAt(i) - 48;
    if (code < 0 || code > 9) break;
    value = value * 10 + code;
  }
  return i === LEVEL_PREFIX.length ? undefined : value;
}

/** Where the level number (and a numeric or string `time` right after it) of a pino line ends. */
function afterLevelAndTime(line: string): number {
  let i = LEVEL_PREFIX.length;
  while (i < line.length && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i++;
  if (!line.startsWith(TIME_KEY, i)) return i;
  let j = i + TIME_KEY.length;
  if (line.charCodeAt(j) === 34 /* " */) {
    // A string time (pino.stdTimeFunctions.isoTime): up to its closing quote, escapes skipped.
    for (j++; j < line.length; j++) {
      const code = line.charCodeAt(j);
      if (code === 92 /* \ */) j++;
      else if (code === 34) return j + 1;
    }
    return i;
  }
  const start = j;
  while (j < line.length && /[-+.eE0-9]/.test(line[j] as string)) j++;
  return j === start ? i : j;
}

/** Where pino's base bindings end: `,"pid":N`, `,"hostname":"…"` and `,"name":"…"` in that order, each optional. */
function afterBaseBindings(line: string, from: number): number {
  let at = from;
  const PID = ',"pid":';
  if (line.startsWith(PID, at)) {
    let j = at + PID.length;
    while (j < line.length && line.charCodeAt(j) >= 48 && line.charCodeAt(j) <= 57) j++;
    if (j > at + PID.length) at = j;
  }
  for (const key of [',"hostname":"', ',"name":"']) {
    if (!line.startsWith(key, at)) continue;
    for (let j = at + key.length; j < line.length; j++) {
      const code = line.charCodeAt(j);
      if (code === 92 /* \ */) j++;
      else if (code === 34 /* " */) {
        at = j + 1;
        break;
      }
    }
  }
  return at;
}

/**
 * The line with the buffer's marker (and, when `dropped` > 0, the count of dropped lines) added
 * as fields. They go after pino's `level`, `time` and base bindings (`pid`, `hostname`, `name`), so
 * the line still starts the way pino starts it: the transports read those by their place (the JSON
 * file leaves `pid` and `hostname` out only there). A line of another shape gets them before its
 * last `}`. Anything that is not a JSON object is returned unchanged.
 */
export function markBuffered(line: string, dropped: number): string {
  const fields =
    dropped > 0 ? `"${BUFFERED_KEY}":true,"${DROPPED_KEY}":${dropped}` : `"${BUFFERED_KEY}":true`;
  if (line.startsWith(LEVEL_PREFIX)) {
    const at = afterBaseBindings(line, afterLevelAndTime(line));
    return `${line.slice(0, at)},${fields}${line.slice(at)}`;
  }
  const end = line.lastIndexOf('}');
  if (!line.startsWith('{') || end < 0) return line;
  const empty = line.slice(1, end).trim() === '';
  return `${line.slice(0, end)}${empty ? '' : ','}${fields}${line.slice(end)}`;
}

/**
 * A record saying that `dropped` lines of a context were dropped and none is left to carry the
 * count (every line was over the cap): level and time of the last dropped line, no bindings.
 */
export function droppedRecord(level: number, time: number, dropped: number): string {
  return (
    `{"level":${level},"time":${time},"${BUFFERED_KEY}":true,"${DROPPED_KEY}":${dropped},` +
    `"msg":"buffered records dropped"}\n`
  );
}
