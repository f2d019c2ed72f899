import type { Expr } from './ast';
import { compareNatural } from './natural-sort';
import { Instant, type Row, type Value, formatValue, toNumber } from './values';
import { evaluate } from './evaluate';

/** One aggregate of one group: fed the group's rows, then asked for its value. */
export interface Aggregator {
  add(row: Row): void;
  result(): Value;
}

type Factory = (call: Extract<Expr, { type: 'call' }>) => Aggregator;

/** Keeps the numbers of a field (values that are not numbers are skipped, as by the service). */
function numbers(call: Extract<Expr, { type: 'call' }>, finish: (values: number[]) => Value): Aggregator {
  const values: number[] = [];
  return {
    add: (row) => {
      const n = toNumber(evaluate(call.args[0], row));
      if (n !== undefined) values.push(n);
    },
    result: () => (values.length === 0 ? undefined : finish(values)),
  };
}

function running(
  call: Extract<Expr, { type: 'call' }>,
  step: (state: number, n: number) => number,
  finish: (state: number, count: number) => number = (state) => state,
  initial = 0,
): Aggregator {
  let state = initial;
  let count = 0;
  let instant = false;
  return {
    add: (row) => {
      const value = evaluate(call.args[0], row);
      const n = toNumber(value);
      if (n === undefined || typeof value === 'boolean') return;
      if (value instanceof Instant) instant = true;
      state = count === 0 && initial !== 0 ? n : step(state, n);
      count++;
    },
    result: () => {
      if (count === 0) return undefined;
      const value = finish(state, count);
      return instant && call.name !== 'sum' && call.name !== 'avg' ? new Instant(value) : value;
    },
  };
}

/** The value of a field at the earliest (or latest) `@timestamp` of the group. */
function byTime(call: Extract<Expr, { type: 'call' }>, latest: boolean): Aggregator {
  let best: number | undefined;
  let value: Value;
  return {
    add: (row) => {
      const time = row.get('@timestamp');
      const v = evaluate(call.args[0], row);
      if (v === undefined || !(time instanceof Instant)) return;
      if (best === undefined || (latest ? time.ms >= best : time.ms < best)) {
        best = time.ms;
        value = v;
      }
    },
    result: () => value,
  };
}

function bySort(call: Extract<Expr, { type: 'call' }>, last: boolean): Aggregator {
  let value: Value;
  return {
    add: (row) => {
      const v = evaluate(call.args[0], row);
      if (v === undefined) return;
      if (value === undefined || (last ? compareNatural(v, value) > 0 : compareNatural(v, value) < 0))
        value = v;
    },
    result: () => value,
  };
}

/**
 * The percentile `p` (0–100) by nearest rank: the smallest value with at least p % of the values at
 * or below it. The service computes an approximation; on small groups it gives these values.
 */
export function percentile(values: number[], p: number): number {
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

const AGGREGATORS: Record<string, Factory> = {
  count: (call) => {
    let count = 0;
    const arg = call.args[0];
    const all = arg === undefined || arg.type === 'star';
    return {
      add: (row) => {
        if (all || evaluate(arg, row) !== undefined) count++;
      },
      result: () => count,
    };
  },
  count_distinct: (call) => {
    const seen = new Set<string>();
    return {
      add: (row) => {
        const text = formatValue(evaluate(call.args[0], row));
        if (text !== undefined) seen.add(text);
      },
      result: () => seen.size,
    };
  },
  sum: (call) => running(call, (s, n) => s + n),
  avg: (call) =>
    running(
      call,
      (s, n) => s + n,
      (s, count) => s / count,
    ),
  min: (call) => running(call, Math.min, undefined, Infinity),
  max: (call) => running(call, Math.max, undefined, -Infinity),
  pct: (call) => {
    // The parser lets only a number from 0 to 100 through.
    const p = call.args[1];
    const rank = p.type === 'number' ? p.value : 50;
    return numbers(call, (values) => percentile(values, rank));
  },
  stddev: (call) =>
    numbers(call, (values) => {
      if (values.length < 2) return 0;
      const mean = values.reduce((s, n) => s + n, 0) / values.length;
      const squares = values.reduce((s, n) => s + (n - mean) ** 2, 0);
      return Math.sqrt(squares / (values.length - 1));
    }),
  earliest: (call) => byTime(call, false),
  latest: (call) => byTime(call, true),
  sortsfirst: (call) => bySort(call, false),
  sortslast: (call) => bySort(call, true),
};
AGGREGATORS.percentile = AGGREGATORS.pct;

/** A fresh aggregator for an aggregate call of `stats`. */
export function createAggregator(call: Extract<Expr, { type: 'call' }>): Aggregator {
  return AGGREGATORS[call.name](call);
}
