import { isMainThread } from 'node:worker_threads';
import SonicBoom from 'sonic-boom';
import type { Settings, WritableLike } from './options';

/** The part of a SonicBoom (or any stream) this package uses. */
export interface Destination extends WritableLike {
  end(): void;
  flush?(cb?: (err?: Error | null) => void): void;
  flushSync?(): void;
  destroy?(): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, listener: (...args: unknown[]) => void): unknown;
  destroyed?: boolean;
}

/**
 * Opens the destination of the settings: a SonicBoom (a declared dependency, used through its
 * documented API) on a file descriptor or file path, or the caller's own stream as is. `owned`
 * says whether closing the transport should end it.
 *
 * The two things pino-pretty's own destination adds are done here: a reader of the pipe that went
 * away (EPIPE, `node app.js | pino-pretty-extras | head`) ends output quietly, and an asynchronous
 * destination on the main thread writes what it still holds when the process exits.
 */
export function openDestination(settings: Settings): { destination: Destination; owned: boolean } {
  const target = settings.destination;
  if (typeof target === 'object') return { destination: target as Destination, owned: false };
  const destination = new SonicBoom({
    dest: target,
    append: settings.append,
    mkdir: settings.mkdir,
    sync: settings.sync,
  }) as unknown as Destination;
  ignoreBrokenPipe(destination);
  // In a worker, pino's transport machinery ends the stream at exit; a synchronous one holds nothing.
  if (!settings.sync && isMainThread) flushOnExit(destination);
  return { destination, owned: true };
}

/**
 * On EPIPE (the reading end of the pipe is gone) every later write, flush and end does nothing and
 * writing "succeeds", so the formatter neither waits for a drain that never comes nor throws; any
 * other error stops this filter and is left to the stream's other listeners.
 */
export function ignoreBrokenPipe(stream: Destination): void {
  const onError = (err: unknown): void => {
    if ((err as { code?: unknown } | null)?.code === 'EPIPE') {
      stream.write = () => true;
      stream.end = noop;
      stream.flush = (cb) => cb?.();
      stream.flushSync = noop;
      stream.destroy = noop;
      return;
    }
    stream.removeListener?.('error', onError);
  };
  stream.on('error', onError);
}

/** Destinations to flush at exit, held weakly: an abandoned stream is not kept alive by this. */
const openAtExit = new Set<WeakRef<Destination>>();
const forgetCollected = new FinalizationRegistry<WeakRef<Destination>>((ref) => openAtExit.delete(ref));
let exitListening = false;

/**
 * Writes what `stream` still holds, synchronously, when the process exits (`process.exit()`, the
 * end of the event loop), unless it was closed first.
 */
export function flushOnExit(stream: Destination): void {
  const ref = new WeakRef(stream);
  openAtExit.add(ref);
  forgetCollected.register(stream, ref);
  stream.once('close', () => openAtExit.delete(ref));
  if (!exitListening) {
    exitListening = true;
    process.once('exit', flushAllAtExit);
  }
}

function flushAllAtExit(): void {
  exitListening = false;
  for (const ref of openAtExit) {
    const stream = ref.deref();
    if (stream === undefined || stream.destroyed === true) continue;
    try {
      stream.flushSync?.();
    } catch {
      // Not open yet, or the descriptor is gone: nothing more can be written at exit.
    }
  }
  openAtExit.clear();
}

function noop(): void {}
