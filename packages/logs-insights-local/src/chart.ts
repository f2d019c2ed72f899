import { displayWidth, padDisplay } from './display-width';
import type { QueryResult } from './pipeline';

/**
 * `stats ... by bin()` as horizontal bars, one per row in the result's order: the `by` groups (the
 * bin's time and the others, each in a column of its own width) as the label, the first aggregate
 * with numbers as the bar (a row without a value: no bar) (scaled to `width` for the largest value) and its value.
 * A group is never the bar, even when its values are numbers (`by bin(5m), res.statusCode`).
 * Throws when the query has no `bin()` group (or does not show it) or no numeric aggregate. No
 * rows: the header line only.
 */
export function formatChart(result: QueryResult, width = 50): string {
  const binColumn = result.binColumn;
  if (binColumn === undefined) throw new Error('--chart needs a query with stats ... by bin(...)');
  // A result built by hand may name no groups: then the bin and every column without numbers.
  const groups =
    result.groupColumns ??
    result.columns.filter(
      (column) =>
        column === binColumn || result.rows.every((row) => Number.isNaN(Number(row[column] ?? 'x'))),
    );
  if (!result.columns.includes(binColumn))
    throw new Error(`--chart needs the ${binColumn} column, which the query's display leaves out`);
  const labelColumns = result.columns.filter((column) => groups.includes(column));
  const valueColumn = result.columns.find(
    (column) =>
      !groups.includes(column) &&
      (result.rows.length === 0 || result.rows.some((row) => row[column] !== undefined)) &&
      result.rows.every((row) => row[column] === undefined || !Number.isNaN(Number(row[column]))),
  );
  if (valueColumn === undefined) throw new Error('--chart needs a numeric aggregate in stats');
  const widths = labelColumns.map((column) =>
    Math.max(displayWidth(column), ...result.rows.map((row) => displayWidth(row[column] ?? ''))),
  );
  const label = (texts: readonly string[]) => texts.map((text, i) => padDisplay(text, widths[i])).join('  ');
  const values = result.rows.map((row) => Number(row[valueColumn] ?? 0));
  const max = Math.max(0, ...values);
  const lines = [`${label(labelColumns)}  ${valueColumn}`];
  result.rows.forEach((row, i) => {
    const eighths = max === 0 ? 0 : Math.round((Math.max(0, values[i]) / max) * width * 8);
    const bar = '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 === 0 ? '' : PARTIAL[eighths % 8]);
    lines.push(`${label(labelColumns.map((column) => row[column] ?? ''))}  ${bar} ${row[valueColumn] ?? ''}`);
  });
  return `${lines.join('\n')}\n`;
}

const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
