import type { Command, Expr, NamedExpr, Query, SortKey } from './ast';
import { type Aggregator, createAggregator } from './aggregates';
import { evaluate } from './evaluate';
import { LogEvent } from './event';
import { compareNatural } from './natural-sort';
import { MapRow, type Row, type Value, formatValue, isTrue } from './values';

/** Rows returned when the query has no `limit` (the `limit` page: "up to 10,000 log events"). */
export const DEFAULT_LIMIT = 10_000;

/** Columns shown when the query names none (no `fields`, `display` or `stats`), as the console does. */
export const DEFAULT_COLUMNS = Object.freeze(['@timestamp', '@message']);

/** A step of the query: takes rows one at a time, hands rows on, and is told when the input ends. */
interface Stage {
  push(row: Row): void;
  end(): void;
  /** True once it takes no more rows (a reached `limit`), so reading can stop. */
  readonly full?: boolean;
}

/** The result: columns in order, and rows of string values (a missing value is absent). */
export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Events read ("records scanned"). */
  readonly scanned: number;
  /** The groups of `stats ... by bin()`: the bin's column, for charts. */
  readonly binColumn?: string;
  /** With `binColumn`: every `by` group's column (the bin's included), so a chart labels its bars with them. */
  readonly groupColumns?: readonly string[];
  /**
   * With `finish({ everyField: true })`: per row, every field it has — an event's own fields (as
   * the console shows a row opened), a stats row's columns — for a page that opens rows.
   */
  readonly rowFields?: ReadonlyArray<Readonly<Record<string, string>>>;
}

/**
 * A query made ready to run: push events in (in any number), then `finish()` for the result.
 * Memory is bounded by the result: `stats` keeps one set of aggregates per group (and `pct` the
 * group's values), `sort` before a limit (the query's or the default 10,000) at most about twice
 * it, `sort | dedup` one row per value, `dedup` one key per kept row.
 */
export class QueryRun {
  private readonly first: Stage;
  private readonly output: Collect;
  readonly columns: readonly string[];
  private scanned = 0;
  private readonly binColumn: string | undefined;
  private readonly groupColumns: readonly string[];

  constructor(query: Query) {
    this.columns = columnsOf(query.commands);
    this.output = new Collect();
    const hasLimit = query.commands.some((command) => command.kind === 'limit');
    let next: Stage = hasLimit ? this.output : new Limit(DEFAULT_LIMIT, this.output);
    const commands = withDefaultOrder(query.commands);
    for (let i = commands.length - 1; i >= 0; i--) {
      const command = commands[i];
      const before = commands[i - 1];
      if (command.kind === 'dedup' && before?.kind === 'sort') {
        // `sort | dedup`: the first row per value in sort order, kept as the best row per value.
        next = new SortDedup(before.keys, command.fields, next);
        i--;
        continue;
      }
      next = stageOf(command, next, rowsToKeep(commands, i, hasLimit));
    }
    this.first = next;
    const stats = commands.find((command) => command.kind === 'stats');
    this.binColumn = stats?.groups.find(
      (group) => group.expr.type === 'call' && group.expr.name === 'bin',
    )?.name;
    this.groupColumns = stats?.groups.map((group) => group.name) ?? [];
  }

  /** Whether more input can change the result (false once a `limit` is reached with no `sort` or `stats` before it). */
  get wantsMore(): boolean {
    return !this.first.full;
  }

  push(event: LogEvent): void {
    this.scanned++;
    this.first.push(event);
  }

  /** Counts an event read but dropped before the query (by the line prefilter). */
  skip(): void {
    this.scanned++;
  }

  finish(options: { readonly everyField?: boolean } = {}): QueryResult {
    this.first.end();
    const columns = this.columns;
    const rows = this.output.rows.map((row) => {
      const out: Record<string, string> = {};
      for (const column of columns) {
        const text = formatValue(row.get(column));
        if (text !== undefined) out[column] = text;
      }
      return out;
    });
    let result: QueryResult = { columns, rows, scanned: this.scanned };
    if (options.everyField === true) result = { ...result, rowFields: this.output.rows.map(everyFieldOf) };
    return this.binColumn === undefined
      ? result
      : { ...result, binColumn: this.binColumn, groupColumns: this.groupColumns };
  }
}

/** Every field of a row as text: an event's own (its system fields, JSON keys, set fields), a stats row's values. */
function everyFieldOf(row: Row): Record<string, string> {
  const values =
    row instanceof LogEvent ? row.fields() : row instanceof MapRow ? row.values : new Map<string, Value>();
  const out: Record<string, string> = {};
  for (const [name, value] of values) {
    const text = formatValue(value);
    if (text !== undefined) out[name] = text;
  }
  return out;
}

/**
 * Events come out newest first unless the query sorts them: "the default descending sort order
 * using @timestamp" of the `dedup` page. So a query without `sort` or `stats` gets a
 * `sort @timestamp desc` before its first `limit` or `dedup` (which then keep the latest events),
 * or at its end.
 */
export function withDefaultOrder(commands: readonly Command[]): readonly Command[] {
  if (commands.some((command) => command.kind === 'sort' || command.kind === 'stats')) return commands;
  const at = commands.findIndex((command) => command.kind === 'limit' || command.kind === 'dedup');
  if (at !== -1 && commands[at].kind === 'limit' && (commands[at] as { any: boolean }).any) return commands;
  const expr: Expr = { type: 'field', name: '@timestamp', offset: -1, end: -1 };
  const sort: Command = {
    kind: 'sort',
    keys: [{ expr, name: '@timestamp', descending: true }],
    offset: -1,
    end: -1,
  };
  return at === -1 ? [...commands, sort] : [...commands.slice(0, at), sort, ...commands.slice(at)];
}

/** Columns of the result: the last `display`, else `stats` groups and aggregates plus later `fields`, else every `fields`. */
export function columnsOf(commands: readonly Command[]): string[] {
  let columns: string[] | undefined;
  for (const command of commands) {
    if (command.kind === 'fields') {
      columns ??= [];
      for (const item of command.items) if (!columns.includes(item.name)) columns.push(item.name);
    } else if (command.kind === 'stats') {
      columns = [...command.groups.map((group) => group.name), ...command.items.map((item) => item.name)];
    } else if (command.kind === 'display') {
      columns = command.items.map((item) => item.name);
    }
  }
  return columns ?? [...DEFAULT_COLUMNS];
}

/**
 * How many rows a sort at `index` must keep: those of the `limit` that follows it (through commands
 * that neither drop nor add rows), or of the default limit when nothing else follows; `undefined`
 * when a filter, dedup or stats comes first (then every row is kept).
 */
function rowsToKeep(commands: readonly Command[], index: number, hasLimit: boolean): number | undefined {
  for (let j = index + 1; j < commands.length; j++) {
    const command = commands[j];
    if (command.kind === 'limit') return command.count;
    if (command.kind !== 'fields' && command.kind !== 'display' && command.kind !== 'parse') return undefined;
  }
  return hasLimit ? undefined : DEFAULT_LIMIT;
}

function stageOf(command: Command, next: Stage, keep: number | undefined): Stage {
  switch (command.kind) {
    case 'fields':
    case 'display':
      return new Assign(command.items, next);
    case 'filter':
      return new Filter(command.expr, next);
    case 'parse':
      return new Parse(command, next);
    case 'stats':
      return new Stats(command.items, command.groups, next);
    case 'sort':
      return new Sort(command.keys, keep, next);
    case 'limit':
      return new Limit(command.count, next);
    case 'dedup':
      return new Dedup(command.fields, next);
  }
}

/** Rows set as fields: an event gets the computed fields; a stats row is copied first. */
function settable(row: Row): { row: Row; set(name: string, value: Value): void } {
  if (row instanceof LogEvent) return { row, set: (name, value) => row.set(name, value) };
  const copy = new MapRow(new Map(row instanceof MapRow ? row.values : []));
  return { row: copy, set: (name, value) => copy.values.set(name, value) };
}

class Assign implements Stage {
  private readonly computed: readonly NamedExpr[];
  constructor(
    items: readonly NamedExpr[],
    private readonly next: Stage,
  ) {
    this.computed = items.filter((item) => !(item.expr.type === 'field' && item.expr.name === item.name));
  }
  get full() {
    return this.next.full;
  }
  push(row: Row) {
    if (this.computed.length === 0) return this.next.push(row);
    const target = settable(row);
    const values = this.computed.map((item) => evaluate(item.expr, row));
    this.computed.forEach((item, i) => target.set(item.name, values[i]));
    this.next.push(target.row);
  }
  end() {
    this.next.end();
  }
}

class Filter implements Stage {
  constructor(
    private readonly expr: Expr,
    private readonly next: Stage,
  ) {}
  get full() {
    return this.next.full;
  }
  push(row: Row) {
    if (isTrue(evaluate(this.expr, row))) this.next.push(row);
  }
  end() {
    this.next.end();
  }
}

class Parse implements Stage {
  constructor(
    private readonly command: Extract<Command, { kind: 'parse' }>,
    private readonly next: Stage,
  ) {}
  get full() {
    return this.next.full;
  }
  push(row: Row) {
    const text = formatValue(evaluate(this.command.source, row));
    const match = text === undefined ? null : this.command.pattern.exec(text);
    const target = settable(row);
    // A value that does not match leaves the fields without value (the event stays).
    this.command.names.forEach((name, i) => {
      const value =
        match === null
          ? undefined
          : match.groups !== undefined && name in match.groups
            ? match.groups[name]
            : match[i + 1];
      target.set(name, value);
    });
    this.next.push(target.row);
  }
  end() {
    this.next.end();
  }
}

interface Group {
  readonly keys: Value[];
  readonly aggregators: Aggregator[];
  /** The group's first row, for expressions of its fields. */
  readonly sample: Row;
}

class Stats implements Stage {
  private readonly calls: Extract<Expr, { type: 'call' }>[] = [];
  private readonly groups = new Map<string, Group>();
  constructor(
    private readonly items: readonly NamedExpr[],
    private readonly by: readonly NamedExpr[],
    private readonly next: Stage,
  ) {
    const collect = (expr: Expr): void => {
      if (expr.type === 'call' && expr.aggregate) {
        this.calls.push(expr);
        return;
      }
      for (const child of children(expr)) collect(child);
    };
    for (const item of items) collect(item.expr);
  }
  push(row: Row) {
    const keys = this.by.map((group) => evaluate(group.expr, row));
    const id = keys.map((key) => (key === undefined ? '\u0001' : formatValue(key))).join('\u0000');
    let group = this.groups.get(id);
    if (group === undefined) {
      group = { keys, aggregators: this.calls.map(createAggregator), sample: row };
      this.groups.set(id, group);
    }
    for (const aggregator of group.aggregators) aggregator.add(row);
  }
  end() {
    if (this.groups.size === 0 && this.by.length === 0) {
      // stats without groups over no events still answers one row (count 0), like the service
      this.groups.set('', { keys: [], aggregators: this.calls.map(createAggregator), sample: new MapRow() });
    }
    for (const group of this.groups.values()) {
      const values = new Map<Expr, Value>();
      this.calls.forEach((call, i) => values.set(call, group.aggregators[i].result()));
      const out = new MapRow();
      this.by.forEach((by, i) => out.values.set(by.name, group.keys[i]));
      for (const item of this.items) out.values.set(item.name, evaluate(item.expr, group.sample, values));
      this.next.push(out);
      if (this.next.full) break;
    }
    this.next.end();
  }
}

function children(expr: Expr): Expr[] {
  switch (expr.type) {
    case 'call':
      return [...expr.args];
    case 'not':
    case 'negate':
      return [expr.operand];
    case 'binary':
      return [expr.left, expr.right];
    case 'in':
      return [expr.operand, expr.list];
    case 'like':
      return [expr.operand, expr.pattern];
    case 'list':
      return [...expr.items];
    default:
      return [];
  }
}

interface Keyed {
  readonly keys: Value[];
  readonly seq: number;
  readonly row: Row;
}

/** The order of `sort`: key by key, a missing value last whichever the direction, then input order. */
function orderOf(keys: readonly SortKey[]): (a: Keyed, b: Keyed) => number {
  return (a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.keys[i];
      const y = b.keys[i];
      if (x === undefined || y === undefined) {
        if (x !== y) return x === undefined ? 1 : -1;
        continue;
      }
      const d = compareNatural(x, y);
      if (d !== 0) return keys[i].descending ? -d : d;
    }
    return a.seq - b.seq;
  };
}

/** The sort keys of a row; after `stats`, a key written as a column's name (`bin(5m)`) is that column. */
function sortKeysOf(keys: readonly SortKey[], row: Row): Value[] {
  return keys.map((key) =>
    row instanceof MapRow && row.values.has(key.name) ? row.values.get(key.name) : evaluate(key.expr, row),
  );
}

/** The key of `dedup` for a row, or `undefined` when a field has no value (such rows are all kept). */
function dedupKeyOf(fields: readonly Expr[], row: Row): string | undefined {
  const values = fields.map((field) => evaluate(field, row));
  if (values.some((value) => value === undefined)) return undefined;
  return values.map((value) => formatValue(value)).join('\u0000');
}

class Sort implements Stage {
  private rows: Keyed[] = [];
  private seq = 0;
  private readonly order: (a: Keyed, b: Keyed) => number;
  constructor(
    private readonly keys: readonly SortKey[],
    /** The rows the limit after it takes, if known: only that many are kept. */
    private readonly keep: number | undefined,
    private readonly next: Stage,
  ) {
    this.order = orderOf(keys);
  }
  push(row: Row) {
    this.rows.push({ keys: sortKeysOf(this.keys, row), seq: this.seq++, row });
    if (this.keep !== undefined && this.rows.length >= 2 * this.keep + 1024) this.trim();
  }
  private trim() {
    this.rows.sort(this.order);
    if (this.keep !== undefined) this.rows.length = Math.min(this.rows.length, this.keep);
  }
  end() {
    this.trim();
    for (const keyed of this.rows) {
      this.next.push(keyed.row);
      if (this.next.full) break;
    }
    this.rows = [];
    this.next.end();
  }
}

class Limit implements Stage {
  private count = 0;
  constructor(
    private readonly max: number,
    private readonly next: Stage,
  ) {}
  get full() {
    return this.count >= this.max;
  }
  push(row: Row) {
    if (this.count >= this.max) return;
    this.count++;
    this.next.push(row);
  }
  end() {
    this.next.end();
  }
}

/**
 * `sort ... | dedup ...`: keeps, per dedup value, the row that sorts first (and every row without a
 * value), so memory holds the result, not the input; then hands them on in sort order.
 */
class SortDedup implements Stage {
  private readonly best = new Map<string, Keyed>();
  private readonly valueless: Keyed[] = [];
  private seq = 0;
  private readonly order: (a: Keyed, b: Keyed) => number;
  constructor(
    private readonly keys: readonly SortKey[],
    private readonly fields: readonly Expr[],
    private readonly next: Stage,
  ) {
    this.order = orderOf(keys);
  }
  push(row: Row) {
    const keyed: Keyed = { keys: sortKeysOf(this.keys, row), seq: this.seq++, row };
    const key = dedupKeyOf(this.fields, row);
    if (key === undefined) return void this.valueless.push(keyed);
    const held = this.best.get(key);
    if (held === undefined || this.order(keyed, held) < 0) this.best.set(key, keyed);
  }
  end() {
    const rows = [...this.best.values(), ...this.valueless].sort(this.order);
    for (const keyed of rows) {
      this.next.push(keyed.row);
      if (this.next.full) break;
    }
    this.next.end();
  }
}

class Dedup implements Stage {
  private readonly seen = new Set<string>();
  constructor(
    private readonly fields: readonly Expr[],
    private readonly next: Stage,
  ) {}
  get full() {
    return this.next.full;
  }
  push(row: Row) {
    const key = dedupKeyOf(this.fields, row);
    // An event without a value in a dedup field is kept (the dedup page: null values are not duplicates).
    if (key === undefined) return this.next.push(row);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.next.push(row);
  }
  end() {
    this.next.end();
  }
}

class Collect implements Stage {
  readonly rows: Row[] = [];
  push(row: Row) {
    this.rows.push(row);
  }
  end() {}
}
