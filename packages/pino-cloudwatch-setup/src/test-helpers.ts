import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A pino destination keeping every record, parsed, in memory. */
export function memoryDestination(): { records: Record<string, unknown>[]; write(line: string): void } {
  const records: Record<string, unknown>[] = [];
  return {
    records,
    write(line: string) {
      records.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'cw-setup-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
