import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh temp folder, removed after the test file. */
export function tempDir(prefix = 'cwf-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}
const created: string[] = [];
afterAll(() => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

/** The files of a folder, sorted by name, with their lines (newline removed). */
export function filesIn(dir: string): Map<string, string[]> {
  const files = new Map<string, string[]>();
  for (const name of fs.readdirSync(dir).sort()) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    expect(text === '' || text.endsWith('\n')).toBe(true);
    files.set(name, text.split('\n').slice(0, -1));
  }
  return files;
}

/** Every line of every file, parsed. */
export function recordsIn(dir: string): Record<string, unknown>[] {
  return [...filesIn(dir).values()].flat().map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Waits until every record logged so far is written, then ends the transport and waits for it. */
export async function finish(
  logger: { flush(cb: (err?: Error) => void): void },
  transport: NodeJS.EventEmitter & { end(): void },
): Promise<void> {
  await new Promise<void>((resolve, reject) => logger.flush((err) => (err ? reject(err) : resolve())));
  const closed = new Promise<void>((resolve) => transport.once('close', () => resolve()));
  transport.end();
  await closed;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a CommonJS script in a child node process (from the repo root, so packages resolve). */
export function runNode(
  script: string,
  options: {
    env?: NodeJS.ProcessEnv;
    args?: string[];
    onSpawn?: (child: import('node:child_process').ChildProcess) => void;
  } = {},
): Promise<ChildResult> {
  // Inside the repository, so both require() and import() resolve the workspace packages.
  const scripts = path.join(REPO_ROOT, 'node_modules', '.cache', 'cwf-tests');
  fs.mkdirSync(scripts, { recursive: true });
  const file = path.join(fs.mkdtempSync(path.join(scripts, 'run-')), 'child.js');
  created.push(path.dirname(file));
  fs.writeFileSync(file, script);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...(options.args ?? [])], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    options.onSpawn?.(child);
  });
}

export const REPO_ROOT = path.resolve(__dirname, '../../..');
