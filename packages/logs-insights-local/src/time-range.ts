import { PERIOD_UNITS } from './catalog';

/** `-<n><unit>`, the unit one of the query's period units (`bin(5min)` and `--since -5min` alike). */
const RELATIVE = /^-(\d+(?:\.\d+)?)([a-z]+)$/;
const CALENDAR_MONTHS: Readonly<Record<string, number>> = Object.freeze({ month: 1, quarter: 3, year: 12 });

/** `now` less `amount` of `unit`, or `undefined` when the unit is not a period unit. */
function before(now: number, amount: number, unit: string): number | undefined {
  const size = Object.hasOwn(PERIOD_UNITS, unit) ? PERIOD_UNITS[unit] : undefined;
  if (size === undefined) return undefined;
  if (typeof size === 'number') return now - amount * size;
  // Calendar units count whole months back, in UTC, as bin() floors them.
  if (!Number.isInteger(amount)) return undefined;
  const date = new Date(now);
  date.setUTCMonth(date.getUTCMonth() - amount * CALENDAR_MONTHS[size]);
  return date.getTime();
}

/**
 * `--since` / `--until`: an ISO 8601 time (`2025-12-13T12:00:00Z`, `2025-12-13`, a time without
 * zone is UTC, as the console's UTC setting reads it), epoch milliseconds, or relative to `now`
 * (`-1h`, `-30m`, `-5min`, `-2d`, `-1mo`: the units of `bin()`). Returns milliseconds, or throws naming the option.
 */
export function parseTimeArg(option: string, text: string, now: number): number {
  const relative = RELATIVE.exec(text.trim());
  const back = relative === null ? undefined : before(now, Number(relative[1]), relative[2]);
  if (back !== undefined) return back;
  if (/^\d{10,}$/.test(text.trim())) return Number(text.trim());
  const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(text.trim())
    ? `${text.trim().replace(' ', 'T')}${text.includes(':') ? 'Z' : ''}`
    : text.trim();
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new Error(
      `${option} must be an ISO time (2025-12-13T12:00:00Z), epoch milliseconds or relative (-1h, -30m, -2d; the units of bin()), got ${JSON.stringify(text)}`,
    );
  }
  return ms;
}
