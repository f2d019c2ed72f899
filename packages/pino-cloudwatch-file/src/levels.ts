import { PINO_DEFAULT_LEVELS } from './options';

/**
 * Maps pino level numbers to the label written in `level`, already JSON-encoded (`"INFO"`).
 * A label is the level's name upper-cased unless `labels` renames it; a number with no name is
 * written as its digits (`"35"`), never dropped.
 */
export class LevelLabels {
  private readonly byNumber = new Map<number, string>();
  /** Level numbers under 128 (all of pino's, most custom ones) are looked up in an array. */
  private readonly small: (string | undefined)[] = new Array<string | undefined>(128).fill(undefined);

  constructor(
    levels: Readonly<Record<string, number>> | undefined,
    labels: Readonly<Record<string, string>>,
  ) {
    // The logger's own names first; pino's defaults fill in numbers it does not name (a map of
    // custom levels alone, as pino hands it to `targets`, still labels INFO, WARN, ...).
    for (const [name, num] of [...Object.entries(levels ?? {}), ...Object.entries(PINO_DEFAULT_LEVELS)]) {
      const label = Object.hasOwn(labels, name) ? labels[name] : name.toUpperCase();
      // The first name wins when two share a number, as in pino's own labels map.
      if (!this.byNumber.has(num)) this.byNumber.set(num, JSON.stringify(label));
    }
    for (const [num, label] of this.byNumber)
      if (num >= 0 && num < 128 && Number.isInteger(num)) this.small[num] = label;
  }

  /** The JSON-encoded label of a level number. */
  ofNumber(num: number): string {
    return (num < 128 ? this.small[num] : undefined) ?? this.byNumber.get(num) ?? `"${num}"`;
  }

  /** The JSON-encoded label of a level that a formatter already turned into text. */
  static ofText(text: string, labels: Readonly<Record<string, string>>): string {
    const lower = text.toLowerCase();
    if (Object.hasOwn(labels, text)) return JSON.stringify(labels[text]);
    if (Object.hasOwn(labels, lower)) return JSON.stringify(labels[lower]);
    return JSON.stringify(text.toUpperCase());
  }
}
