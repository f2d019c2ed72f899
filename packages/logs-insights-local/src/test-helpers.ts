import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogEvent } from './event';
import { runQuery } from './run-query';

/** A fresh temporary folder and its cleanup. */
export function tempDir(): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-insights-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** An event from a JSON object (or raw text) of a file modified at `time` (its time when the line has none). */
export function eventOf(
  record: Record<string, unknown> | string,
  time = Date.UTC(2025, 11, 13, 12),
): LogEvent {
  const line = typeof record === 'string' ? record : JSON.stringify(record);
  return new LogEvent(line, { logStream: 'app.log.2025-12-13_12', log: '/logs', ingestionTime: time });
}

/** Runs `query` over `lines` written to a real temp file; returns the rows (strings). */
export async function queryLines(query: string, lines: readonly (Record<string, unknown> | string)[]) {
  const tmp = tempDir();
  try {
    const file = path.join(tmp.dir, 'app.log.2025-12-13_12');
    fs.writeFileSync(
      file,
      lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n',
    );
    return await runQuery(query, [file]);
  } finally {
    tmp.cleanup();
  }
}

/** Our line shape (CONTRACT §1) at `minute:second` past 12:00 on 2025-12-13, with extras. */
export function ourLine(at: string, level: string, message: string, extra: Record<string, unknown> = {}) {
  return {
    '@timestamp': `2025-12-13T12:${at}.000Z`,
    level,
    logger: 'app',
    app: 'cw_demo',
    process: 'main',
    message,
    ...extra,
  };
}
