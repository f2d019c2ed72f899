import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { REPO_ROOT } from './helpers';

/**
 * Compiles a TypeScript module of this repository and the modules it imports by relative path into
 * plain CommonJS under `outDir` (same layout as the repository), so a child process can run it with
 * `node` alone — no loader, no start-up cost. Returns the path of the entry's JavaScript.
 * Type-only: nothing is checked here (the typecheck of `npm test` does that).
 */
export function compileForChild(entry: string, outDir: string): string {
  const done = new Set<string>();
  const queue = [path.resolve(entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = fs.readFileSync(file, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const target = path.join(outDir, path.relative(REPO_ROOT, file).replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
    for (const match of source.matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const base = path.resolve(path.dirname(file), match[1]);
      const resolved = [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) =>
        fs.existsSync(candidate),
      );
      if (resolved === undefined) throw new Error(`compileForChild: cannot resolve ${match[1]} from ${file}`);
      queue.push(resolved);
    }
  }
  return path.join(outDir, path.relative(REPO_ROOT, path.resolve(entry)).replace(/\.ts$/, '.js'));
}
