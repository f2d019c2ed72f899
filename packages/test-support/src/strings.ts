/**
 * Every string of 1 to `max` characters over `alphabet`, shortest first: for tests that check a
 * scanner against `JSON.parse` on every small input, not a sample.
 */
export function* allStrings(alphabet: string, max: number): Generator<string> {
  let level = [''];
  for (let n = 1; n <= max; n++) {
    const next: string[] = [];
    for (const prefix of level) for (const c of alphabet) next.push(prefix + c);
    yield* next;
    level = next;
  }
}
