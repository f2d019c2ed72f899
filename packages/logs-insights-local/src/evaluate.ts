import type { Expr } from './ast';
import { SCALARS } from './functions';
import { floorTime, periodOf, type Period } from './period';
import { Instant, type Row, type Value, formatValue, isTrue, toNumber } from './values';

/** The values of a row's aggregate calls, once `stats` has computed them. */
export type AggregateValues = ReadonlyMap<Expr, Value>;

const periods = new Map<string, Period>();
function cachedPeriod(text: string): Period {
  let period = periods.get(text);
  if (period === undefined) {
    period = periodOf(text);
    periods.set(text, period);
  }
  return period;
}

/** The value of `expr` for `row`. A missing field is `undefined`, and so is arithmetic on it. */
export function evaluate(expr: Expr, row: Row, aggregates?: AggregateValues): Value {
  switch (expr.type) {
    case 'field':
      return row.get(expr.name);
    case 'string':
      return expr.value;
    case 'number':
      return expr.value;
    case 'period':
      return expr.text;
    case 'regex':
      return expr.regex.source;
    case 'star':
      return true;
    case 'list':
      return expr.items.map((item) => evaluate(item, row, aggregates));
    case 'not':
      return !isTrue(evaluate(expr.operand, row, aggregates));
    case 'negate': {
      const n = toNumber(evaluate(expr.operand, row, aggregates));
      return n === undefined ? undefined : -n;
    }
    case 'call': {
      // Outside the stats that computes it, an aggregate call is its column (`sort count(*)`).
      if (expr.aggregate) return aggregates !== undefined ? aggregates.get(expr) : row.get(expr.text);
      if (expr.name === 'bin') {
        const time = row.get('@timestamp');
        if (!(time instanceof Instant)) return undefined;
        const arg = expr.args[0];
        const text = arg.type === 'period' ? arg.text : (formatValue(evaluate(arg, row, aggregates)) ?? '');
        return new Instant(floorTime(time.ms, cachedPeriod(text)));
      }
      const args = expr.args.map((arg) => evaluate(arg, row, aggregates));
      return SCALARS[expr.name](args);
    }
    case 'in': {
      const value = evaluate(expr.operand, row, aggregates);
      const list = evaluate(expr.list, row, aggregates);
      const items = Array.isArray(list) ? (list as readonly Value[]) : [list as Value];
      const found = value !== undefined && items.some((item) => equals(value, item));
      return expr.negated ? !found : found;
    }
    case 'like': {
      const value = evaluate(expr.operand, row, aggregates);
      const text = formatValue(value);
      let matched = false;
      if (text !== undefined) {
        if (expr.pattern.type === 'regex') {
          matched = expr.pattern.regex.test(text);
        } else {
          const needle = formatValue(evaluate(expr.pattern, row, aggregates));
          matched = needle !== undefined && text.includes(needle);
        }
      }
      return expr.negated ? !matched : matched;
    }
    case 'binary':
      return binary(expr, row, aggregates);
  }
}

function binary(expr: Extract<Expr, { type: 'binary' }>, row: Row, aggregates?: AggregateValues): Value {
  if (expr.op === 'and') {
    return isTrue(evaluate(expr.left, row, aggregates)) && isTrue(evaluate(expr.right, row, aggregates));
  }
  if (expr.op === 'or') {
    return isTrue(evaluate(expr.left, row, aggregates)) || isTrue(evaluate(expr.right, row, aggregates));
  }
  const left = evaluate(expr.left, row, aggregates);
  if (expr.op === '=~') {
    const text = formatValue(left);
    if (text === undefined) return false;
    if (expr.right.type === 'regex') return expr.right.regex.test(text);
    const pattern = formatValue(evaluate(expr.right, row, aggregates));
    return pattern !== undefined && new RegExp(pattern).test(text);
  }
  const right = evaluate(expr.right, row, aggregates);
  switch (expr.op) {
    case '=':
      return left !== undefined && right !== undefined && equals(left, right);
    case '!=':
      return left !== undefined && right !== undefined && !equals(left, right);
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const order = compare(left, right);
      if (order === undefined) return false;
      return expr.op === '<'
        ? order < 0
        : expr.op === '>'
          ? order > 0
          : expr.op === '<='
            ? order <= 0
            : order >= 0;
    }
    default: {
      const a = toNumber(left);
      const b = toNumber(right);
      if (a === undefined || b === undefined) return undefined;
      switch (expr.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return b === 0 ? undefined : a / b;
        case '%':
          return b === 0 ? undefined : a % b;
        case '^':
          return a ** b;
      }
    }
  }
}

/** Equal as numbers when both read as numbers (`200` and `"200"`), else as text. */
export function equals(a: Value, b: Value): boolean {
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== undefined && y !== undefined) return x === y;
  return formatValue(a) === formatValue(b);
}

/** Order of two values: as numbers when both read as numbers, else as text; `undefined` when one is missing. */
export function compare(a: Value, b: Value): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== undefined && y !== undefined) return x - y;
  const s = formatValue(a) ?? '';
  const t = formatValue(b) ?? '';
  return s < t ? -1 : s > t ? 1 : 0;
}
