import { QueryError } from './query-error';

export type TokenKind =
  | 'identifier' // field names, keywords, function names; `quoted` when written in backticks
  | 'string'
  | 'number'
  | 'duration' // 5m, 1h, 30s: a number glued to a unit, as bin() and datefloor() take
  | 'regex'
  | 'operator' // = != < > <= >= =~ + - * / % ^ ( ) [ ] , |
  | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The token's value: the identifier, the string's content, the regex's source, the operator. */
  readonly value: string;
  /** Offset of the token's first character in the query. */
  readonly offset: number;
  /** Offset just past the token. */
  readonly end: number;
  /** Regex flags (after the closing `/`), or `'`'` for a backtick-quoted identifier. */
  readonly extra?: string;
}

// `:` only appears in syntax this tool refuses (`SOURCE logGroups(namePrefix: [...])`): reading it
// lets the parser name what it refuses instead of stopping at the character.
const OPERATORS = [
  '!=',
  '<=',
  '>=',
  '=~',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '(',
  ')',
  '[',
  ']',
  ',',
  '|',
  ':',
];
const IDENTIFIER_START = /[A-Za-z_@]/;
const IDENTIFIER_PART = /[A-Za-z0-9_@.]/;

/**
 * Splits a query into tokens. `#` starts a comment to the end of the line. A `/` starts a regex
 * where an operand is expected (at the start, after an operator, a comma or a keyword such as
 * `like`), and is division after an operand: that is how `a / 2` and `like /x/` both read.
 * A name holds letters, digits, `_`, `@` and `.`; any other character needs backticks
 * (`` `request-id` ``, `` @`aws.tag.stack-name` ``), as the "Fields that contain special characters"
 * page says, so `a-b` is a subtraction.
 */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, value: string, offset: number, end: number, extra?: string) =>
    tokens.push(extra === undefined ? { kind, value, offset, end } : { kind, value, offset, end, extra });

  while (i < query.length) {
    const ch = query[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < query.length && query[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (ch === '"' || ch === "'") {
      const { value, end } = readQuoted(query, i, ch);
      push('string', value, start, end);
      i = end;
      continue;
    }
    if (ch === '`' || (ch === '@' && query[i + 1] === '`')) {
      const open = ch === '@' ? i + 1 : i;
      const close = query.indexOf('`', open + 1);
      if (close === -1) throw new QueryError('unterminated `quoted field name`', start);
      push('identifier', (ch === '@' ? '@' : '') + query.slice(open + 1, close), start, close + 1, '`');
      i = close + 1;
      continue;
    }
    if (ch === '/' && expectsOperand(tokens)) {
      const { source, end } = readRegex(query, i);
      let flagsEnd = end;
      while (flagsEnd < query.length && /[a-z]/.test(query[flagsEnd])) flagsEnd++;
      push('regex', source, start, flagsEnd, query.slice(end, flagsEnd));
      i = flagsEnd;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(query[i + 1] ?? ''))) {
      let j = i;
      while (j < query.length && /[0-9]/.test(query[j])) j++;
      if (query[j] === '.' && /[0-9]/.test(query[j + 1] ?? '')) {
        j++;
        while (j < query.length && /[0-9]/.test(query[j])) j++;
      }
      if (/[eE]/.test(query[j] ?? '') && /[0-9]/.test(query[j + 1] ?? '')) {
        j++;
        while (j < query.length && /[0-9]/.test(query[j])) j++;
      }
      if (/[A-Za-z]/.test(query[j] ?? '')) {
        let k = j;
        while (k < query.length && /[A-Za-z]/.test(query[k])) k++;
        push('duration', query.slice(i, k), start, k);
        i = k;
        continue;
      }
      push('number', query.slice(i, j), start, j);
      i = j;
      continue;
    }
    if (IDENTIFIER_START.test(ch)) {
      let j = i + 1;
      while (j < query.length && IDENTIFIER_PART.test(query[j])) j++;
      while (query[j - 1] === '.') j--; // a trailing dot is not part of a name
      push('identifier', query.slice(i, j), start, j);
      i = j;
      continue;
    }
    const op = OPERATORS.find((candidate) => query.startsWith(candidate, i));
    if (op === undefined) throw new QueryError(`unexpected character ${JSON.stringify(ch)}`, start);
    push('operator', op, start, i + op.length);
    i += op.length;
  }
  push('end', '', query.length, query.length);
  return tokens;
}

/** A `/` opens a regex unless the previous token ends an operand (a name, a literal, `)` or `]`). */
function expectsOperand(tokens: readonly Token[]): boolean {
  const previous = tokens[tokens.length - 1];
  if (previous === undefined) return true;
  if (previous.kind === 'operator') return previous.value !== ')' && previous.value !== ']';
  if (previous.kind === 'identifier' && previous.extra === undefined) {
    if (/^(like|and|or|not|in|parse|filter|as|by)$/i.test(previous.value)) return true;
  }
  // `parse <field> /regex/`
  const before = tokens[tokens.length - 2];
  if (previous.kind === 'identifier' && before?.kind === 'identifier' && /^parse$/i.test(before.value))
    return true;
  return false;
}

function readQuoted(query: string, start: number, quote: string): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < query.length) {
    const ch = query[i];
    if (ch === '\\' && i + 1 < query.length) {
      const next = query[i + 1];
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
      i += 2;
      continue;
    }
    if (ch === quote) return { value, end: i + 1 };
    value += ch;
    i++;
  }
  throw new QueryError('unterminated string', start);
}

function readRegex(query: string, start: number): { source: string; end: number } {
  let i = start + 1;
  let inClass = false;
  while (i < query.length) {
    const ch = query[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    else if (ch === '/' && !inClass) return { source: query.slice(start + 1, i), end: i + 1 };
    else if (ch === '\n') break;
    i++;
  }
  throw new QueryError('unterminated regular expression', start);
}
