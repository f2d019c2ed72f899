import { OptionError, optionError } from './option-error';

/**
 * Levels: the one module every package of the toolkit reads level names with (pino's names and
 * numbers, Python's aliases, the label presets, the `name:value,…` text form), so a level or a
 * label map means the same thing in the file, on the console, in the setup helper and in request
 * contexts.
 *
 * Level labels:
 *
 * - A level's label is its pino name upper-cased (`info` → `INFO`, custom `notice` → `NOTICE`)
 *   unless the map renames it. A level number with no name is written as its digits.
 * - Map keys are pino level names, compared without regard to case: `{ Warn: 'WARNING' }` renames
 *   `warn`. Two keys for the same name (`warn` and `WARN`) are refused.
 * - A label is a non-empty run of printable characters without spaces, brackets, quotes or
 *   backslashes (`WARNING`, `CRIT!`, `Avertissement`), so it reads the same as a JSON value and
 *   inside the console's `[LABEL]`.
 * - The option takes `'default'`, `'python'` (warn → WARNING, fatal → CRITICAL), a map, or the
 *   same map as text, `'warn:WARNING,fatal:CRITICAL'` or `'{"warn":"WARNING"}'` (a command line,
 *   an environment variable).
 */

/** pino's own level names and numbers (`pino.levels.values`), used until the logger (or an option) says otherwise. */
export const PINO_LEVELS: Readonly<Record<string, number>> = Object.freeze({
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
});

/** Lower-case level name → label. What {@link parseLevelLabels} returns. */
export type LevelLabelMap = Readonly<Record<string, string>>;

/** What the `levelLabels` option accepts. */
export type LevelLabelsOption = 'default' | 'python' | Readonly<Record<string, string>> | string;

/** The label presets; a level not named in one is its name upper-cased. */
export const LEVEL_LABEL_PRESETS: Readonly<{ default: LevelLabelMap; python: LevelLabelMap }> = Object.freeze(
  {
    default: Object.freeze({}),
    python: Object.freeze({ warn: 'WARNING', fatal: 'CRITICAL' }),
  },
);

/**
 * How a caller reports a bad value: throw an error naming `option` (`levelLabels`,
 * `levelLabels.warn`), the rule it breaks and the value given. Each package throws its own error
 * type with its own prefix; the rules are these.
 */
export type OptionFailure = (option: string, rule: string, value: unknown) => never;

const defaultFailure: OptionFailure = (option, rule, value) => {
  throw optionError('pino-cloudwatch-core', option, rule, value);
};

const MUST_BE =
  "must be 'default', 'python' or a map of level names to labels ({ warn: 'WARNING' } or \"warn:WARNING,fatal:CRITICAL\")";

/** Printable, no whitespace, no `[` `]` `"` `\`, no control characters. */
const LABEL = /^[^\s[\]"\\\p{Cc}]+$/u;

/**
 * Checks the `levelLabels` option once and returns a frozen map from lower-case level name to
 * label. `fail` reports a bad value (default: throw an {@link OptionError}).
 */
export function parseLevelLabels(value: unknown, fail: OptionFailure = defaultFailure): LevelLabelMap {
  if (value === undefined || value === 'default') return LEVEL_LABEL_PRESETS.default;
  if (value === 'python') return LEVEL_LABEL_PRESETS.python;
  const map = typeof value === 'string' ? parseText(value, fail) : value;
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    return fail('levelLabels', MUST_BE, value);
  }
  const labels: Record<string, string> = {};
  const keyOf = new Map<string, string>();
  for (const [name, label] of Object.entries(map as Record<string, unknown>)) {
    if (typeof label !== 'string' || !LABEL.test(label)) {
      fail(
        `levelLabels.${name}`,
        'must be a non-empty label without spaces, brackets, quotes, backslashes or control characters',
        label,
      );
    }
    const lower = name.toLowerCase();
    const earlier = keyOf.get(lower);
    if (earlier !== undefined) {
      fail(
        `levelLabels.${name}`,
        `names the same level as levelLabels.${earlier} (names ignore case)`,
        label,
      );
    }
    keyOf.set(lower, name);
    labels[lower] = label;
  }
  return Object.freeze(labels);
}

/**
 * The label of the level named `name`: the map's label for it (keys are lower case; an exact key
 * is tried first for maps built by hand), else the name upper-cased.
 */
export function labelOf(name: string, labels: LevelLabelMap): string {
  if (Object.hasOwn(labels, name)) return labels[name];
  const lower = name.toLowerCase();
  return Object.hasOwn(labels, lower) ? labels[lower] : name.toUpperCase();
}

/**
 * The label of every level number of a logger, the first name of a number winning (as in pino's
 * own labels map). `levels` is the logger's map; pino's default names fill in the numbers it does
 * not name (a map of custom levels alone, as pino hands it to a targets worker, still labels
 * INFO, WARN, ...).
 */
export function labelsByNumber(
  levels: Readonly<Record<string, number>> | undefined,
  labels: LevelLabelMap,
): Map<number, string> {
  const byNumber = new Map<number, string>();
  for (const [name, num] of [...Object.entries(levels ?? {}), ...Object.entries(PINO_LEVELS)]) {
    if (!byNumber.has(num)) byNumber.set(num, labelOf(name, labels));
  }
  return byNumber;
}

/**
 * Maps pino level numbers to the label written in `level`, already JSON-encoded (`"INFO"`).
 * A number with no name is written as its digits (`"35"`), never dropped.
 */
export class LevelLabels {
  private readonly byNumber = new Map<number, string>();
  /** Level numbers under 128 (all of pino's, most custom ones) are looked up in an array. */
  private readonly small: (string | undefined)[] = new Array<string | undefined>(128).fill(undefined);

  constructor(levels: Readonly<Record<string, number>> | undefined, labels: LevelLabelMap) {
    for (const [num, label] of labelsByNumber(levels, labels)) {
      const encoded = JSON.stringify(label);
      this.byNumber.set(num, encoded);
      if (num >= 0 && num < 128 && Number.isInteger(num)) this.small[num] = encoded;
    }
  }

  /** The JSON-encoded label of a level number. */
  ofNumber(num: number): string {
    return (num < 128 ? this.small[num] : undefined) ?? this.byNumber.get(num) ?? `"${num}"`;
  }

  /** The JSON-encoded label of a level that a formatter already turned into text. */
  static ofText(text: string, labels: LevelLabelMap): string {
    return JSON.stringify(labelOf(text, labels));
  }
}

/** `warn:WARNING,fatal:CRITICAL` or a JSON object, as typed on a command line or in a variable. */
function parseText(text: string, fail: OptionFailure): unknown {
  return parsePairs(text, (rule) => fail('levelLabels', rule === PAIRS_RULE ? MUST_BE : rule, text));
}

const PAIRS_RULE = 'must look like "name:value,name:value"';

/**
 * The text form of a map option, `a:b,c:d` (spaces around names and values ignored) or a JSON
 * object (when it starts with `{`), as typed on a command line or in an environment variable:
 * returns the parsed object (values are strings in the `a:b` form). `fail` is called with the rule a
 * malformed text breaks.
 */
export function parsePairs(text: string, fail: (rule: string) => never): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return fail('must be valid JSON when it starts with "{"');
    }
  }
  const map: Record<string, string> = {};
  for (const pair of trimmed.split(',')) {
    const colon = pair.indexOf(':');
    if (colon <= 0) fail(PAIRS_RULE);
    map[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
  }
  return map;
}

/** Python logging's level names, accepted for the pino level of the same meaning. */
export const PYTHON_LEVEL_ALIASES: Readonly<{ warning: 'warn'; critical: 'fatal' }> = Object.freeze({
  warning: 'warn',
  critical: 'fatal',
} as const);

/** Level name → number, as a logger knows them (pino's levels plus custom ones). */
export type LevelMap = Readonly<Record<string, number>>;

/** The level map pino builds from `customLevels` / `useOnlyCustomLevels`. */
export function levelMap(
  customLevels?: Readonly<Record<string, number>>,
  useOnlyCustomLevels = false,
): LevelMap {
  return Object.freeze(useOnlyCustomLevels ? { ...customLevels } : { ...PINO_LEVELS, ...customLevels });
}

/** The lowest level of a map (what a target must accept to show everything the logger lets through). */
export function lowestLevel(levels: LevelMap): string {
  return Object.entries(levels).reduce((low, entry) => (entry[1] < low[1] ? entry : low))[0];
}

/** The name of a level number in `levels` (`'silent'` for `Infinity`, the digits for a number with no name). */
export function levelName(levels: LevelMap, value: number): string {
  if (value === Infinity) return 'silent';
  return Object.keys(levels).find((name) => levels[name] === value) ?? String(value);
}

/** What {@link normalizeLevel} takes besides the value. */
export interface NormalizeLevelOptions {
  /** The logger's levels. Default: pino's. */
  levels?: LevelMap;
  /** Accept `silent` (nothing passes). Default true. */
  allowSilent?: boolean;
  /** Put in front of the message, e.g. `pino-request-context`. */
  source?: string;
}

/**
 * A user-typed level (`INFO`, `warning`, `Debug`, a custom level) as the logger's own name. Throws
 * an {@link OptionError} naming `option` and the accepted values.
 */
export function normalizeLevel(value: unknown, option: string, options: NormalizeLevelOptions = {}): string {
  const { levels = PINO_LEVELS, allowSilent = true, source } = options;
  const accepted = Object.keys(levels).concat(allowSilent ? ['silent'] : []);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    const lower = trimmed.toLowerCase();
    const alias = (PYTHON_LEVEL_ALIASES as Record<string, string>)[lower];
    for (const candidate of [trimmed, lower, alias]) {
      if (candidate !== undefined && accepted.includes(candidate)) return candidate;
    }
    // A custom level written in another case (`Audit` for `audit`, `AUDIT` for `Audit`).
    const caseless = accepted.find((name) => name.toLowerCase() === lower);
    if (caseless !== undefined) return caseless;
  }
  throw new OptionError(
    option,
    `${source === undefined ? '' : `${source}: `}${option}: ${JSON.stringify(value)} is not a level; ` +
      `accepted: ${accepted.join(', ')} (case-insensitive; WARNING and CRITICAL mean warn and fatal)`,
  );
}
