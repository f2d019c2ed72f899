import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/**
 * Waiting for pino's config: the one helper of the toolkit's transports
 * (`pino-cloudwatch-file/pino-config`, used by this package and by `pino-pretty-extras`).
 *
 * When `pino(options, transport)` runs, pino sends the logger's level map, `messageKey` and
 * `errorKey` as a `PINO_CONFIG` message: emitted on the stream itself in-process, posted on the
 * worker's `parentPort` to a transport (pino ≥ 8.21 / 9, which also puts `pinoWillSendConfig: true`
 * in the worker's data). A transport is `ready` at once — it never waits for the message before
 * that, so awaiting `ready` before calling `pino()` cannot hang. Inside a worker that expects the
 * message, the records that arrive before it are held, at most {@link PINO_CONFIG_WAIT_MS} after
 * the first of them, then written with what is known.
 *
 * The message is posted once per worker. In a `targets` transport every target of the worker
 * shares one port, and whichever target listens first starts it: a target that listens later
 * would never see the message. So this module listens once per worker, as soon as it is loaded,
 * and keeps the config for every target that asks later (both of this toolkit's transports load
 * this module, so in a worker they share it).
 */

/**
 * How long lines that arrive before pino's config are held, counted from the first of them. The
 * message is normally there within a few milliseconds; when it is not, it was delivered before
 * this module listened (another package's target started the worker's port) or the transport is
 * written to without pino, and waiting longer would only delay every first line.
 */
export const PINO_CONFIG_WAIT_MS = 200;

/** The logger config pino sends (`config` of the `PINO_CONFIG` message). */
export interface PinoConfig {
  readonly levels?: { readonly values?: Readonly<Record<string, number>>; readonly labels?: unknown };
  readonly messageKey?: string;
  readonly errorKey?: string;
}

/** Whether `message` is pino's `{ code: 'PINO_CONFIG', config }`. */
export function isPinoConfigMessage(
  message: unknown,
): message is { code: 'PINO_CONFIG'; config: PinoConfig } {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { code?: unknown }).code === 'PINO_CONFIG' &&
    typeof (message as { config?: unknown }).config === 'object' &&
    (message as { config?: unknown }).config !== null
  );
}

/** The data pino's transport machinery hands a worker (thread-stream nests it as `workerData.workerData`). */
function hostData(): Record<string, unknown> | undefined {
  if (isMainThread || parentPort === null) return undefined;
  const data = (workerData as { workerData?: unknown } | null | undefined)?.workerData;
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : undefined;
}

/** True inside a pino transport worker whose logger will post `PINO_CONFIG`. */
export function expectsPinoConfig(): boolean {
  return hostData()?.pinoWillSendConfig === true;
}

/** The config this worker received, kept for targets that listen after it came. */
let received: PinoConfig | undefined;
const waiting = new Set<(config: PinoConfig) => void>();
let portListening = false;

function onPortMessage(message: unknown): void {
  if (!isPinoConfigMessage(message)) return;
  received = message.config;
  stopPort();
  for (const deliver of [...waiting]) deliver(message.config);
}

function startPort(): void {
  if (portListening || parentPort === null || received !== undefined) return;
  portListening = true;
  parentPort.on('message', onPortMessage);
}

/** Once the message is in, this worker needs the port no more (thread-stream keeps its own listener). */
function stopPort(): void {
  if (!portListening) return;
  portListening = false;
  parentPort?.off('message', onPortMessage);
}

// Listen from the moment the module is loaded (a target's import), before any target's build runs.
if (expectsPinoConfig()) startPort();

/**
 * Calls `onConfig` once with the logger's config, from wherever it comes: emitted on `stream`
 * (in-process), posted to this worker (a transport), or already received by this worker before
 * (then synchronously, before this returns). Returns a function that stops listening.
 */
export function listenForPinoConfig(
  stream: NodeJS.EventEmitter | undefined,
  onConfig: (config: PinoConfig) => void,
): () => void {
  let done = false;
  const deliver = (config: PinoConfig): void => {
    if (done) return;
    stop();
    onConfig(config);
  };
  const onStreamMessage = (message: unknown): void => {
    if (isPinoConfigMessage(message)) deliver(message.config);
  };
  const stop = (): void => {
    done = true;
    stream?.removeListener('message', onStreamMessage);
    waiting.delete(deliver);
  };
  stream?.on('message', onStreamMessage);
  if (received !== undefined) {
    deliver(received);
  } else if (expectsPinoConfig()) {
    waiting.add(deliver);
    startPort();
  }
  return stop;
}
