import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ignoreBrokenPipe, openDestination, type Destination } from './destination';
import { parseOptions } from './options';
import { PLAIN_RUNTIME } from './test-helpers';

const PACKAGE_DIR = join(__dirname, '..');
const DIST = join(PACKAGE_DIR, 'dist');

function fakeStream(): Destination & EventEmitter & { written: string[] } {
  const stream = Object.assign(new EventEmitter(), {
    written: [] as string[],
    write(text: string) {
      stream.written.push(text);
      return true;
    },
    end() {},
  });
  return stream as Destination & EventEmitter & { written: string[] };
}

describe('openDestination', () => {
  it('opens a SonicBoom of the sonic-boom this package declares, not one found inside pino-pretty', () => {
    const declared = (
      JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies;
    expect(declared['sonic-boom']).toBeDefined();
    const SonicBoom = createRequire(join(PACKAGE_DIR, 'package.json'))('sonic-boom') as new () => unknown;
    const dir = mkdtempSync(join(tmpdir(), 'ppe-dest-'));
    try {
      const { destination, owned } = openDestination(
        parseOptions({ destination: join(dir, 'out.log'), sync: true }, PLAIN_RUNTIME).settings,
      );
      expect(owned).toBe(true);
      expect(destination).toBeInstanceOf(SonicBoom);
      destination.end();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("loads no other package's private files (the build requires declared packages only)", () => {
    const sources = readdirSync(DIST)
      .filter((name) => name.endsWith('.js'))
      .map((name) => readFileSync(join(DIST, name), 'utf8'));
    const required = sources.flatMap((text) =>
      [...text.matchAll(/require\("([^".][^"]*)"\)/g)].map((m) => m[1]),
    );
    const { dependencies } = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const undeclared = required.filter((name) => {
      if (name.startsWith('node:')) return false;
      const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
      // A subpath is fine only when it is one the package documents in its exports (e.g. pino-cloudwatch-file/levels).
      return !(pkg in dependencies);
    });
    expect(undeclared).toEqual([]);
    expect(sources.join('\n')).not.toMatch(/lib\/utils|createRequire/);
  });
});

describe('ignoreBrokenPipe', () => {
  it('turns writing into a no-op that succeeds once the reader of the pipe is gone', () => {
    const stream = fakeStream();
    ignoreBrokenPipe(stream);
    stream.write('before\n');
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(stream.write('after\n')).toBe(true);
    expect(stream.written).toEqual(['before\n']);
    expect(() => stream.end()).not.toThrow();
  });

  it('leaves any other error to the other listeners, and stops filtering', () => {
    const stream = fakeStream();
    ignoreBrokenPipe(stream);
    const seen: unknown[] = [];
    stream.on('error', (err) => seen.push(err));
    stream.emit('error', Object.assign(new Error('no space'), { code: 'ENOSPC' }));
    expect(seen).toHaveLength(1);
    expect(stream.listenerCount('error')).toBe(1);
  });
});

describe('as a process would use it', () => {
  it('exits cleanly when the reader of stdout goes away (node app | pino-pretty-extras | head -1)', () => {
    const script =
      "const { prettyExtras } = require('./dist'); const out = prettyExtras({ colorize: false });" +
      " for (let i = 0; i < 20000; i++) out.write(JSON.stringify({ level: 30, time: 0, msg: 'line ' + i }) + '\\n');";
    const result = spawnSync(`"${process.execPath}" -e "${script.replace(/"/g, '\\"')}" | head -1`, {
      cwd: PACKAGE_DIR,
      encoding: 'utf8',
      shell: '/bin/bash',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\[INFO\] line 0\n$/);
    expect(result.stderr).not.toMatch(/^\s+at /m); // no crash, no stack trace
  });

  it('writes everything an asynchronous destination still holds when the process exits at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ppe-exit-'));
    try {
      const file = join(dir, 'out.log');
      // A plain SonicBoom loses all but the first write here: process.exit() does not wait for it.
      const script = `
        const fs = require('node:fs');
        const { openDestination } = require('./dist/destination');
        const { parseOptions } = require('./dist/options');
        const fd = fs.openSync(${JSON.stringify(file)}, 'w');
        const { destination } = openDestination(parseOptions({ destination: fd, colorize: false }).settings);
        for (let i = 0; i < 5000; i++) destination.write('line ' + i + '\\n');
        process.exit(0);
      `;
      const result = spawnSync(process.execPath, ['-e', script], { cwd: PACKAGE_DIR, encoding: 'utf8' });
      expect(result.status).toBe(0);
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(5000);
      expect(lines[4999]).toBe('line 4999');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
