import { createRequire } from 'node:module';
import type { Settings, WritableLike } from './options';

/** The part of a SonicBoom (or any stream) this package uses. */
export interface Destination extends WritableLike {
  end(): void;
  flush?(cb?: (err?: Error | null) => void): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, listener: (...args: unknown[]) => void): unknown;
  destroyed?: boolean;
}

interface SonicBoomOptions {
  dest: number | string;
  append: boolean;
  mkdir: boolean;
  sync: boolean;
}

type SonicBoomBuilder = (options: SonicBoomOptions) => Destination;

/**
 * pino-pretty's own destination builder: a SonicBoom that ignores EPIPE (the reader of a pipe
 * went away) and flushes on process exit. It is an internal file of pino-pretty 13, so if a later
 * version moves it we fall back to a plain SonicBoom from pino-pretty's own dependencies.
 */
function loadSonicBoomBuilder(): SonicBoomBuilder {
  const fromPinoPretty = createRequire(require.resolve('pino-pretty'));
  try {
    return fromPinoPretty('./lib/utils/build-safe-sonic-boom') as SonicBoomBuilder;
  } catch {
    const SonicBoom = fromPinoPretty('sonic-boom') as new (options: SonicBoomOptions) => Destination;
    return (options) => new SonicBoom(options);
  }
}

let builder: SonicBoomBuilder | undefined;

/**
 * Opens the destination of the settings: a SonicBoom on a file descriptor or file path, or the
 * caller's own stream as is. `owned` says whether closing the transport should end it.
 */
export function openDestination(settings: Settings): { destination: Destination; owned: boolean } {
  const target = settings.destination;
  if (typeof target === 'object') return { destination: target as Destination, owned: false };
  builder ??= loadSonicBoomBuilder();
  const destination = builder({
    dest: target,
    append: settings.append,
    mkdir: settings.mkdir,
    sync: settings.sync,
  });
  return { destination, owned: true };
}
