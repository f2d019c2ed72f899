import { PINO_LEVELS, PYTHON_LEVEL_ALIASES } from './constants';

/** Level name → number, as the logger will know them (pino's levels plus custom ones). */
export type LevelMap = Readonly<Record<string, number>>;

/** The level map pino builds from `customLevels` / `useOnlyCustomLevels`. */
export function levelMap(customLevels?: Record<string, number>, useOnlyCustomLevels = false): LevelMap {
  return Object.freeze(useOnlyCustomLevels ? { ...customLevels } : { ...PINO_LEVELS, ...customLevels });
}

/** The lowest level of a map (what a target must accept to show everything the logger lets through). */
export function lowestLevel(levels: LevelMap): string {
  return Object.entries(levels).reduce((low, entry) => (entry[1] < low[1] ? entry : low))[0];
}

/**
 * Turn a user-typed level (`INFO`, `warning`, `Debug`, a custom level) into the logger's own name.
 * Throws an Error naming `option` and the accepted values.
 */
export function normalizeLevel(
  value: unknown,
  option: string,
  levels: LevelMap = PINO_LEVELS,
  { allowSilent = true } = {},
): string {
  const accepted = Object.keys(levels).concat(allowSilent ? ['silent'] : []);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    const lower = trimmed.toLowerCase();
    const alias = (PYTHON_LEVEL_ALIASES as Record<string, string>)[lower];
    const candidates = [trimmed, lower, alias];
    for (const candidate of candidates) {
      if (candidate !== undefined && accepted.includes(candidate)) return candidate;
    }
    // A custom level written in another case (`Audit` for `audit`, `AUDIT` for `Audit`).
    const caseless = accepted.find((name) => name.toLowerCase() === lower);
    if (caseless !== undefined) return caseless;
  }
  throw new Error(
    `${option}: ${JSON.stringify(value)} is not a level; accepted: ${accepted.join(', ')} ` +
      `(case-insensitive; WARNING and CRITICAL mean warn and fatal)`,
  );
}
