/**
 * The published packages as users get them: `npm pack` of each workspace under packages/, into a
 * temp folder. The tests here run on these tarballs, not on the workspace links. Packing skips the
 * `prepack` build (`--ignore-scripts`): `npm test` has built everything before jest starts, and two
 * test files building the same dist at once would race.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..');

/** How long a test may take that packs and installs (an npm install on a cold cache, 2 cores). */
export const INSTALL_TIMEOUT_MS = 240_000;

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  main?: string;
  types?: string;
  exports?: Record<string, unknown>;
  files?: string[];
  scripts?: Record<string, string>;
  repository?: { type: string; url: string; directory?: string };
  homepage?: string;
  bugs?: { url: string };
  publishConfig?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  workspaces?: string[];
}

export const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

export const ROOT_PACKAGE = readJson<PackageJson>(path.join(REPO_ROOT, 'package.json'));

/**
 * The publishable workspaces (packages/* that are not `private`, so not packages/test-support), in
 * the root's order: dependencies before dependents.
 */
export const PACKAGE_DIRS = (ROOT_PACKAGE.workspaces ?? []).filter(
  (dir) =>
    dir.startsWith('packages/') &&
    readJson<PackageJson>(path.join(REPO_ROOT, dir, 'package.json')).private !== true,
);

export interface Packed {
  /** The workspace folder, e.g. `packages/pino-cloudwatch-file`. */
  dir: string;
  name: string;
  version: string;
  /** Absolute path of the tarball. */
  tarball: string;
  /** Paths inside the package, e.g. `dist/index.js`. */
  files: string[];
}

/** Packs every publishable workspace into `destination`, with one npm command. */
export function packAll(destination: string): Packed[] {
  const args = ['pack', '--json', '--ignore-scripts', '--pack-destination', destination];
  for (const dir of PACKAGE_DIRS) args.push('--workspace', dir);
  const out = execFileSync('npm', args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const results = JSON.parse(out) as {
    name: string;
    version: string;
    filename: string;
    files: { path: string }[];
  }[];
  return PACKAGE_DIRS.map((dir) => {
    const { name } = readJson<PackageJson>(path.join(REPO_ROOT, dir, 'package.json'));
    const result = results.find((candidate) => candidate.name === name);
    if (result === undefined) throw new Error(`npm pack did not pack ${name} (${dir})`);
    return {
      dir,
      name,
      version: result.version,
      tarball: path.join(destination, result.filename),
      files: result.files.map((file) => file.path),
    };
  });
}

/** A fresh temp folder; `removeTempDirs()` removes them all (call it in `afterAll`). */
const tempRoots: string[] = [];
export function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cw-packaging-${label}-`));
  tempRoots.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of tempRoots.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
