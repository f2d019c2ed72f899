import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type LogRecord = Record<string, unknown>;

/** A pino destination keeping every raw pino record, parsed, in memory. */
export function memoryDestination(): { records: LogRecord[]; write(line: string): void } {
  const records: LogRecord[] = [];
  return { records, write: (line: string) => void records.push(JSON.parse(line) as LogRecord) };
}

/** A fresh temporary folder and its cleanup. */
export function tempDir(): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-demo-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const HOURLY_FILE = /^app\.log\.\d{4}-\d{2}-\d{2}_\d{2}$/;

/** Every JSON line of every hourly file in `dir`, oldest file first (a run may straddle an hour). */
export function readHourlyFiles(dir: string): { files: string[]; records: LogRecord[] } {
  const files = fs
    .readdirSync(dir)
    .filter((name) => HOURLY_FILE.test(name))
    .sort();
  const records = files
    .flatMap((name) => fs.readFileSync(path.join(dir, name), 'utf8').split('\n'))
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogRecord);
  return { files, records };
}

/** Keys of the CloudWatch JSON line that always come first, in this order (CONTRACT §1). */
export const CORE_KEYS = ['@timestamp', 'level', 'logger', 'app', 'process', 'message'];
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
