import type { Command, Expr } from './ast';

/** A test on the raw line that every event the query's leading filters keep passes. */
export type LinePrefilter = (line: string) => boolean;

/** Fields the service makes, whose values are not in the line's text (`@message` is the line itself). */
const SYSTEM_FIELDS = new Set(['@timestamp', '@ingestionTime', '@logStream', '@log']);
const NUMBER_LIKE = /\d/;

/**
 * A cheap necessary condition for the filters at the start of the query (before any command that
 * sets fields), so that most lines those filters drop are dropped without parsing their JSON:
 * `level = "ERROR"` can only hold when the line contains `ERROR`, `ispresent(res.statusCode)`
 * only when it contains `statusCode`. It only ever skips lines the filter would drop:
 * - only text without digits is looked for (a number's text in JSON may differ from the query's:
 *   `1.0`, `1e3`), and only for `=`, `in`, `like "text"` and `ispresent()` of line fields;
 * - a line with a backslash is always parsed, because JSON may escape any character (`\u0045`).
 * Returns `undefined` when the filters give nothing to look for.
 */
export function linePrefilter(commands: readonly Command[]): LinePrefilter | undefined {
  const tests: LinePrefilter[] = [];
  for (const command of commands) {
    if (command.kind !== 'filter') break;
    const test = necessary(command.expr);
    if (test !== undefined) tests.push(test);
  }
  if (tests.length === 0) return undefined;
  return (line) => line.includes('\\') || tests.every((test) => test(line));
}

function lineField(expr: Expr): boolean {
  return expr.type === 'field' && !SYSTEM_FIELDS.has(expr.name);
}

function text(expr: Expr): string | undefined {
  return expr.type === 'string' && expr.value !== '' && !NUMBER_LIKE.test(expr.value)
    ? expr.value
    : undefined;
}

function necessary(expr: Expr): LinePrefilter | undefined {
  switch (expr.type) {
    case 'binary': {
      if (expr.op === 'and') {
        const left = necessary(expr.left);
        const right = necessary(expr.right);
        if (left && right) return (line) => left(line) && right(line);
        return left ?? right;
      }
      if (expr.op === 'or') {
        const left = necessary(expr.left);
        const right = necessary(expr.right);
        return left && right ? (line) => left(line) || right(line) : undefined;
      }
      if (expr.op === '=') {
        const value = lineField(expr.left)
          ? text(expr.right)
          : lineField(expr.right)
            ? text(expr.left)
            : undefined;
        return value === undefined ? undefined : (line) => line.includes(value);
      }
      return undefined;
    }
    case 'in': {
      if (
        expr.negated ||
        !lineField(expr.operand) ||
        expr.list.type !== 'list' ||
        expr.list.items.length === 0
      )
        return undefined;
      const values = expr.list.items.map(text);
      if (values.some((value) => value === undefined)) return undefined;
      return (line) => values.some((value) => line.includes(value as string));
    }
    case 'like': {
      if (expr.negated || !lineField(expr.operand)) return undefined;
      const value = text(expr.pattern);
      return value === undefined ? undefined : (line) => line.includes(value);
    }
    case 'call': {
      if (expr.name !== 'ispresent' || expr.args[0]?.type !== 'field' || !lineField(expr.args[0]))
        return undefined;
      const name = expr.args[0].name.replace(/^@@/, '@');
      const key = name.slice(name.lastIndexOf('.') + 1);
      return key === '' || NUMBER_LIKE.test(key) ? undefined : (line) => line.includes(key);
    }
    default:
      return undefined;
  }
}
