/**
 * The READMEs' code, compiled the way users compile it, against the packed tarballs installed the
 * way the README's Install section says (one `npm install` of the three tarballs into a new
 * project): every ```js and ```ts block of the root README and of each package's README, as
 * CommonJS and as ESM, type-checked with TypeScript's `nodenext` resolution (the `import` of a
 * `"type": "module"` project and the `require` of a CommonJS one), `bundler` resolution and the
 * older `node10`. Then two small programs, one CommonJS and one ESM, run the installed packages
 * for real. The install is done once for the file (about 2 s with npm's cache warm).
 *
 * How a block becomes a file: its `import` lines (and, for ESM, its `require` lines turned into
 * imports — or the import a `// ESM: import …` comment beside the require gives) go to the top;
 * the rest becomes the body of an async function, so `await` and repeated names work; names the
 * README takes as given (`pino`, a `config`, `Fastify`) are declared first when the block does not
 * declare them. A block that is not a program is skipped below, with the reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  INSTALL_TIMEOUT_MS,
  PACKAGE_DIRS,
  type Packed,
  REPO_ROOT,
  packAll,
  removeTempDirs,
  tempDir,
} from '../pack';

const READMES = ['README.md', ...PACKAGE_DIRS.map((dir) => `${dir}/README.md`)];

/** Blocks that are not programs: the README and a line of the block, and why. */
const NOT_PROGRAMS = [
  {
    readme: 'packages/pino-pretty-extras/README.md',
    line: 'prettyExtras(options?: PrettyExtrasOptions): PrettyExtrasStream',
    reason: 'the API section: signatures, not code',
  },
  {
    readme: 'packages/pino-request-context/README.md',
    line: "app.addHook('onRequest'",
    reason: 'a Fastify app, which none of the packages brings',
  },
];

interface Snippet {
  /** e.g. `packages-pino-cloudwatch-file-README-2`: a file name. */
  id: string;
  /** e.g. `packages/pino-cloudwatch-file/README.md:38`, for messages. */
  where: string;
  lang: 'js' | 'ts';
  code: string;
}

function snippetsOf(readme: string): Snippet[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, readme), 'utf8');
  const snippets: Snippet[] = [];
  for (const match of text.matchAll(/^```(js|ts|javascript|typescript)\n([\s\S]*?)^```/gm)) {
    const line = text.slice(0, match.index).split('\n').length;
    const lang = match[1].startsWith('t') ? 'ts' : 'js';
    const id = `${readme.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-')}-${line}`;
    snippets.push({ id, where: `${readme}:${line}`, lang, code: match[2] });
  }
  return snippets;
}

const ALL_SNIPPETS = READMES.flatMap(snippetsOf);
const isProgram = (snippet: Snippet): boolean =>
  !NOT_PROGRAMS.some(
    (skip) => snippet.where.startsWith(`${skip.readme}:`) && snippet.code.includes(skip.line),
  );
const SNIPPETS = ALL_SNIPPETS.filter(isProgram);

const IMPORT = /^import\s[^;]*?\sfrom\s+'[^']+';?[ \t]*(\/\/.*)?$/gm;
const REQUIRE = /^const\s+(\w+|\{[^}]*\})\s*=\s*require\('([^']+)'\)(\.default)?;?[ \t]*(\/\/.*)?$/gm;

/** Whether `code` uses `name` without declaring or importing it. */
function takesAsGiven(code: string, name: string): boolean {
  const uses = new RegExp(`\\b${name}\\b`).test(code);
  const declares = new RegExp(
    `\\b(?:const|let|var|function|class)\\s+${name}\\b|\\bimport\\s+${name}\\b|[{,]\\s*${name}\\s*[,}][^;\\n]*(?:from|require)`,
  ).test(code);
  return uses && !declares;
}

/**
 * What a block may take as given, because the README's earlier block has it: an import (ESM) or
 * require (CommonJS) of a package's export, or a declaration (TypeScript).
 */
const GIVEN_IMPORTS: Record<string, { from: string; as: 'default' | 'named' }> = {
  pino: { from: 'pino', as: 'default' },
  setupLogging: { from: 'pino-cloudwatch-setup', as: 'named' },
  closeLogging: { from: 'pino-cloudwatch-setup', as: 'named' },
  loggingOptions: { from: 'pino-cloudwatch-setup', as: 'named' },
};
const GIVEN_DECLARATIONS: Record<string, string> = {
  config: "declare const config: import('pino-cloudwatch-setup').LoggingConfig;",
  Fastify: 'declare function Fastify(options: { loggerInstance: unknown }): unknown;',
};

/** The imports and declarations of the names a block takes as given. */
function prelude(code: string, lang: 'js' | 'ts', format: 'cjs' | 'esm'): string[] {
  const lines: string[] = [];
  for (const [name, { from, as }] of Object.entries(GIVEN_IMPORTS)) {
    if (!takesAsGiven(code, name)) continue;
    const binding = as === 'default' ? name : `{ ${name} }`;
    const esm = format === 'esm' || lang === 'ts';
    lines.push(esm ? `import ${binding} from '${from}';` : `const ${binding} = require('${from}');`);
  }
  if (lang === 'ts')
    for (const [name, declaration] of Object.entries(GIVEN_DECLARATIONS))
      if (takesAsGiven(code, name)) lines.push(declaration);
  return lines;
}

/** A require line as an ESM import: the import its comment gives (`// ESM: import …`), or the same names. */
function requireAsImport(line: string): string {
  const commented = /\/\/.*?(import\s[^;]*?\sfrom\s+'[^']+')/.exec(line);
  if (commented !== null) return `${commented[1]};`;
  // `const { a, b: c } = require(m)` → `import { a, b as c } from m`; `const x = require(m)` or
  // `require(m).default` → `import x from m` (the default import of a CommonJS module is the module).
  const [, binding, specifier] = new RegExp(REQUIRE.source).exec(line) as RegExpExecArray;
  return `import ${binding.replace(/(\w+)\s*:\s*(\w+)/g, '$1 as $2')} from '${specifier}';`;
}

/** The block as one source file of the given module format. */
function sourceFile(snippet: Snippet, format: 'cjs' | 'esm'): string {
  const hoisted: string[] = [];
  let body = snippet.code.replace(IMPORT, (line) => {
    hoisted.push(line);
    return '';
  });
  if (format === 'esm') {
    body = body.replace(REQUIRE, (line) => {
      hoisted.push(requireAsImport(line));
      return '';
    });
  }
  const declarations = prelude(snippet.code, snippet.lang, format);
  const exported = format === 'cjs' && snippet.lang === 'js' ? '' : 'export ';
  const tail = exported === '' ? ['module.exports = { snippet };'] : [];
  return [
    `// ${snippet.where}`,
    ...declarations.filter((line) => line.startsWith('import ')),
    ...hoisted,
    ...declarations.filter((line) => !line.startsWith('import ')),
    `${exported}async function snippet() {`,
    body.trim(),
    '}',
    ...tail,
    '',
  ].join('\n');
}

const COMPILER_OPTIONS = {
  strict: true,
  noEmit: true,
  allowJs: true,
  checkJs: true,
  skipLibCheck: false,
  esModuleInterop: true,
  moduleDetection: 'force',
  target: 'ES2022',
  lib: ['ES2022'],
  types: ['node'],
  typeRoots: [path.join(REPO_ROOT, 'node_modules/@types')],
};

/** tsconfig name → its module settings and the folders (module formats) it compiles. */
const TS_CONFIGS = {
  nodenext: {
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' },
    include: ['cjs', 'esm'],
  },
  bundler: { compilerOptions: { module: 'preserve', moduleResolution: 'bundler' }, include: ['esm'] },
  node10: {
    compilerOptions: { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' },
    include: ['cjs'],
  },
} as const;

let project = '';
let packed: Packed[] = [];

beforeAll(() => {
  packed = packAll(tempDir('tarballs'));
  project = tempDir('project');
  fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "readme-snippets", "private": true }\n');
  // The README's command: the tarballs in one install, so they satisfy each other; and the
  // OpenTelemetry API that pino-request-context/trace needs (its README installs it).
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      ...packed.map((pkg) => pkg.tarball),
      '@opentelemetry/api@~1.9.0',
    ],
    { cwd: project, stdio: 'pipe' },
  );
  for (const format of ['cjs', 'esm'] as const) {
    const dir = path.join(project, format);
    fs.mkdirSync(dir);
    const type = format === 'esm' ? 'module' : 'commonjs';
    fs.writeFileSync(path.join(dir, 'package.json'), `{ "type": "${type}" }\n`);
    for (const snippet of SNIPPETS)
      fs.writeFileSync(path.join(dir, `${snippet.id}.${snippet.lang}`), sourceFile(snippet, format));
  }
  for (const [name, config] of Object.entries(TS_CONFIGS)) {
    const tsconfig = {
      compilerOptions: { ...COMPILER_OPTIONS, ...config.compilerOptions },
      include: config.include.flatMap((dir) => [`${dir}/**/*.ts`, `${dir}/**/*.js`]),
    };
    fs.writeFileSync(path.join(project, `tsconfig.${name}.json`), JSON.stringify(tsconfig, null, 2));
  }
}, INSTALL_TIMEOUT_MS);

afterAll(removeTempDirs);

it('finds the READMEs’ code blocks, and every block it skips is still there', () => {
  expect(SNIPPETS.length).toBeGreaterThanOrEqual(8);
  expect(SNIPPETS.filter((snippet) => snippet.lang === 'ts').length).toBeGreaterThan(0);
  const stale = NOT_PROGRAMS.filter(
    (skip) =>
      !ALL_SNIPPETS.some(
        (snippet) => snippet.where.startsWith(`${skip.readme}:`) && snippet.code.includes(skip.line),
      ),
  );
  expect(stale).toEqual([]);
});

it('installs the three tarballs with one npm install', () => {
  const installed = packed.map((pkg) => {
    const manifest = path.join(project, 'node_modules', pkg.name, 'package.json');
    return [pkg.name, (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version];
  });
  expect(installed).toEqual(packed.map((pkg) => [pkg.name, pkg.version]));
});

it.each(Object.keys(TS_CONFIGS))(
  'compiles every README block as %s resolution sees it (CommonJS and ESM)',
  (name) => {
    const tsc = spawnSync(
      process.execPath,
      [
        path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        `tsconfig.${name}.json`,
        '--pretty',
        'false',
      ],
      { cwd: project, encoding: 'utf8' },
    );
    // Each error names the generated file; its first line says which README block it came from.
    expect(tsc.stdout.split('\n').filter((line) => line !== '')).toEqual([]);
    expect(tsc.status).toBe(0);
  },
  INSTALL_TIMEOUT_MS,
);

/** Runs `code` as a file of the temp project (the packages resolve from its node_modules). */
function runInProject(
  file: string,
  code: string,
  logDir: string,
): { status: number | null; stdout: string; stderr: string } {
  fs.writeFileSync(path.join(project, file), code);
  return spawnSync(process.execPath, [file, logDir], { cwd: project, encoding: 'utf8', timeout: 60_000 });
}

const linesOf = (file: string): Record<string, unknown>[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The JSON lines of every `<base>.<period>` file in `dir`. */
function jsonLinesOf(dir: string, base: string): Record<string, unknown>[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(`${base}.`))
    .sort()
    .flatMap((name) => linesOf(path.join(dir, name)));
}

it('runs from the tarballs in an ESM program: default imports, subpaths, setupLogging in production', () => {
  const logs = tempDir('esm-logs');
  const run = runInProject(
    'run.mjs',
    `
      import build, { validateOptions } from 'pino-cloudwatch-file';
      import { PINO_CONFIG_WAIT_MS as CONFIG_WAIT_MS, parseLevelLabels } from 'pino-cloudwatch-core';
      import prettyExtras from 'pino-pretty-extras';
      import { closeLogging, setupLogging } from 'pino-cloudwatch-setup';
      import pino from 'pino';

      const dir = process.argv[2];
      const logger = setupLogging({ env: 'production', app: 'esm', logPath: dir + '/app.log', console: { destination: dir + '/console.log' } });
      logger.info({ user_id: 123 }, 'through setupLogging');
      await closeLogging(logger);

      validateOptions({ file: dir + '/in-process.log', app: 'esm' });
      const stream = await build({ file: dir + '/in-process.log', app: 'esm' });
      pino(stream).info('in-process');
      stream.end();

      pino(prettyExtras({ destination: dir + '/pretty.log', sync: true, colorize: false })).warn('pretty');
      console.log(JSON.stringify({ wait: CONFIG_WAIT_MS, labels: parseLevelLabels('python') }));
    `,
    logs,
  );

  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({
    wait: expect.any(Number),
    labels: expect.objectContaining({ warn: 'WARNING' }),
  });
  expect(jsonLinesOf(logs, 'app.log')).toMatchObject([
    { app: 'esm', message: 'through setupLogging', user_id: 123 },
  ]);
  expect(fs.readFileSync(path.join(logs, 'console.log'), 'utf8')).toMatch(
    /\[INFO\] esm - through setupLogging \| user_id=123\n/,
  );
  expect(jsonLinesOf(logs, 'in-process.log')).toMatchObject([{ app: 'esm', message: 'in-process' }]);
  expect(fs.readFileSync(path.join(logs, 'pretty.log'), 'utf8')).toMatch(/\[WARN\] pretty\n$/);
});

it('runs from the tarballs in a CommonJS program: pino.transport targets by package name', () => {
  const logs = tempDir('cjs-logs');
  const run = runInProject(
    'run.cjs',
    `
      const pino = require('pino');
      const dir = process.argv[2];
      const transport = pino.transport({
        targets: [
          { target: 'pino-pretty-extras', options: { destination: dir + '/console.log', colorize: false } },
          { target: 'pino-cloudwatch-file', options: { file: dir + '/app.log', app: 'cjs' } },
        ],
      });
      const logger = pino({ name: 'app' }, transport);
      logger.info({ user_id: 123 }, 'GET /');
      // No end(): pino writes out and closes the transport when the process exits.
      console.log(typeof require('pino-cloudwatch-file').default);
    `,
    logs,
  );

  expect(run.stderr).toBe('');
  expect(run.stdout).toBe('function\n');
  expect(jsonLinesOf(logs, 'app.log')).toMatchObject([
    { logger: 'app', app: 'cjs', message: 'GET /', user_id: 123 },
  ]);
  expect(fs.readFileSync(path.join(logs, 'console.log'), 'utf8')).toMatch(
    /\[INFO\] app - GET \/ \| user_id=123\n/,
  );
});
