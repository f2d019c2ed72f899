import fs from 'node:fs';
import path from 'node:path';

/**
 * Files named by the arguments: a path as is, or a glob (`*`, `?`, `[...]` in the file name part,
 * as a quoted argument the shell did not expand; as in the shell, a wildcard does not match a
 * leading dot). Each glob's matches come sorted by name, which for our hourly families
 * (`app.log.2025-12-13_12`) is their time order. A glob that matches nothing is an error naming it.
 */
export function expandInputs(args: readonly string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    const base = path.basename(arg);
    if (!/[*?[]/.test(base)) {
      files.push(arg);
      continue;
    }
    const dir = path.dirname(arg);
    const pattern = globPattern(base);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      names = [];
    }
    // As the shell: a name that starts with a dot (an editor's swap file) only for a glob that does.
    const matches = names
      .filter((name) => pattern.test(name) && (!name.startsWith('.') || base.startsWith('.')))
      .sort();
    if (matches.length === 0) throw new Error(`no file matches ${arg}`);
    for (const name of matches) files.push(path.join(dir, name));
  }
  return files;
}

function globPattern(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) source += '\\[';
      else {
        source += `[${glob
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
