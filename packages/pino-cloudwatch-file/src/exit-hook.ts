import { isMainThread } from 'node:worker_threads';

/**
 * Files still open when the main thread's process exits are closed then, so a staged file is put in
 * place rather than left in the staging folder (an in-process stream: pino only flushes it at exit).
 * In a worker thread the transport's end does it.
 * Invariants: one 'exit' listener per process, whatever the number of files; the hook holds weak
 * references only, so an abandoned file is not kept alive by it.
 */
export interface ClosesAtExit {
  close(): void;
}

const openAtExit = new Set<WeakRef<ClosesAtExit>>();
const refs = new WeakMap<ClosesAtExit, WeakRef<ClosesAtExit>>();
let installed = false;

/** Closes `file` when the process exits, unless `forgetAtExit` is called first. */
export function closeAtExit(file: ClosesAtExit): void {
  if (!isMainThread) return;
  const ref = new WeakRef(file);
  refs.set(file, ref);
  openAtExit.add(ref);
  if (installed) return;
  installed = true;
  process.once('exit', () => {
    for (const open of openAtExit) open.deref()?.close();
  });
}

export function forgetAtExit(file: ClosesAtExit): void {
  const ref = refs.get(file);
  if (ref !== undefined) openAtExit.delete(ref);
}
