const RELATIVE = /^-(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * `--since` / `--until`: an ISO 8601 time (`2025-12-13T12:00:00Z`, `2025-12-13`, a time without
 * zone is UTC, as the console's UTC setting reads it), epoch milliseconds, or relative to `now`
 * (`-1h`, `-30m`, `-2d`). Returns milliseconds, or throws naming the option.
 */
export function parseTimeArg(option: string, text: string, now: number): number {
  const relative = RELATIVE.exec(text.trim());
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2]];
  if (/^\d{10,}$/.test(text.trim())) return Number(text.trim());
  const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(text.trim())
    ? `${text.trim().replace(' ', 'T')}${text.includes(':') ? 'Z' : ''}`
    : text.trim();
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new Error(
      `${option} must be an ISO time (2025-12-13T12:00:00Z), epoch milliseconds or relative (-1h, -30m, -2d), got ${JSON.stringify(text)}`,
    );
  }
  return ms;
}
