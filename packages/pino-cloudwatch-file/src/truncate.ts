/** Appended to every shortened string, so a reader sees that and how much was cut. */
export function truncationMarker(removedChars: number): string {
  return `…[truncated ${removedChars} chars]`;
}

interface StringSlot {
  readonly holder: Record<string, unknown> | unknown[];
  readonly key: string | number;
  readonly original: string;
}

function collectStrings(value: unknown, slots: StringSlot[]): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (typeof value[i] === 'string') slots.push({ holder: value, key: i, original: value[i] as string });
      else collectStrings(value[i], slots);
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (typeof record[key] === 'string')
        slots.push({ holder: record, key, original: record[key] as string });
      else collectStrings(record[key], slots);
    }
  }
}

function applyCap(slots: StringSlot[], cap: number): void {
  for (const slot of slots) {
    const { original } = slot;
    const value =
      original.length > cap + 24
        ? original.slice(0, cap) + truncationMarker(original.length - cap)
        : original;
    (slot.holder as Record<string | number, unknown>)[slot.key] = value;
  }
}

const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/** The largest cap in [0, high] for which the rendered value fits, or -1 when even 0 does not. */
function largestFittingCap(target: unknown, slots: StringSlot[], high: number, maxBytes: number): number {
  let low = 0;
  let best = -1;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    applyCap(slots, mid);
    if (byteLength(target) <= maxBytes) {
      best = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return best;
}

/** The key that marks a shortened line; a record field of that name is kept renamed. */
export const TRUNCATED_KEY = 'truncated';

/**
 * The record with a field named `truncated` renamed `_truncated` (one more `_` while that is taken,
 * as the shaper renames its other keys), in its place.
 */
function withoutTruncatedKey(
  record: Record<string, unknown>,
  onRename: ((from: string, to: string) => void) | undefined,
): Record<string, unknown> {
  if (!Object.hasOwn(record, TRUNCATED_KEY)) return record;
  let renamed = `_${TRUNCATED_KEY}`;
  while (Object.hasOwn(record, renamed)) renamed = `_${renamed}`;
  onRename?.(TRUNCATED_KEY, renamed);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) out[key === TRUNCATED_KEY ? renamed : key] = record[key];
  return out;
}

/**
 * Shrinks a CloudWatch line that is over `maxBytes` (UTF-8, newline excluded) by cutting its longest
 * string values, each with a visible marker, and adds `"truncated":true` at its end (a record field
 * already named `truncated` is kept renamed, and `onRename` told). The result is still one valid
 * JSON object. If cutting strings is not enough (a record made of very many small fields), only the
 * core fields are kept, with `droppedFields` counting what went.
 */
export function fitToLimit(
  line: string,
  maxBytes: number,
  onRename?: (from: string, to: string) => void,
): string {
  const record = withoutTruncatedKey(JSON.parse(line) as Record<string, unknown>, onRename);
  record[TRUNCATED_KEY] = true;
  const slots: StringSlot[] = [];
  collectStrings(record, slots);
  const longest = slots.reduce((max, slot) => Math.max(max, slot.original.length), 0);
  const cap = largestFittingCap(record, slots, longest, maxBytes);
  if (cap !== -1) {
    applyCap(slots, cap);
    return JSON.stringify(record);
  }
  const core: Record<string, unknown> = {};
  for (const key of ['@timestamp', 'level', 'logger', 'app', 'process', 'message']) core[key] = record[key];
  core.truncated = true;
  core.droppedFields = Object.keys(record).length - 7;
  const coreSlots: StringSlot[] = [];
  collectStrings(core, coreSlots);
  const coreCap = largestFittingCap(core, coreSlots, longest, maxBytes);
  applyCap(coreSlots, Math.max(coreCap, 0));
  return JSON.stringify(core);
}
