import type { BinaryOperator, Command, Expr, NamedExpr, Query, SortKey } from './ast';
import {
  AGGREGATE_FUNCTIONS,
  COMMANDS,
  REFUSED_COMMANDS,
  REFUSED_FUNCTIONS,
  SCALAR_FUNCTIONS,
} from './catalog';
import { globToRegExp, toRegExp } from './regex';
import { periodOf } from './period';
import { QueryError } from './query-error';
import { type Token, tokenize } from './tokenizer';

const COMPARISON = new Set(['=', '!=', '<', '>', '<=', '>=', '=~']);

/**
 * Parses a Logs Insights query (commands separated by `|`) into its commands, by recursive
 * descent. Every error is a {@link QueryError} at the offending token's offset; commands and
 * functions the service has and this tool does not run are refused by name.
 */
export function parseQuery(text: string): Query {
  return new Parser(text).query();
}

class Parser {
  private readonly tokens: Token[];
  private position = 0;
  /** Inside `stats`: aggregate functions are allowed. */
  private aggregates = false;
  /** After `stats`: an aggregate call names its column (`sort count(*) desc`). */
  private afterStats = false;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  query(): Query {
    const commands: Command[] = [];
    if (this.peek().kind === 'end') throw new QueryError('the query is empty', 0);
    for (;;) {
      const start = this.peek();
      const command = this.command();
      // The dedup page: "The only query command that you can use in a query after the dedup command is limit."
      if (commands.some((earlier) => earlier.kind === 'dedup') && command.kind !== 'limit') {
        throw new QueryError(`only limit can follow dedup, not ${command.kind}`, start.offset);
      }
      commands.push(command);
      const token = this.peek();
      if (token.kind === 'end') break;
      if (this.isOperator('|')) {
        this.next();
        continue;
      }
      throw new QueryError(`unexpected ${describe(token)}; commands are separated by |`, token.offset);
    }
    return { text: this.text, commands };
  }

  private command(): Command {
    const token = this.next();
    if (token.kind !== 'identifier' || token.extra !== undefined) {
      throw new QueryError(
        `expected a command (${COMMANDS.join(', ')}), got ${describe(token)}`,
        token.offset,
      );
    }
    const name = token.value.toLowerCase();
    const offset = token.offset;
    switch (name) {
      case 'fields':
      case 'display': {
        const items = this.list(() => this.namedExpr());
        return { kind: name, items, offset, end: this.lastEnd() };
      }
      case 'filter':
        return { kind: 'filter', expr: this.expr(), offset, end: this.lastEnd() };
      case 'parse':
        return this.parseCommand(offset);
      case 'stats':
        return this.statsCommand(offset);
      case 'sort': {
        const keys = this.list((): SortKey => {
          const expr = this.expr();
          const name =
            expr.type === 'field' ? expr.name : this.text.slice(expr.offset, expr.end).replace(/\s+/g, ' ');
          const direction = this.peek();
          if (direction.kind === 'identifier' && /^(asc|desc)$/i.test(direction.value)) {
            this.next();
            return { expr, name, descending: direction.value.toLowerCase() === 'desc' };
          }
          return { expr, name, descending: false };
        });
        return { kind: 'sort', keys, offset, end: this.lastEnd() };
      }
      case 'limit': {
        const any = this.isWord('any');
        if (any) this.next();
        const count = this.next();
        const value = Number(count.value);
        if (count.kind !== 'number' || !Number.isInteger(value) || value < 1) {
          throw new QueryError(
            `limit takes a whole number of rows (1 or more), got ${describe(count)}`,
            count.offset,
          );
        }
        return { kind: 'limit', count: value, any, offset, end: this.lastEnd() };
      }
      case 'dedup': {
        const fields = this.list(() => this.expr());
        return { kind: 'dedup', fields, offset, end: this.lastEnd() };
      }
      default:
        if ((REFUSED_COMMANDS as readonly string[]).includes(name)) {
          throw new QueryError(
            `${token.value} is a Logs Insights command that logs-insights does not run (it runs ${COMMANDS.join(', ')})`,
            offset,
          );
        }
        throw new QueryError(
          `unknown command ${JSON.stringify(token.value)} (commands: ${COMMANDS.join(', ')})`,
          offset,
        );
    }
  }

  /** `parse [field] "glob with *" as a, b` or `parse [field] /regex with (?<named>groups)/`. */
  private parseCommand(offset: number): Command {
    let source: Expr = { type: 'field', name: '@message', offset, end: offset };
    this.refuseParseMode();
    if (this.peek().kind !== 'string' && this.peek().kind !== 'regex') source = this.primary();
    this.refuseParseMode();
    const pattern = this.next();
    if (pattern.kind === 'string') {
      const regex = globToRegExp(pattern.value);
      if (!this.isWord('as'))
        throw new QueryError('parse with a glob pattern needs `as` and the field names', this.peek().offset);
      this.next();
      const names = this.list(() => this.fieldName());
      const stars = (pattern.value.match(/\*/g) ?? []).length;
      if (names.length !== stars) {
        throw new QueryError(
          `the pattern has ${stars} * but ${names.length} field names follow as`,
          pattern.offset,
        );
      }
      return { kind: 'parse', source, pattern: regex, names, offset, end: this.lastEnd() };
    }
    if (pattern.kind === 'regex') {
      const regex = this.regexOf(pattern);
      const names = [...pattern.value.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((match) => match[1]);
      if (names.length === 0) {
        throw new QueryError(
          'parse with a regular expression needs named groups: (?<name>...)',
          pattern.offset,
        );
      }
      return { kind: 'parse', source, pattern: regex, names, offset, end: this.lastEnd() };
    }
    throw new QueryError(`parse expects a "glob" or a /regex/, got ${describe(pattern)}`, pattern.offset);
  }

  /** The service's logfmt and CSV modes of parse are not run here. */
  private refuseParseMode(): void {
    const token = this.peek();
    if (token.kind === 'identifier' && token.extra === undefined && /^(logfmt|csv)$/i.test(token.value)) {
      throw new QueryError(
        `parse in ${token.value} mode is not run by logs-insights (it runs glob and regex)`,
        token.offset,
      );
    }
  }

  private statsCommand(offset: number): Command {
    this.aggregates = true;
    const items = this.list(() => this.namedExpr());
    this.aggregates = false;
    for (const item of items) {
      if (!containsAggregate(item.expr)) {
        throw new QueryError(
          `stats needs an aggregate function here (count, sum, avg, pct, ...)`,
          item.expr.offset,
        );
      }
    }
    let groups: NamedExpr[] = [];
    if (this.isWord('by')) {
      this.next();
      this.aggregates = true; // read them, to refuse them by name below
      groups = this.list(() => this.namedExpr());
      this.aggregates = false;
      for (const group of groups) {
        if (containsAggregate(group.expr)) {
          throw new QueryError('an aggregate function cannot be a group of stats ... by', group.expr.offset);
        }
      }
    }
    if (this.isWord('offset')) {
      throw new QueryError(
        'stats ... by bin() offset (time-shifted bins) is not run by logs-insights',
        this.peek().offset,
      );
    }
    this.afterStats = true;
    return { kind: 'stats', items, groups, offset, end: this.lastEnd() };
  }

  private namedExpr(): NamedExpr {
    const expr = this.expr();
    if (this.isWord('as')) {
      this.next();
      return { expr, name: this.fieldName() };
    }
    const name =
      expr.type === 'field' ? expr.name : this.text.slice(expr.offset, expr.end).replace(/\s+/g, ' ');
    return { expr, name };
  }

  private fieldName(): string {
    const token = this.next();
    if (token.kind !== 'identifier')
      throw new QueryError(`expected a field name, got ${describe(token)}`, token.offset);
    return token.value;
  }

  private list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.isOperator(',')) {
      this.next();
      items.push(item());
    }
    return items;
  }

  // Expressions, lowest precedence first.

  expr(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.isWord('or')) {
      this.next();
      const right = this.and();
      left = { type: 'binary', op: 'or', left, right, offset: left.offset, end: right.end };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isWord('and')) {
      this.next();
      const right = this.not();
      left = { type: 'binary', op: 'and', left, right, offset: left.offset, end: right.end };
    }
    return left;
  }

  private not(): Expr {
    if (this.isWord('not')) {
      const token = this.next();
      const operand = this.not();
      return { type: 'not', operand, offset: token.offset, end: operand.end };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    const token = this.peek();
    if (token.kind === 'operator' && COMPARISON.has(token.value)) {
      this.next();
      const right = token.value === '=~' ? this.regexOperand() : this.additive();
      return {
        type: 'binary',
        op: token.value as BinaryOperator,
        left,
        right,
        offset: left.offset,
        end: right.end,
      };
    }
    let negated = false;
    if (this.isWord('not') && /^(like|in)$/i.test(this.peek(1).value) && this.peek(1).kind === 'identifier') {
      this.next();
      negated = true;
    }
    if (this.isWord('like')) {
      this.next();
      const pattern = this.peek().kind === 'regex' ? this.regexOperand() : this.additive();
      return { type: 'like', operand: left, pattern, negated, offset: left.offset, end: pattern.end };
    }
    if (this.isWord('in')) {
      this.next();
      const list = this.additive();
      return { type: 'in', operand: left, list, negated, offset: left.offset, end: list.end };
    }
    if (negated) throw new QueryError('expected like or in after not', this.peek().offset);
    return left;
  }

  private regexOperand(): Expr {
    const token = this.peek();
    if (token.kind === 'regex') {
      this.next();
      return { type: 'regex', regex: this.regexOf(token), offset: token.offset, end: token.end };
    }
    return this.additive();
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOperator('+') || this.isOperator('-')) {
      const op = this.next().value as BinaryOperator;
      const right = this.multiplicative();
      left = { type: 'binary', op, left, right, offset: left.offset, end: right.end };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.power();
    while (this.isOperator('*') || this.isOperator('/') || this.isOperator('%')) {
      const op = this.next().value as BinaryOperator;
      const right = this.power();
      left = { type: 'binary', op, left, right, offset: left.offset, end: right.end };
    }
    return left;
  }

  private power(): Expr {
    const left = this.unary();
    if (this.isOperator('^')) {
      this.next();
      const right = this.power();
      return { type: 'binary', op: '^', left, right, offset: left.offset, end: right.end };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOperator('-')) {
      const token = this.next();
      const operand = this.unary();
      return { type: 'negate', operand, offset: token.offset, end: operand.end };
    }
    return this.primary();
  }

  private primary(): Expr {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { type: 'string', value: token.value, offset: token.offset, end: token.end };
      case 'number':
        return { type: 'number', value: Number(token.value), offset: token.offset, end: token.end };
      case 'duration':
        periodOf(token.value, token.offset); // checks the unit
        return { type: 'period', text: token.value, offset: token.offset, end: token.end };
      case 'regex':
        return { type: 'regex', regex: this.regexOf(token), offset: token.offset, end: token.end };
      case 'identifier':
        if (token.extra === undefined && this.isOperator('(')) return this.call(token);
        if (token.extra === undefined && /^(and|or|not|like|in|as|by)$/i.test(token.value)) {
          throw new QueryError(`expected a value, got the keyword ${token.value}`, token.offset);
        }
        return { type: 'field', name: token.value, offset: token.offset, end: token.end };
      case 'operator':
        if (token.value === '(') {
          const inner = this.expr();
          this.expectOperator(')');
          return { ...inner, offset: token.offset, end: this.lastEnd() };
        }
        if (token.value === '[') {
          const items = this.isOperator(']') ? [] : this.list(() => this.expr());
          this.expectOperator(']');
          return { type: 'list', items, offset: token.offset, end: this.lastEnd() };
        }
        break;
      case 'end':
        throw new QueryError('the query ends where a value is expected', token.offset);
    }
    throw new QueryError(`expected a value, got ${describe(token)}`, token.offset);
  }

  private call(nameToken: Token): Expr {
    this.expectOperator('(');
    const name = nameToken.value.toLowerCase();
    const aggregate = Object.hasOwn(AGGREGATE_FUNCTIONS, name);
    const scalar = Object.hasOwn(SCALAR_FUNCTIONS, name);
    if ((REFUSED_FUNCTIONS as readonly string[]).includes(name)) {
      throw new QueryError(
        `${nameToken.value}() is a Logs Insights function that logs-insights does not run`,
        nameToken.offset,
      );
    }
    if (!aggregate && !scalar)
      throw new QueryError(`unknown function ${nameToken.value}()`, nameToken.offset);
    if (aggregate && !this.aggregates && !this.afterStats) {
      throw new QueryError(
        `${nameToken.value}() is an aggregate function: use it in stats`,
        nameToken.offset,
      );
    }
    const args: Expr[] = [];
    const wasAggregates = this.aggregates;
    this.aggregates = false; // no aggregate inside an aggregate
    if (!this.isOperator(')')) {
      for (;;) {
        if (this.isOperator('*') && aggregate) {
          const star = this.next();
          args.push({ type: 'star', offset: star.offset, end: star.end });
        } else {
          args.push(this.expr());
        }
        if (!this.isOperator(',')) break;
        this.next();
      }
    }
    this.aggregates = wasAggregates;
    this.expectOperator(')');
    const [fewest, most] = aggregate ? AGGREGATE_FUNCTIONS[name] : SCALAR_FUNCTIONS[name];
    if (args.length < fewest || args.length > most) {
      const wanted =
        fewest === most ? `${fewest}` : most === Infinity ? `${fewest} or more` : `${fewest} to ${most}`;
      throw new QueryError(
        `${nameToken.value}() takes ${wanted} argument(s), got ${args.length}`,
        nameToken.offset,
      );
    }
    const periodArg =
      name === 'bin' ? args[0] : name === 'datefloor' || name === 'dateceil' ? args[1] : undefined;
    if (periodArg !== undefined) {
      if (periodArg.type === 'string') periodOf(periodArg.value, periodArg.offset);
      else if (periodArg.type !== 'period')
        throw new QueryError(
          `${nameToken.value}() takes a period like 5m, 1h or 1d, got ${this.text.slice(periodArg.offset, periodArg.end)}`,
          periodArg.offset,
        );
    }
    if (name === 'pct' || name === 'percentile') {
      const p = args[1];
      if (p.type !== 'number' || p.value < 0 || p.value > 100)
        throw new QueryError(
          `${nameToken.value}() takes the percentile as a number from 0 to 100, got ${this.text.slice(p.offset, p.end)}`,
          p.offset,
        );
    }
    const text = this.text.slice(nameToken.offset, this.lastEnd()).replace(/\s+/g, ' ');
    return { type: 'call', name, args, aggregate, text, offset: nameToken.offset, end: this.lastEnd() };
  }

  private regexOf(token: Token): RegExp {
    try {
      return toRegExp(token.value, token.extra ?? '');
    } catch (err) {
      throw new QueryError(`invalid regular expression: ${(err as Error).message}`, token.offset);
    }
  }

  // Token helpers.

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (this.position < this.tokens.length - 1) this.position++;
    return token;
  }

  private lastEnd(): number {
    return this.tokens[Math.max(0, this.position - 1)].end;
  }

  private isOperator(value: string): boolean {
    const token = this.peek();
    return token.kind === 'operator' && token.value === value;
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token.kind === 'identifier' && token.extra === undefined && token.value.toLowerCase() === word;
  }

  private expectOperator(value: string): void {
    const token = this.next();
    if (token.kind !== 'operator' || token.value !== value) {
      throw new QueryError(`expected ${value}, got ${describe(token)}`, token.offset);
    }
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the query';
    case 'string':
      return `the string ${JSON.stringify(token.value)}`;
    case 'regex':
      return `the regular expression /${token.value}/`;
    default:
      return JSON.stringify(token.value);
  }
}

/** Whether an expression holds an aggregate function call. */
export function containsAggregate(expr: Expr): boolean {
  switch (expr.type) {
    case 'call':
      return expr.aggregate || expr.args.some(containsAggregate);
    case 'not':
    case 'negate':
      return containsAggregate(expr.operand);
    case 'binary':
      return containsAggregate(expr.left) || containsAggregate(expr.right);
    case 'in':
      return containsAggregate(expr.operand) || containsAggregate(expr.list);
    case 'like':
      return containsAggregate(expr.operand) || containsAggregate(expr.pattern);
    case 'list':
      return expr.items.some(containsAggregate);
    default:
      return false;
  }
}
