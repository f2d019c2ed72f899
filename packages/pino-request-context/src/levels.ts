import pino from 'pino';

/** Level name → number: pino's own levels plus the logger's custom ones. */
export type LevelMap = Readonly<Record<string, number>>;

/** pino's levels, from pino itself, plus `customLevels` (the same map pino builds). */
export function levelMap(customLevels: Record<string, number> = {}): LevelMap {
  return Object.freeze({ ...pino.levels.values, ...customLevels });
}

/**
 * The number of a level name of `levels` (`'silent'` is `Infinity`: nothing passes). Throws an
 * Error naming `option` and the accepted names.
 */
export function levelValue(levels: LevelMap, name: unknown, option: string): number {
  if (typeof name === 'string') {
    if (name === 'silent') return Infinity;
    const value = levels[name] ?? levels[name.toLowerCase()];
    if (value !== undefined) return value;
  }
  throw new Error(
    `pino-request-context: ${option}: ${JSON.stringify(name)} is not a level; accepted: ` +
      `${Object.keys(levels).concat('silent').join(', ')}`,
  );
}

/** The name of a level number in `levels` (`'silent'` for `Infinity`). */
export function levelName(levels: LevelMap, value: number): string {
  if (value === Infinity) return 'silent';
  return Object.keys(levels).find((name) => levels[name] === value) ?? String(value);
}
