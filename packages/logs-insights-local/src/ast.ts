/** The parsed query: what the parser produces and the evaluator runs. Offsets point into the query. */

export interface Span {
  /** Offset of the node's first character in the query. */
  readonly offset: number;
  /** Offset just past the node. */
  readonly end: number;
}

export type Expr =
  | (Span & { readonly type: 'field'; readonly name: string })
  | (Span & { readonly type: 'string'; readonly value: string })
  | (Span & { readonly type: 'number'; readonly value: number })
  | (Span & { readonly type: 'period'; readonly text: string })
  | (Span & { readonly type: 'regex'; readonly regex: RegExp })
  | (Span & { readonly type: 'list'; readonly items: readonly Expr[] })
  | (Span & { readonly type: 'star' })
  | (Span & {
      readonly type: 'call';
      readonly name: string;
      readonly args: readonly Expr[];
      readonly aggregate: boolean;
      /** The call as written (spaces collapsed): the column `stats` names after it, when not aliased. */
      readonly text: string;
    })
  | (Span & { readonly type: 'not'; readonly operand: Expr })
  | (Span & { readonly type: 'negate'; readonly operand: Expr })
  | (Span & {
      readonly type: 'binary';
      readonly op: BinaryOperator;
      readonly left: Expr;
      readonly right: Expr;
    })
  | (Span & { readonly type: 'in'; readonly operand: Expr; readonly list: Expr; readonly negated: boolean })
  | (Span & {
      readonly type: 'like';
      readonly operand: Expr;
      readonly pattern: Expr;
      readonly negated: boolean;
    });

export type BinaryOperator =
  'and' | 'or' | '=' | '!=' | '<' | '>' | '<=' | '>=' | '=~' | '+' | '-' | '*' | '/' | '%' | '^';

/** An expression and the column it makes: its alias, or the field's name, or its text. */
export interface NamedExpr {
  readonly expr: Expr;
  readonly name: string;
}

export interface SortKey {
  readonly expr: Expr;
  /** The key's text (`bin(5m)`): after `stats`, a column of that name is the key. */
  readonly name: string;
  readonly descending: boolean;
}

export type Command =
  | (Span & { readonly kind: 'fields'; readonly items: readonly NamedExpr[] })
  | (Span & { readonly kind: 'display'; readonly items: readonly NamedExpr[] })
  | (Span & { readonly kind: 'filter'; readonly expr: Expr })
  | (Span & {
      readonly kind: 'parse';
      readonly source: Expr;
      /** A glob (`*` captures) turned into a regex, or the query's regex with named groups. */
      readonly pattern: RegExp;
      readonly names: readonly string[];
    })
  | (Span & {
      readonly kind: 'stats';
      readonly items: readonly NamedExpr[];
      readonly groups: readonly NamedExpr[];
    })
  | (Span & { readonly kind: 'sort'; readonly keys: readonly SortKey[] })
  | (Span & {
      readonly kind: 'limit';
      readonly count: number;
      /** `limit any N`: any N events, reading stops once they are found (no default order). */
      readonly any: boolean;
    })
  | (Span & { readonly kind: 'dedup'; readonly fields: readonly Expr[] });

export interface Query {
  readonly text: string;
  readonly commands: readonly Command[];
}
