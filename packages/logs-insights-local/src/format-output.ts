import { cutDisplay, displayWidth, padDisplay } from './display-width';
import type { QueryResult } from './pipeline';

export const FORMATS = Object.freeze(['table', 'json', 'csv'] as const);
export type Format = (typeof FORMATS)[number];

/**
 * `json`: an array with one object per row, every value a string, a column without value left
 * out — as GetQueryResults answers (field/value pairs of strings). A newline ends the output.
 */
export function formatJson(result: QueryResult): string {
  return `${JSON.stringify(result.rows, null, 2)}\n`;
}

/** `csv`: a header line of the columns, then one line per row (RFC 4180 quoting). */
export function formatCsv(result: QueryResult): string {
  const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [result.columns.map(quote).join(',')];
  for (const row of result.rows)
    lines.push(result.columns.map((column) => quote(row[column] ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * `table`: columns padded to their widest value (cut at `maxWidth` terminal columns with `…`; a wide character takes two), then a
 * line with the row count and the events scanned. Control characters show as spaces.
 */
export function formatTable(result: QueryResult, maxWidth = 80): string {
  const clean = (text: string) => {
    // eslint-disable-next-line no-control-regex -- control characters are what is replaced
    const flat = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
    return cutDisplay(flat, maxWidth);
  };
  const cells = result.rows.map((row) => result.columns.map((column) => clean(row[column] ?? '')));
  const widths = result.columns.map((column, i) =>
    Math.max(displayWidth(column), ...cells.map((row) => displayWidth(row[i]))),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => padDisplay(value, widths[i]))
      .join(' │ ')
      .trimEnd();
  const out = [line(result.columns), widths.map((width) => '─'.repeat(width)).join('─┼─')];
  for (const row of cells) out.push(line(row));
  const rows = result.rows.length;
  out.push(
    '',
    `${rows} row${rows === 1 ? '' : 's'}, ${result.scanned} event${result.scanned === 1 ? '' : 's'} scanned`,
  );
  return `${out.join('\n')}\n`;
}

export function formatResult(result: QueryResult, format: Format): string {
  return format === 'json' ? formatJson(result) : format === 'csv' ? formatCsv(result) : formatTable(result);
}
