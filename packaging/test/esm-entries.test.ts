/**
 * The ESM entries (`exports[subpath].import`, thin wrappers over the CommonJS build) against the
 * CommonJS ones (`exports[subpath].require`), for every subpath of every package's exports map,
 * loaded by a real Node process: the same names, the same objects. And each main entry exports the
 * documented API and nothing else. Run `npx tsc -b` first (npm test does).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.join(__dirname, '..', '..');

interface PackageCase {
  dir: string;
  /**
   * What `import x from '<package>'` gives. The toolkit's one convention (.changeset/README.md): a
   * package whose main export is a pino transport factory has it as its default export, the same
   * object as `require('<package>').default`; every other package has named exports only.
   */
  defaultExport: 'cjs.default' | 'none';
  /** The main entry's names. A name added here is a promise to users: the README documents it and a release keeps it. */
  publicNames: string[];
}

const PACKAGES: PackageCase[] = [
  {
    dir: 'packages/pino-cloudwatch-core',
    defaultExport: 'none',
    publicNames: [
      'CLOUDWATCH_EVENT_OVERHEAD_BYTES',
      'CLOUDWATCH_MAX_EVENT_BYTES',
      'CORE_KEYS',
      'ERROR_KEY',
      'HOST_KEYS',
      'LEVEL_LABEL_PRESETS',
      'LevelLabels',
      'MAX_EVENT_BYTES',
      'OPTION_ERROR_CODE',
      'OptionError',
      'PINO_CONFIG_WAIT_MS',
      'PINO_LEVELS',
      'PYTHON_LEVEL_ALIASES',
      'STREAM_MAX_EVENT_BYTES',
      'TRUNCATED_KEY',
      'checkOptionKeys',
      'checkOptionsObject',
      'describeValue',
      'isHostKey',
      'labelOf',
      'labelsByNumber',
      'levelMap',
      'levelName',
      'lowestLevel',
      'makeDirs',
      'nearestOption',
      'normalizeLevel',
      'optionError',
      'parseLevelLabels',
      'parsePairs',
      'pinoConfigHandshake',
      'renamedKey',
    ],
  },
  {
    dir: 'packages/pino-cloudwatch-file',
    defaultExport: 'cjs.default',
    // The pieces it is built from are `/internal` (this repository's tests only).
    publicNames: ['OPTION_NAMES', 'keepLoggedName', 'validateOptions'],
  },
  {
    dir: 'packages/pino-pretty-extras',
    defaultExport: 'cjs.default',
    publicNames: ['OPTION_NAMES', 'OptionError', 'formatRecord', 'parseOptions', 'prettyExtras'],
  },
  {
    dir: 'packages/pino-request-context',
    defaultExport: 'none',
    publicNames: ['BUFFERED_KEY', 'DEFAULTS', 'DROPPED_KEY', 'createRequestContexts', 'cycleLevelOnSignal'],
  },
  {
    dir: 'packages/pino-cloudwatch-setup',
    defaultExport: 'none',
    publicNames: ['closeLogging', 'loggingOptions', 'resolveLoggingConfig', 'setupLogging'],
  },
  {
    dir: 'packages/pino-cloudwatch-metrics',
    defaultExport: 'none',
    publicNames: [
      'INTERVALS_MS',
      'LIMITS',
      'Metrics',
      'MetricsError',
      'RESERVED_NAMES',
      'STORAGE_RESOLUTIONS',
      'UNITS',
      'checkMetricsOptions',
      'createMetrics',
    ],
  },
  {
    dir: 'packages/logs-insights-local',
    defaultExport: 'none',
    publicNames: [
      'DEFAULT_LIMIT',
      'QueryError',
      'formatChart',
      'formatCsv',
      'formatJson',
      'formatTable',
      'parseQuery',
      'runQuery',
    ],
  },
];

interface Comparison {
  names: string[];
  missing: string[];
  extra: string[];
  defaultExport: string;
}

/** Loads `specifier` with `import` and with `require` in one Node process, from `cwd`, and compares them. */
function compare(specifier: string, cwd: string): Comparison {
  const script = `
    import * as esm from ${JSON.stringify(specifier)};
    import { createRequire } from 'node:module';
    const cjs = createRequire(import.meta.url)(${JSON.stringify(specifier)});
    const names = Object.keys(cjs).filter((name) => name !== 'default' && name !== '__esModule').sort();
    const missing = names.filter((name) => !(name in esm) || esm[name] !== cjs[name]);
    const extra = Object.keys(esm).filter((name) => name !== 'default' && !names.includes(name));
    const defaultExport = !('default' in esm)
      ? 'none'
      : esm.default === cjs
        ? 'module'
        : 'default' in cjs && esm.default === cjs.default
          ? 'cjs.default'
          : 'something else';
    console.log(JSON.stringify({ names, missing, extra, defaultExport }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    encoding: 'utf8',
  });
  return JSON.parse(out) as Comparison;
}

describe.each(PACKAGES)('$dir', ({ dir, defaultExport, publicNames }) => {
  const packageDir = path.join(REPO_ROOT, dir);
  const { name, exports } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, unknown>;
  };
  const subpaths = Object.keys(exports).filter((subpath) => subpath !== './package.json');

  it.each(subpaths)('%s: `import` has every name of `require`, the same objects, and no other', (subpath) => {
    const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;

    const result = compare(specifier, packageDir);

    expect(result).toEqual({
      names: result.names,
      missing: [],
      extra: [],
      defaultExport: subpath === '.' ? defaultExport : 'none',
    });
    expect(result.names.length).toBeGreaterThan(0);
  });

  it('exports the documented API from its main entry, and nothing else', () => {
    expect(compare(name, packageDir).names).toEqual(publicNames);
  });
});

it('covers every published package of the workspaces', () => {
  const root = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  const published = root.workspaces.filter(
    (dir) =>
      dir.startsWith('packages/') &&
      (
        JSON.parse(fs.readFileSync(path.join(REPO_ROOT, dir, 'package.json'), 'utf8')) as {
          private?: boolean;
        }
      ).private !== true,
  );
  expect(PACKAGES.map((entry) => entry.dir).sort()).toEqual(published.sort());
});
