/**
 * What the query language has, and what this tool runs of it. Names are matched without regard to
 * case, as Logs Insights does for commands and functions.
 */

/** Scalar functions run here: name (lower case) → [fewest, most] arguments. */
export const SCALAR_FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = Object.freeze({
  // general
  ispresent: [1, 1],
  coalesce: [1, Infinity],
  // string
  isempty: [1, 1],
  isblank: [1, 1],
  concat: [1, Infinity],
  ltrim: [1, 2],
  rtrim: [1, 2],
  trim: [1, 2],
  strlen: [1, 1],
  toupper: [1, 1],
  tolower: [1, 1],
  substr: [2, 3],
  replace: [3, 3],
  strcontains: [2, 2],
  // numeric
  abs: [1, 1],
  ceil: [1, 1],
  floor: [1, 1],
  greatest: [1, Infinity],
  least: [1, Infinity],
  log: [1, 1],
  sqrt: [1, 1],
  // datetime
  bin: [1, 1],
  datefloor: [2, 2],
  dateceil: [2, 2],
  frommillis: [1, 1],
  tomillis: [1, 1],
  // IP addresses
  isvalidip: [1, 1],
  isvalidipv4: [1, 1],
  isvalidipv6: [1, 1],
  isipinsubnet: [2, 2],
  isipv4insubnet: [2, 2],
  isipv6insubnet: [2, 2],
});

/** Aggregate functions of `stats`: name → [fewest, most] arguments. */
export const AGGREGATE_FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = Object.freeze({
  count: [0, 1],
  count_distinct: [1, 1],
  sum: [1, 1],
  avg: [1, 1],
  min: [1, 1],
  max: [1, 1],
  pct: [2, 2],
  percentile: [2, 2],
  stddev: [1, 1],
  earliest: [1, 1],
  latest: [1, 1],
  sortsfirst: [1, 1],
  sortslast: [1, 1],
});

/** Commands run here. */
export const COMMANDS = Object.freeze([
  'fields',
  'display',
  'filter',
  'parse',
  'stats',
  'sort',
  'limit',
  'dedup',
]);

/** Commands of the service that this tool refuses (they need the service's state or its models). */
export const REFUSED_COMMANDS = Object.freeze([
  'pattern',
  'diff',
  'anomaly',
  'source',
  'unmask',
  'filterindex',
  'fieldindex',
  'lookup',
  'unnest',
  'expand',
]);

/** Functions of the service that this tool refuses. */
export const REFUSED_FUNCTIONS = Object.freeze([
  'jsonparse',
  'jsonstringify',
  'rate',
  'count_over_time',
  'sum_over_time',
  'histogram',
  'loggroups',
  'anomaly',
]);

/** Units of a period (`5m`, `1h`): milliseconds, or a calendar unit floored by the calendar. */
export const PERIOD_UNITS: Readonly<Record<string, number | 'month' | 'quarter' | 'year'>> = Object.freeze({
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  mo: 'month',
  q: 'quarter',
  y: 'year',
});
