import {
  labelOf,
  parseLevelLabels as parseSharedLevelLabels,
  parsePairs as parseSharedPairs,
  PINO_LEVELS,
  type LevelLabelMap,
} from 'pino-cloudwatch-core';
import type { Painter } from './colorize';
import { truncateText } from './format-value';
import { badOption } from './option-error';
import { sanitizeHeadText } from './sanitize-text';

export type { LevelLabelMap };

/** Level name → number, as pino's `levels.values`. */
export type LevelValues = Readonly<Record<string, number>>;

/** Longest label printed for a level that is not in the level map; longer ones are cut and not cached. */
const MAX_UNKNOWN_LABEL = 64;

/** Unknown labels remembered (their badges painted once); more are painted each time. */
const MAX_CACHED_UNKNOWN = 256;

/**
 * Parses the `levelLabels` option with the toolkit's one level-label rule (pino-cloudwatch-core's `parseLevelLabels`,
 * the same the JSON file uses): `'default'`, `'python'`, an object, or the text
 * `warn:WARNING,fatal:CRITICAL` / a JSON object. Keys are level names in any case.
 */
export function parseLevelLabels(value: unknown): LevelLabelMap {
  return parseSharedLevelLabels(value, (option, rule, given) => {
    throw badOption(option, rule, given);
  });
}

/**
 * Parses the `customLevels` option: an object `{ notice: 35 }` (pino's own option shape) or the
 * text `notice:35,audit:45`. The result is merged over pino's default levels.
 */
export function parseCustomLevels(value: unknown): LevelValues {
  if (value === undefined || value === null || value === '') return PINO_LEVELS;
  const map = typeof value === 'string' ? parsePairs('customLevels', value) : value;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw badOption('customLevels', 'must be an object of level name → number, or "name:number,…"', value);
  }
  const levels: Record<string, number> = { ...PINO_LEVELS };
  const fromText = typeof value === 'string';
  for (const [name, raw] of Object.entries(map as Record<string, unknown>)) {
    // Numbers are read from text only in the text form ("notice:35"); an object takes numbers.
    const num = fromText && typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof num !== 'number' || !Number.isInteger(num)) {
      throw badOption(`customLevels.${name}`, 'must be an integer level number', raw);
    }
    levels[name] = num;
  }
  return Object.freeze(levels);
}

/**
 * Parses `customColors`: level name → colorette colour name, as an object or `notice:cyan,…`.
 * Returned as `[levelNumber, colour]` pairs, the shape pino-pretty's colorizer takes.
 */
export function parseCustomColors(value: unknown, levels: LevelValues): Array<[number, string]> {
  if (value === undefined || value === null || value === '') return [];
  const map = typeof value === 'string' ? parsePairs('customColors', value) : value;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw badOption(
      'customColors',
      'must be an object of level name → colour name, or "name:colour,…"',
      value,
    );
  }
  const pairs: Array<[number, string]> = [];
  for (const [name, colour] of Object.entries(map as Record<string, unknown>)) {
    const num = levels[name] ?? (/^\d+$/.test(name) ? Number(name) : undefined);
    if (num === undefined) throw badOption(`customColors.${name}`, 'must name a known level', name);
    if (typeof colour !== 'string') throw badOption(`customColors.${name}`, 'must be a colour name', colour);
    pairs.push([num, colour]);
  }
  return pairs;
}

/** Splits `a:b,c:d` (or a JSON object) into a plain object of strings: pino-cloudwatch-core's `parsePairs`. */
function parsePairs(option: string, text: string): unknown {
  return parseSharedPairs(text, (rule) => {
    throw badOption(option, rule, text);
  });
}

/**
 * The printed `[LABEL]` badge of every level, painted once at setup. Same labels as the JSON
 * file: the pino level name upper-cased unless `labels` renames it; a number with no name
 * prints as its digits (`[35]`). Any other value (a label from a line pino did not write) is
 * escaped like a message and cut at 64 characters: it can neither control the terminal nor fill
 * the line.
 */
export class LevelBadges {
  private readonly byNumber = new Map<number, string>();
  private readonly byName = new Map<string, string>();
  private readonly unknown = new Map<string, string>();

  constructor(
    levels: LevelValues,
    private readonly labels: LevelLabelMap,
    private readonly painter: Painter,
  ) {
    for (const [name, num] of Object.entries(levels)) {
      const badge = painter.level(num, `[${labelOf(name, labels)}]`);
      // The first name wins when two share a number, as in pino's own labels map.
      if (!this.byNumber.has(num)) this.byNumber.set(num, badge);
      this.byName.set(name.toLowerCase(), badge);
    }
  }

  /** The badge of a record's `level` value: a number, or a label that `formatters.level` wrote. */
  of(level: unknown): string {
    if (typeof level === 'number') return this.byNumber.get(level) ?? this.cached(String(level), level);
    if (typeof level === 'string') {
      const lower = level.toLowerCase();
      return this.byName.get(lower) ?? this.cached(labelOf(level, this.labels), -1);
    }
    return this.cached(String(level), -1);
  }

  private cached(label: string, num: number): string {
    let badge = this.unknown.get(label);
    if (badge === undefined) {
      badge = this.painter.level(num, `[${sanitizeHeadText(truncateText(label, MAX_UNKNOWN_LABEL))}]`);
      if (this.unknown.size < MAX_CACHED_UNKNOWN && label.length <= MAX_UNKNOWN_LABEL)
        this.unknown.set(label, badge);
    }
    return badge;
  }
}
