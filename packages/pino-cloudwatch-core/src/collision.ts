/**
 * The collision rule, one for every package: a record field whose name a line owns (`level`,
 * `message`, `name`, `truncated`, …) is kept under the name with a `_` in front, and another `_`
 * while that name is taken too (`level` → `_level` → `__level`). Never silently overwritten.
 */
export function renamedKey(key: string, isTaken: (name: string) => boolean): string {
  let renamed = `_${key}`;
  while (isTaken(renamed)) renamed = `_${renamed}`;
  return renamed;
}
