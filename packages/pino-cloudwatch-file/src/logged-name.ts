import { renamedKey } from 'pino-cloudwatch-core';

/**
 * pino writes a logger's `name` (given to `pino()` or a `child()`) as a `name` key before the logged
 * object's keys, and a logged object's own `name` as another `name` key after them; nothing in the
 * line tells the two apart, and the last one counts (a child's name binding wins over its parent's,
 * and so would a logged `name`). This pino `formatters.log` keeps a logged object's `name` out of
 * that rule: it is written as `_name` (another `_` while that key is taken too, as for every
 * collision with a reserved key), so the logger's name stays the logger's and the value stays on
 * the line.
 *
 * `pino({ name: 'app', formatters: { log: keepLoggedName } }, transport)`; pino-cloudwatch-setup
 * installs it itself. It runs on the logged object merged with the mixin's fields.
 */
export function keepLoggedName<T extends Record<string, unknown>>(object: T): T {
  if (!Object.hasOwn(object, 'name')) return object;
  const renamed = renamedKey('name', (key) => Object.hasOwn(object, key));
  // A new object in the same key order, `name` renamed in place: the caller's object is untouched.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(object)) out[key === 'name' ? renamed : key] = object[key];
  return out as T;
}
