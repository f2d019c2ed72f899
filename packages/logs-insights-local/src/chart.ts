import type { QueryResult } from './pipeline';

/**
 * `stats ... by bin()` as horizontal bars, one per row in the result's order: the bin's time and
 * the other groups as the label, the first numeric aggregate as the bar (scaled to `width` for
 * the largest value) and its value. Throws when the query has no `bin()` group.
 */
export function formatChart(result: QueryResult, width = 50): string {
  const binColumn = result.binColumn;
  if (binColumn === undefined) throw new Error('--chart needs a query with stats ... by bin(...)');
  const labelColumns = result.columns.filter(
    (column) =>
      column === binColumn ||
      result.rows.every((row) => row[column] === undefined || Number.isNaN(Number(row[column]))),
  );
  const valueColumn = result.columns.find((column) => !labelColumns.includes(column) && column !== binColumn);
  if (valueColumn === undefined) throw new Error('--chart needs a numeric aggregate in stats');
  const labels = result.rows.map((row) => labelColumns.map((column) => row[column] ?? '').join('  '));
  const values = result.rows.map((row) => Number(row[valueColumn] ?? 0) || 0);
  const max = Math.max(0, ...values);
  const labelWidth = Math.max(0, ...labels.map((label) => label.length));
  const lines = [`${labelColumns.join('  ').padEnd(labelWidth)}  ${valueColumn}`];
  result.rows.forEach((row, i) => {
    const eighths = max === 0 ? 0 : Math.round((values[i] / max) * width * 8);
    const bar = '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 === 0 ? '' : PARTIAL[eighths % 8]);
    lines.push(`${labels[i].padEnd(labelWidth)}  ${bar} ${row[valueColumn] ?? ''}`);
  });
  return `${lines.join('\n')}\n`;
}

const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
