'use strict';
// The contenders, in table order. Names are what --only matches (substring, comma-separated).
const pretty = require('./pretty');
const production = require('./production');

// [short id for --only, contender]
const entries = [
  ['destination', require('./pino-destination')],
  ['pino-file', require('./pino-file')],
  ['pino-roll', require('./pino-roll')],
  ['winston', require('./winston')],
  ['cloudwatch-file', require('./cloudwatch-file')],
  ['pino-pretty', pretty.pinoPretty],
  ['pretty-extras', pretty.pinoPrettyExtras],
  ['prod-ours', production.ours],
  ['prod-peer', production.peer],
];

const list = entries.map(([id, c]) => Object.assign(c, { id }));
const byName = new Map(list.map((c) => [c.name, c]));

/** Select contenders by comma-separated ids or names (exact), or else by substring of the name. */
function select(spec) {
  if (!spec) return list.slice();
  const picked = new Set();
  for (const raw of String(spec).split(',')) {
    const want = raw.trim().toLowerCase();
    if (!want) continue;
    const exact = list.filter((c) => c.id === want || c.name.toLowerCase() === want);
    const found = exact.length ? exact : list.filter((c) => c.name.toLowerCase().includes(want));
    if (!found.length) throw new Error(`--only: no contender matches ${JSON.stringify(raw)}`);
    found.forEach((c) => picked.add(c));
  }
  return list.filter((c) => picked.has(c));
}

module.exports = { list, byName, select, BASELINE: 'pino/file' };
