import { charWidth } from './display-width';

/**
 * A query the tool cannot run: a syntax error, or a command or function it refuses. `column` is
 * 1-based within `line` (1-based), so the message can point at it with a caret.
 */
export class QueryError extends Error {
  override name = 'QueryError';
  constructor(
    message: string,
    /** Offset of the offending text in the query (0-based), or -1 when it is the whole query. */
    readonly offset: number = -1,
  ) {
    super(message);
  }

  /** The message, and for a position the query's line with a caret under the column. */
  describe(query: string): string {
    if (this.offset < 0) return this.message;
    const { line, column, text } = lineAt(query, this.offset);
    return `${this.message} (line ${line}, column ${column})\n  ${text}\n  ${caretIndent(text.slice(0, column - 1))}^`;
  }
}

/**
 * The blank that puts a caret under the character after `before` on a terminal: a tab stays a
 * tab (it moves to the same tab stop), a wide character (CJK, emoji) takes two columns, a
 * combining mark none.
 */
function caretIndent(before: string): string {
  let indent = '';
  for (const char of before) indent += char === '\t' ? '\t' : ' '.repeat(charWidth(char));
  return indent;
}

/** 1-based line and column of `offset` in `source`, with that line's text. */
export function lineAt(source: string, offset: number): { line: number; column: number; text: string } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const start = before.lastIndexOf('\n') + 1;
  const end = source.indexOf('\n', start);
  const text = source.slice(start, end === -1 ? undefined : end).replace(/\r$/, '');
  return { line, column: offset - start + 1, text };
}
