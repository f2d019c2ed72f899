/** Reading the demo's EMF files back (metrics.log.* of pino-cloudwatch-metrics). */
import fs from 'node:fs';
import path from 'node:path';
import type { EmfDocument } from 'pino-cloudwatch-metrics/internal';

export const METRICS_FILE = /^metrics\.log\.\d{4}-\d{2}-\d{2}_\d{2}$/;

/** Every EMF document of every metrics.log.* file in `dir`. */
export function readMetricsFiles(dir: string): EmfDocument[] {
  return fs
    .readdirSync(dir)
    .filter((name) => METRICS_FILE.test(name))
    .sort()
    .flatMap((name) => fs.readFileSync(path.join(dir, name), 'utf8').split('\n'))
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as EmfDocument);
}
