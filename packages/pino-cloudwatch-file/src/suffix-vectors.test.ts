import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSuffix } from './period';
import type { SuffixStyle } from './options';

/**
 * The family/suffix rule, held against the test vectors the sidecar's supervisor is tested with too
 * (cloudwatch-agent/testdata/family-names.json, read by its go test): a file the transport counts as
 * one of its family is a file the sidecar may delete once uploaded, and no other. The two sides cannot
 * drift apart without one of the two tests failing.
 */
interface Vectors {
  base: string;
  names: Array<{ name: string; style: SuffixStyle | null }>;
  newest: Array<{ names: string[]; newest: string | null }>;
}

const vectors = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../cloudwatch-agent/testdata/family-names.json'), 'utf8'),
) as Vectors;
const STYLES: readonly SuffixStyle[] = ['day', 'hour', 'second'];
const prefix = `${vectors.base}.log.`;

/** The style whose suffix the name carries, or null when the name is outside the family. */
function styleOf(name: string): SuffixStyle | null {
  if (!name.startsWith(prefix)) return null;
  const suffix = name.slice(prefix.length);
  return STYLES.find((style) => parseSuffix(suffix, style, true) !== undefined) ?? null;
}

describe('the family/suffix rule: the vectors shared with the sidecar', () => {
  test.each(vectors.names)('$name: $style', ({ name, style }) => {
    expect(styleOf(name)).toBe(style);
  });

  test.each(vectors.newest)('newest of $names: $newest', ({ names, newest }) => {
    const members = names.filter((name) => styleOf(name) !== null).sort();
    expect(members[members.length - 1] ?? null).toBe(newest);
  });
});
