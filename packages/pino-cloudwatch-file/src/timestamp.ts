const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
const pad3 = (n: number): string => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

/** `+01:00` style offset of a local instant; never `Z`, so a local time is never naive. */
function offsetOf(d: Date): string {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/**
 * Formats epoch milliseconds as ISO 8601 with milliseconds: `2025-12-13T12:30:45.123Z` in UTC, or the
 * local time with its offset (`2025-12-13T13:30:45.123+01:00`). The date part is cached per second,
 * since consecutive log records almost always share it.
 */
export function createTimestampFormatter(utc: boolean): (t: number) => string {
  let cachedSecond = NaN;
  let head = '';
  let tail = '';
  let lastTime = NaN;
  let last = '';
  return (time: number): string => {
    // Under load many records share a millisecond.
    if (time === lastTime) return last;
    lastTime = time;
    const t = Math.floor(time);
    const ms = ((t % 1000) + 1000) % 1000;
    const second = t - ms;
    if (second !== cachedSecond) {
      const d = new Date(second);
      if (Number.isNaN(d.getTime())) return (last = new Date(0).toISOString());
      cachedSecond = second;
      if (utc) {
        head = d.toISOString().slice(0, 20);
        tail = 'Z';
      } else {
        head =
          `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T` +
          `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.`;
        tail = offsetOf(d);
      }
    }
    last = head + pad3(ms) + tail;
    return last;
  };
}
