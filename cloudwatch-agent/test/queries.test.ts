import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AGENT_DIR, REPO_ROOT } from './helpers';

const QUERY_DIR = path.join(AGENT_DIR, 'queries');
const insights = readFileSync(path.join(REPO_ROOT, 'docs/insights.md'), 'utf8');

/** A query file without its comment lines, as Logs Insights runs it. */
function queryOf(file: string): string {
  return readFileSync(path.join(QUERY_DIR, file), 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .trim();
}

describe('Logs Insights query pack', () => {
  it('has the queries the issue asks for', () => {
    expect(readdirSync(QUERY_DIR).sort()).toEqual([
      'errors-by-app-logger.txt',
      'errors.txt',
      'latency-by-route.txt',
      'lines-of-trace.txt',
      'record-time-vs-event-time.txt',
      'requests-by-status.txt',
      'slow-requests.txt',
    ]);
    expect(queryOf('latency-by-route.txt')).toMatch(
      /pct\(response_time_ms, 50\)[\s\S]*pct\(response_time_ms, 95\)/,
    );
    expect(queryOf('latency-by-route.txt')).toMatch(/pct\(response_time_ms, 99\)/);
  });

  it.each(readdirSync(QUERY_DIR))('%s is shown verbatim in docs/insights.md', (file) => {
    expect(insights).toContain(queryOf(file));
  });

  it('explains @timestamp (event time) vs @@timestamp (our field)', () => {
    expect(insights).toMatch(/our `@timestamp` field is `@@timestamp`/);
    expect(queryOf('record-time-vs-event-time.txt')).toMatch(/@@timestamp/);
  });
});
