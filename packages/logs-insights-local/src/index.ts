export { runQuery } from './run-query';
export type { QueryInput, RunOptions } from './run-query';
export { parseQuery } from './parser';
export { QueryError } from './query-error';
export { DEFAULT_LIMIT } from './pipeline';
export type { QueryResult } from './pipeline';
export { formatCsv, formatJson, formatTable } from './format-output';
export { formatChart } from './chart';
export type * from './ast';
