'use strict';
// Summarise V8 CPU profiles written by `node bench/run.js --cpu-prof` (node --cpu-prof writes one .cpuprofile
// per thread: CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile, thread 0 = main thread, others = transport workers).
//
//   node bench/profile-summary.js <dir> [--top N] [--filter text]
//
// For each profile: total sampled time, self time by module (package or file), and the top functions by self time.

const fs = require('node:fs');
const path = require('node:path');

function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(full));
    else if (e.name.endsWith('.cpuprofile')) out.push(full);
  }
  return out.sort();
}

/** A short module label for a script URL: the package name, or the package's dist file for this repository. */
function moduleOf(url) {
  if (!url) return '(native / vm)';
  const u = url.replace(/^file:\/\//, '');
  let m = u.match(/\/packages\/([^/]+)\/(?:dist|src)\/(.+)$/);
  if (m) return `${m[1]}/${m[2]}`;
  m = u.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.+)$/);
  if (m) return `${m[1]}/${m[2]}`;
  if (u.startsWith('node:')) return u;
  if (u.includes('/bench/')) return `bench/${u.split('/bench/')[1]}`;
  return u;
}

function summarise(file, top, filter) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  // timeDeltas[i] is the time before sample i; attribute it to the sampled node.
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i];
    selfUs.set(id, (selfUs.get(id) || 0) + (prof.timeDeltas[i] || 0));
  }
  const totalUs = prof.endTime - prof.startTime;
  const fn = new Map();
  const mod = new Map();
  for (const [id, us] of selfUs) {
    const cf = byId.get(id).callFrame;
    const name = cf.functionName || '(anonymous)';
    const where = cf.url ? `${moduleOf(cf.url)}:${cf.lineNumber + 1}` : '';
    const key = where ? `${name} ${where}` : name;
    fn.set(key, (fn.get(key) || 0) + us);
    const mk = cf.url ? moduleOf(cf.url).replace(/\/.*$/, '') || moduleOf(cf.url) : name;
    mod.set(mk, (mod.get(mk) || 0) + us);
  }
  const pct = (us) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
  const msf = (us) => `${(us / 1000).toFixed(1).padStart(8)} ms`;
  const thread = path.basename(file).split('.')[4]; // CPU.<date>.<time>.<pid>.<thread id>.<seq>
  let s = `\n${path.relative(process.cwd(), file)}  (thread ${thread === '0' ? '0 = main' : `${thread} = worker`}, ${(totalUs / 1000).toFixed(0)} ms)\n`;
  s += '  self time by module:\n';
  for (const [k, us] of [...mod].sort((a, b) => b[1] - a[1]).slice(0, 10))
    s += `  ${pct(us)} ${msf(us)}  ${k}\n`;
  s += '  top functions by self time:\n';
  const fns = [...fn].filter(([k]) => !filter || k.includes(filter)).sort((a, b) => b[1] - a[1]);
  for (const [k, us] of fns.slice(0, top)) s += `  ${pct(us)} ${msf(us)}  ${k}\n`;
  return s;
}

function main() {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  const topIdx = args.indexOf('--top');
  const top = topIdx !== -1 ? Number(args[topIdx + 1]) : 20;
  const filterIdx = args.indexOf('--filter');
  const filter = filterIdx !== -1 ? args[filterIdx + 1] : undefined;
  if (!dir) {
    process.stderr.write(
      'usage: node bench/profile-summary.js <dir with .cpuprofile files> [--top N] [--filter text]\n',
    );
    process.exit(2);
  }
  const files = walk(dir);
  if (!files.length) {
    process.stderr.write(`no .cpuprofile under ${dir}\n`);
    process.exit(1);
  }
  for (const f of files) process.stdout.write(summarise(f, top, filter));
}

main();
