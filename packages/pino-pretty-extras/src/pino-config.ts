import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { PinoConfig } from './options';

/** The message pino sends a stream (in-process) or a transport worker at logger creation. */
interface PinoConfigMessage {
  code: 'PINO_CONFIG';
  config: PinoConfig;
}

export function isPinoConfigMessage(message: unknown): message is PinoConfigMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { code?: unknown }).code === 'PINO_CONFIG' &&
    typeof (message as { config?: unknown }).config === 'object'
  );
}

/**
 * True inside a pino transport worker whose logger will post `PINO_CONFIG` (pino ≥ 9.1 sets
 * `pinoWillSendConfig` in the worker data, for a single target and for `targets` alike).
 */
export function workerExpectsPinoConfig(): boolean {
  if (isMainThread || parentPort === null) return false;
  const data = workerData as { workerData?: { pinoWillSendConfig?: unknown } } | undefined;
  return data?.workerData?.pinoWillSendConfig === true;
}

/**
 * Calls `onConfig` once with the logger's config, from wherever it comes: pino emits it on the
 * stream itself in-process, and posts it on `parentPort` to a transport worker. Returns a
 * function that stops listening.
 */
export function listenForPinoConfig(
  stream: NodeJS.EventEmitter,
  onConfig: (config: PinoConfig) => void,
): () => void {
  const port = isMainThread ? null : parentPort;
  const onMessage = (message: unknown): void => {
    if (!isPinoConfigMessage(message)) return;
    stop();
    onConfig(message.config);
  };
  const stop = (): void => {
    stream.removeListener('message', onMessage);
    port?.removeListener('message', onMessage);
  };
  stream.on('message', onMessage);
  port?.on('message', onMessage);
  return stop;
}
