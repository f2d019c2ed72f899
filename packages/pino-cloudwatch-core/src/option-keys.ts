import * as fs from 'node:fs';
import { OptionError } from './option-error';

/**
 * Unknown option keys: the one rule of the toolkit's packages.
 *
 * A transport's options arrive from two sources: the user, and the transport host — pino and
 * thread-stream add keys of their own to a single target's options (`pinoWillSendConfig`, `levels`,
 * `dedupe`, `$context` in pino 9 and 10), and a later version may add more. So an unknown key is:
 *
 * - a key the host adds (one of {@link HOST_KEYS}, or any key starting with `$`): ignored;
 * - close to a known option (`frequncy`, `levellabels`, `max_event_bytes`): a typo, refused at
 *   start-up with the option it probably meant;
 * - anything else: reported once as a warning and ignored — it may be a key a newer host adds, and
 *   refusing it would stop the transport at start-up.
 *
 * Options that no host can add to (the setup helper's config, a user's direct call) refuse every
 * unknown key: `strict: true`.
 */

/** Keys pino (9, 10) adds to the options of a single-target transport; `$…` keys are thread-stream's. */
export const HOST_KEYS: readonly string[] = Object.freeze(['pinoWillSendConfig', 'levels', 'dedupe']);

/** Whether a transport host may have added `key` (see {@link HOST_KEYS}). */
export function isHostKey(key: string): boolean {
  return key.startsWith('$') || HOST_KEYS.includes(key);
}

/**
 * The known option `key` most probably meant, or undefined when none is close: the same name in
 * another case or with `-`/`_` (`max_event_bytes`), or at most 2 edits away (1 for names of up to 4
 * characters), counting a swap of two neighbours as one edit.
 */
export function nearestOption(key: string, known: Iterable<string>): string | undefined {
  const folded = fold(key);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const option of known) {
    const candidate = fold(option);
    if (candidate === folded) return option;
    const limit = Math.min(folded.length, candidate.length) <= 4 ? 1 : 2;
    const distance = editDistance(folded, candidate, limit);
    if (distance <= limit && distance < bestDistance) {
      best = option;
      bestDistance = distance;
    }
  }
  return best;
}

/** What {@link checkOptionKeys} calls; each package warns in its own words. */
export interface KeyCheck {
  /**
   * Throws for a refused key; `rule` is e.g. `is not known; did you mean "frequency"?`. Default:
   * an {@link OptionError} `<name>: option "<key>" <rule>`.
   */
  fail?(option: string, rule: string): never;
  /** Reports an ignored key (default: a line on stderr, written synchronously). */
  warn?(message: string): void;
  /** Refuse every unknown key, host keys included (options no host adds to). Default false. */
  strict?: boolean;
  /** Prefix of warnings, e.g. `pino-cloudwatch-file`. */
  name?: string;
  /** Options that belong elsewhere, refused with where they go: `{ maxFiles: 'retention.maxFiles' }`. */
  misplaced?: Readonly<Record<string, string>>;
}

/** Applies the rule above to the keys of `options`. */
export function checkOptionKeys(
  options: Readonly<Record<string, unknown>>,
  known: ReadonlySet<string> | readonly string[],
  check: KeyCheck,
): void {
  const knownSet: ReadonlySet<string> = known instanceof Set ? known : new Set(known as readonly string[]);
  const fail =
    check.fail ??
    ((option: string, rule: string): never => {
      throw new OptionError(
        option,
        `${check.name === undefined ? '' : `${check.name}: `}option "${option}" ${rule}`,
      );
    });
  for (const key of Object.keys(options)) {
    if (knownSet.has(key)) continue;
    if (!check.strict && isHostKey(key)) continue;
    const elsewhere = check.misplaced !== undefined && Object.hasOwn(check.misplaced, key);
    if (elsewhere) fail(key, `is not known here; did you mean "${check.misplaced![key]}"?`);
    const near = nearestOption(key, knownSet);
    if (near !== undefined) fail(key, `is not known; did you mean "${near}"?`);
    if (check.strict) fail(key, `is not known; known options: ${[...knownSet].join(', ')}`);
    const warn = check.warn ?? writeStderr;
    warn(
      `${check.name === undefined ? '' : `${check.name}: `}option "${key}" is not known and is ignored ` +
        `(known options: ${[...knownSet].join(', ')})`,
    );
  }
}

function fold(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/** Optimal string alignment distance, giving up (returning limit + 1) once it exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, beforePrevious[j - 2] + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}

function writeStderr(message: string): void {
  try {
    // Synchronously: a worker thread's process.stderr is relayed asynchronously and can be lost at exit.
    fs.writeSync(2, `${message}\n`);
  } catch {
    // Nowhere left to report to.
  }
}
