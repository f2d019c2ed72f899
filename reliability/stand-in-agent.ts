import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACCEPT_MS, AgentSimulator, agentSchedule, FLUSH_MS, type AnyEntry } from './agent-simulator';
import { AgentStateFolder } from './agent-state';

/**
 * A stand-in for the CloudWatch agent binary (`CW_AGENT_BIN`), built on the agent simulator, for tests
 * that run the sidecar's real entrypoint as its supervisor. Like the agent in container mode it reads
 * every `*.json` in `CW_CONFIG_DIR`, keeps its offsets in a state folder in the agent's own format,
 * scans every second from its start, batches what it reads as the agent's output does (an offset is
 * saved only once CloudWatch "accepted" its batch, up to `force_flush_interval` later), and on SIGTERM
 * or SIGINT — whenever it arrives, also before its loop started — sends its batches, stops its readers
 * and exits 0, as the agent does. (The script that starts it exits 0 too when the signal comes while
 * Node itself is still starting: `standInAgentBin()` in sidecar.ts.)
 *
 * Environment (besides `CW_CONFIG_DIR`):
 * - `SIM_STATE_DIR` (required): its state folder. (The agent's is fixed by its translator; the
 *   supervisor is told the same folder in `STATE_DIR`.)
 * - `SIM_EVENTS_DIR` (required): each accepted line is appended, before its offset is saved, to
 *   `events-<pid>.jsonl` there as `{"s":<stream>,"f":<file>,"l":<line>}`; each saved offset, just before
 *   the save, to `accepted-<pid>.jsonl` as `{"f":<path>,"o":<offset>,"t":<epoch ms>}` (just before the save); the start time goes to
 *   `started-<pid>`.
 *
 * SIGUSR2 is the start of a kill (SIGKILL, OOM): it crashes the simulator — what was read and not yet
 * accepted is dropped, no offset moves — and freezes it (it does not exit), then writes `frozen-<pid>`.
 * A test sends it before it kills the whole sidecar, so that the kill falls between two of its steps,
 * never between an acceptance and the state save that follows it, nor inside a state file's write. A
 * kill there is the agent's own hazard, not the sidecar's (docs/agent.md): the lines accepted since the
 * last save are sent again, and a state file cut to zero bytes makes the agent read its file from the
 * start.
 * - `SIM_SEED` (default 1), `SIM_START_DELAY_MS` (default 0: time before the agent's loop starts, the
 *   config translation of the real start program), `SIM_LOGS_DIR` (maps a `file_path` under `/logs/`
 *   there, for an entrypoint that cannot be told where the logs are).
 * - `SIM_FLUSH_MS` (default the config's `force_flush_interval`, else 5000) and `SIM_ACCEPT_MS` (default
 *   50): the output's batches (agent-simulator.ts).
 * - `SIM_SCAN_PHASE_MS`: the phase of its scans in the second (default: set by when it started).
 * - `SIM_AUTO_REMOVAL=true`: every wildcard entry with `auto_removal: true` whatever the config says —
 *   the sidecar as it was before it owned deletion, for negative controls.
 *
 * It is compiled to JavaScript by the test (`compileForChild`) and started by a shell script.
 */

const pid = process.pid;
let running: AgentSimulator | undefined;
let exiting = false;

/**
 * SIGTERM or SIGINT: the agent's graceful stop, whenever it comes. Installed before anything else runs,
 * so a signal during start-up (before the loop or during the start delay) still ends with status 0.
 */
function stop(): void {
  if (exiting) return;
  exiting = true;
  if (running !== undefined && !frozen) running.pause(); // batches sent, readers stopped, offsets saved
  flush();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

interface CollectItem {
  file_path: string;
  log_stream_name?: string;
  auto_removal?: boolean;
}

const eventsDir = process.env.SIM_EVENTS_DIR;
if (eventsDir === undefined || eventsDir === '') throw new Error('stand-in agent: SIM_EVENTS_DIR is not set');
const configDir = process.env.CW_CONFIG_DIR ?? '/etc/cwagentconfig';
const stateDir = process.env.SIM_STATE_DIR;
if (stateDir === undefined || stateDir === '') throw new Error('stand-in agent: SIM_STATE_DIR is not set');
const logsDir = process.env.SIM_LOGS_DIR;

interface AgentConfig {
  logs?: { force_flush_interval?: number; logs_collected?: { files?: { collect_list?: CollectItem[] } } };
}

/** Every JSON file in the config folder (the agent merges them). */
function configs(): AgentConfig[] {
  return fs
    .readdirSync(configDir)
    .sort()
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(fs.readFileSync(path.join(configDir, name), 'utf8')) as AgentConfig);
}

/** The collect_list items of the config files (the agent merges them). */
function collectItems(loaded: readonly AgentConfig[]): CollectItem[] {
  return loaded.flatMap((config) => config.logs?.logs_collected?.files?.collect_list ?? []);
}

/** The output's flush interval: SIM_FLUSH_MS, else the config's force_flush_interval (s), else 5 s. */
function flushMs(loaded: readonly AgentConfig[]): number {
  if (process.env.SIM_FLUSH_MS) return Number(process.env.SIM_FLUSH_MS);
  const seconds = loaded.find((c) => c.logs?.force_flush_interval !== undefined)?.logs?.force_flush_interval;
  return seconds === undefined ? FLUSH_MS : seconds * 1000;
}

const forceAutoRemoval = process.env.SIM_AUTO_REMOVAL === 'true';

/** An item as a simulator entry: `<dir>/<prefix>*` (the only wildcard form the sidecar writes) or one path. */
function toEntry(item: CollectItem): AnyEntry {
  let filePath = item.file_path;
  if (logsDir !== undefined && filePath.startsWith('/logs/'))
    filePath = path.join(logsDir, filePath.slice(6));
  const name = (item.log_stream_name ?? 'default').split('/')[0];
  const dir = path.dirname(filePath);
  const base = path.basename(filePath);
  const star = base.indexOf('*');
  if (star === -1) return { name, dir, file: base, autoRemoval: item.auto_removal === true };
  if (star !== base.length - 1 || /[?[]/.test(base))
    throw new Error(`stand-in agent: unsupported file_path ${item.file_path}`);
  return {
    name,
    dir,
    prefix: base.slice(0, star),
    autoRemoval: forceAutoRemoval || item.auto_removal === true,
  };
}

let frozen = false;
// Installed early: SIGUSR2 would otherwise end the process (its default action).
process.on('SIGUSR2', () => {
  if (frozen) return;
  frozen = true;
  running?.crash();
  flush();
  // Frozen, it waits for the SIGKILL that follows: with its timers gone nothing else would keep it
  // alive, and an agent that exited by itself (status 0) would end the sidecar before the kill.
  setInterval(() => undefined, 60_000);
  fs.writeFileSync(path.join(eventsDir, `frozen-${pid}`), `${Date.now()}\n`);
});
const eventsFd = fs.openSync(path.join(eventsDir, `events-${pid}.jsonl`), 'a');
const acceptedFd = fs.openSync(path.join(eventsDir, `accepted-${pid}.jsonl`), 'a');

/**
 * The state folder, which also notes each offset CloudWatch accepted, with the time, just before it is
 * saved: the note's time is never later than the moment the supervisor can first read the offset.
 */
class NotedStateFolder extends AgentStateFolder {
  override set(filePath: string, offset: number): void {
    fs.writeSync(acceptedFd, `${JSON.stringify({ f: filePath, o: offset, t: Date.now() })}\n`);
    super.set(filePath, offset);
  }
}
let pending: string[] = [];

/** "Uploads" the lines read so far: one write, before the offset that covers them is saved. */
function flush(): void {
  if (pending.length === 0) return;
  const text = pending.join('');
  pending = [];
  fs.writeSync(eventsFd, text);
}

function start(): void {
  if (frozen || exiting) return;
  const loaded = configs(); // read once: the entries and the flush interval come from the same files
  const entries = collectItems(loaded).map(toEntry);
  const startedAt = Date.now();
  fs.writeFileSync(path.join(eventsDir!, `started-${pid}`), `${startedAt}\n`);
  const phase = process.env.SIM_SCAN_PHASE_MS;
  const agent = new AgentSimulator({
    entries,
    seed: Number(process.env.SIM_SEED ?? 1),
    // The agent's ticker starts with its log agent: the first scan one second after the start.
    schedule: agentSchedule(phase ? Number(phase) : startedAt % 1000),
    state: new NotedStateFolder(stateDir!, flush),
    flushMs: flushMs(loaded),
    acceptMs: Number(process.env.SIM_ACCEPT_MS ?? ACCEPT_MS),
    onEvent: (event) => {
      pending.push(`${JSON.stringify({ s: event.entry, f: event.file, l: event.line })}\n`);
    },
  });
  agent.start();
  running = agent;
}

const delayMs = Number(process.env.SIM_START_DELAY_MS ?? 0);
if (delayMs > 0) setTimeout(start, delayMs);
else start();
