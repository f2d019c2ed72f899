/**
 * The Node versions the repository says it supports (`engines` of the root and of the demo, the
 * README) are the ones it runs on. The floor comes from Fastify's `inject` (light-my-request):
 * it require()s `cookie` 2, an ES module, which needs require(esm) — unflagged in Node 20.19 and
 * 22.12, never in 21.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './helpers';

type Version = [number, number, number];

const readJson = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')) as { engines?: { node?: string } };
const rootRange = readJson('package.json').engines?.node ?? '';
const demoRange = readJson('demo-fastify/package.json').engines?.node ?? '';

const parseVersion = (text: string): Version => {
  const [major, minor = 0, patch = 0] = text.replace(/^v/, '').split('.').map(Number);
  return [major, minor, patch];
};
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` is in `range`, for the forms `engines` uses here: `^x.y.z`, `>=x.y.z`, joined by `||`. */
function inRange(version: Version, range: string): boolean {
  return range.split('||').some((part) => {
    const match = /^\s*(\^|>=)\s*(\d+(?:\.\d+){0,2})\s*$/.exec(part);
    if (!match) throw new Error(`engines: cannot read ${JSON.stringify(part)} of ${JSON.stringify(range)}`);
    const floor = parseVersion(match[2]);
    return compare(version, floor) >= 0 && (match[1] === '>=' || version[0] === floor[0]);
  });
}

/** Node lines and the first release of each that loads an ES module with require(). */
function hasRequireEsm([major, minor]: Version): boolean {
  if (major === 20) return minor >= 19;
  if (major === 22) return minor >= 12;
  return major >= 23;
}

/** The first and last releases of each line around the require(esm) boundaries. */
const CANDIDATES: Version[] = [
  [18, 20, 8],
  [20, 0, 0],
  [20, 18, 3],
  [20, 19, 0],
  [20, 20, 2],
  [21, 7, 3],
  [22, 0, 0],
  [22, 11, 0],
  [22, 12, 0],
  [23, 0, 0],
  [24, 0, 0],
  [25, 0, 0],
];

describe('supported Node versions', () => {
  it('the root and the demo state one range', () => {
    expect(demoRange).toBe(rootRange);
  });

  it('every version in the range can run the tests (require(esm)); 20.19+, 22 and 24 are in it', () => {
    const admitted = CANDIDATES.filter((version) => inRange(version, rootRange));
    expect(admitted.filter((version) => !hasRequireEsm(version))).toEqual([]);
    for (const version of [
      [20, 19, 0],
      [22, 12, 0],
      [24, 0, 0],
    ] as Version[]) {
      expect([version.join('.'), inRange(version, rootRange)]).toEqual([version.join('.'), true]);
    }
  });

  it('the Node running these tests is in the range', () => {
    expect([process.version, inRange(parseVersion(process.version), rootRange)]).toEqual([
      process.version,
      true,
    ]);
  });

  it('the README states the range and explains the EBADENGINE warning of npm ci on Node 20', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\`${rootRange}\``);
    expect(readme).toMatch(/EBADENGINE/);
  });
});
