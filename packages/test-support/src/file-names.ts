/**
 * Test-only versions of pino-cloudwatch-file's file-name rule in UTC, for suites that may use only
 * the package's public entry (the reliability suite). Deliberately simple (UTC, no folds); checked
 * against the names the transport really writes by test/file-names.test.ts.
 */

/** The suffix styles of the file names: `hour` `2025-12-13_12`, `day` `2025-12-13`, `second` `2025-12-13_12-30-00`. */
export type SuffixStyle = 'hour' | 'day' | 'second';

const pad = (n: number): string => String(n).padStart(2, '0');

/** The suffix of the UTC period of `periodMs` that contains `t` (periods aligned to midnight UTC). */
export function utcPeriodName(t: number, periodMs: number, style: SuffixStyle): string {
  const start = new Date(Math.floor(t / periodMs) * periodMs);
  const day = `${start.getUTCFullYear()}-${pad(start.getUTCMonth() + 1)}-${pad(start.getUTCDate())}`;
  if (style === 'day') return day;
  if (style === 'hour') return `${day}_${pad(start.getUTCHours())}`;
  return `${day}_${pad(start.getUTCHours())}-${pad(start.getUTCMinutes())}-${pad(start.getUTCSeconds())}`;
}

const PATTERNS: Readonly<Record<SuffixStyle, RegExp>> = Object.freeze({
  hour: /^(\d{4})-(\d{2})-(\d{2})_(\d{2})$/,
  day: /^(\d{4})-(\d{2})-(\d{2})$/,
  second: /^(\d{4})-(\d{2})-(\d{2})_(\d{2})-(\d{2})-(\d{2})$/,
});

/**
 * The UTC start a suffix names, or `undefined` when the text is not exactly a valid suffix of the
 * style (a `.gz`, another style, a month 13 or a 31st of April all give `undefined`).
 */
export function parseUtcSuffix(suffix: string, style: SuffixStyle): number | undefined {
  const m = PATTERNS[style].exec(suffix);
  if (m === null) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map(Number);
  if (year < 1970) return undefined;
  const t = Date.UTC(year, month - 1, day, hour, minute, second);
  return utcPeriodName(t, 1000, style === 'second' ? 'second' : style) === suffix ? t : undefined;
}
