import { PERIOD_UNITS } from './catalog';
import { QueryError } from './query-error';

/** A period of `bin()`/`datefloor()`: a fixed length in milliseconds, or a count of calendar units. */
export type Period =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'calendar'; readonly unit: 'month' | 'quarter' | 'year'; readonly count: number };

/** Reads `5m`, `1h`, `30s`, `1d`, `1w`, `1mo`, `1q`, `1y`; a bad one is a QueryError at `offset`. */
export function periodOf(text: string, offset = -1): Period {
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]+)$/.exec(text);
  const unit = match ? PERIOD_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) {
    throw new QueryError(
      `invalid period ${JSON.stringify(text)}: a number and one of ${Object.keys(PERIOD_UNITS).join(', ')} (e.g. 5m)`,
      offset,
    );
  }
  const count = Number(match[1]);
  return typeof unit === 'number' ? { kind: 'fixed', ms: count * unit } : { kind: 'calendar', unit, count };
}

/** The start of the period holding `ms` (UTC; fixed periods are aligned to the epoch). */
export function floorTime(ms: number, period: Period): number {
  if (period.kind === 'fixed') return Math.floor(ms / period.ms) * period.ms;
  const date = new Date(ms);
  const months =
    period.unit === 'month' ? period.count : period.unit === 'quarter' ? 3 * period.count : 12 * period.count;
  const index = date.getUTCFullYear() * 12 + date.getUTCMonth();
  const start = Math.floor(index / months) * months;
  return Date.UTC(Math.floor(start / 12), start % 12, 1);
}

/** The start of the next period, or `ms` when it is already a period's start. */
export function ceilTime(ms: number, period: Period): number {
  const floor = floorTime(ms, period);
  if (floor === ms) return ms;
  if (period.kind === 'fixed') return floor + period.ms;
  const date = new Date(floor);
  const months =
    period.unit === 'month' ? period.count : period.unit === 'quarter' ? 3 * period.count : 12 * period.count;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1);
}
