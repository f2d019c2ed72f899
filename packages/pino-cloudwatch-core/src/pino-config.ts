import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/**
 * Waiting for pino's config: the one helper of the toolkit's transports (`pino-cloudwatch-file`
 * and `pino-pretty-extras` both call {@link pinoConfigHandshake}, handshake.ts).
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

/**
 * pino versions that put the logger's custom levels in a `targets` worker's data as `levels` when
 * `pino({ customLevels, transport })` builds the transport (pino 7.10, pinojs/pino#1398, to 10.x
 * at least; the installed pino is checked by test/pino-worker-data.test.ts). This is pino's private
 * input to its worker: only a fallback for when its config message does not reach a target, and
 * used visibly (see {@link hostLevels} and {@link configFallbackMessage}).
 */
export const HOST_LEVELS_PINO_VERSIONS = '>=7.10 <11';

/**
 * The custom levels pino put in this worker's data (`workerData.workerData.levels`), or undefined
 * when there are none (no custom levels, a transport built by hand with `pino.transport()`, the main
 * thread). A value that is not a map of level numbers means pino changed what it puts there: it is
 * reported through `report` and ignored.
 */
export function hostLevels(report: (message: string) => void): Readonly<Record<string, number>> | undefined {
  const data = hostData();
  if (data === undefined || data.levels === undefined) return undefined;
  const value = data.levels;
  const isMap =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((num) => Number.isInteger(num));
  if (isMap) return Object.freeze({ ...(value as Record<string, number>) });
  report(
    `the worker data's "levels" is not a map of level numbers (${describe(value)}): pino ${HOST_LEVELS_PINO_VERSIONS} ` +
      "puts the logger's custom levels there, this pino does something else. Ignored: custom levels now come " +
      "only from pino's config message; set levels in this target's options to be sure.",
  );
  return undefined;
}

/**
 * When pino's config arrives after host levels were read: the message that says the worker data
 * disagreed with the logger (custom levels missing from it), or undefined when it agreed. A
 * disagreement means pino no longer passes what {@link HOST_LEVELS_PINO_VERSIONS} did.
 */
export function hostLevelsMismatch(
  host: Readonly<Record<string, number>>,
  config: PinoConfig,
  defaults: Readonly<Record<string, number>>,
): string | undefined {
  const values = config.levels?.values;
  if (values === undefined || values === null || typeof values !== 'object') return undefined;
  const missing = Object.entries(values)
    .filter(([name, num]) => defaults[name] !== num && host[name] !== num)
    .map(([name, num]) => `${name}: ${num}`);
  if (missing.length === 0) return undefined;
  return (
    `the logger's custom levels (${missing.join(', ')}) were not in the worker data, where pino ` +
    `${HOST_LEVELS_PINO_VERSIONS} puts them; lines written before pino's config arrived may show them as numbers. ` +
    "Set levels in this target's options to be independent of it."
  );
}

/**
 * What a transport reports when pino's config has not come {@link PINO_CONFIG_WAIT_MS} after its
 * first line and the held lines are written with what is known.
 */
export function configFallbackMessage(known: {
  levels: Readonly<Record<string, number>> | undefined;
  levelsFrom: 'options' | 'worker data' | 'defaults';
  messageKey: string;
  errorKey: string;
}): string {
  const levels =
    known.levelsFrom === 'defaults'
      ? "pino's default levels (a custom level shows as its number)"
      : `pino's default levels and ${Object.keys(known.levels ?? {}).join(', ') || 'none'} from the ${known.levelsFrom}`;
  return (
    `pino's config (the logger's levels, messageKey and errorKey) has not reached this target ${PINO_CONFIG_WAIT_MS} ms ` +
    `after its first line, so lines are written with ${levels}, messageKey "${known.messageKey}" and errorKey ` +
    `"${known.errorKey}". Another target of the transport may have taken the message first, or nothing called ` +
    'pino() with this transport; if the logger uses other levels or keys, set levels, messageKey and errorKey in ' +
    "this target's options."
  );
}

/** The line said when pino's config arrives after {@link configFallbackMessage} was reported. */
export const CONFIG_ARRIVED_LATE = "pino's config arrived after all; it is used from now on.";

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The one wait: the first line held for pino's config starts it ({@link firstLine}); unless the
 * config comes first ({@link settle}), `onTimeout` runs {@link PINO_CONFIG_WAIT_MS} later. The
 * timer is unref'd: it never keeps a process alive.
 */
export class ConfigWait {
  private timer: NodeJS.Timeout | undefined;
  private settled = false;

  constructor(
    private readonly onTimeout: () => void,
    private readonly waitMs: number = PINO_CONFIG_WAIT_MS,
  ) {}

  /** Whether lines are held and the wait is running. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** A line arrived before the config: starts the wait unless it runs or is over. */
  firstLine(): void {
    if (this.settled || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.settled = true;
      this.onTimeout();
    }, this.waitMs);
    this.timer.unref();
  }

  /** The config came, or the stream ends: no timeout any more. */
  settle(): void {
    this.settled = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
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
