import * as fs from 'node:fs';
import * as path from 'node:path';
import { AgentSimulator, agentSchedule, type AnyEntry } from './agent-simulator';
import { AgentStateFolder } from './agent-state';

/**
 * A stand-in for the CloudWatch agent binary (`CW_AGENT_BIN`), built on the agent simulator, for tests
 * that run the sidecar's real entrypoint as its supervisor. Like the agent in container mode it reads
 * every `*.json` in `CW_CONFIG_DIR`, keeps its offsets in a state folder in the agent's own format,
 * scans every second from its start, and on SIGTERM or SIGINT stops its readers (what they uploaded is
 * saved) and exits 0.
 *
 * Environment (besides `CW_CONFIG_DIR`):
 * - `SIM_STATE_DIR` (required): its state folder. (The agent's is fixed by its translator; the
 *   supervisor is told the same folder in `STATE_DIR`.)
 * - `SIM_EVENTS_DIR` (required): each uploaded line is appended, before its offset is saved, to
 *   `events-<pid>.jsonl` there as `{"s":<stream>,"f":<file>,"l":<line>}`; the start time goes to
 *   `started-<pid>`.
 *
 * SIGUSR2 freezes it (its readers stop where they are, as on SIGTERM, but it does not exit) and writes
 * `frozen-<pid>`: a test sends it before it kills the whole sidecar, so that the kill falls between two
 * of its reads, never between an upload and the state save that follows it, nor inside a state file's
 * write. A kill there is the agent's own hazard, not the sidecar's (docs/agent.md): the lines sent
 * since the last save are sent again, and a state file cut to zero bytes makes the agent read its file
 * from the start.
 * - `SIM_SEED` (default 1), `SIM_START_DELAY_MS` (default 0: time before the agent's loop starts, the
 *   config translation of the real start program), `SIM_LOGS_DIR` (maps a `file_path` under `/logs/`
 *   there, for an entrypoint that cannot be told where the logs are).
 *
 * It is compiled to JavaScript by the test (`compileForChild`) and started by a shell script.
 */

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

/** The collect_list items of every JSON file in the config folder (the agent merges them). */
function collectItems(): CollectItem[] {
  const items: CollectItem[] = [];
  for (const name of fs.readdirSync(configDir).sort()) {
    if (!name.endsWith('.json')) continue;
    const config = JSON.parse(fs.readFileSync(path.join(configDir, name), 'utf8')) as {
      logs?: { logs_collected?: { files?: { collect_list?: CollectItem[] } } };
    };
    items.push(...(config.logs?.logs_collected?.files?.collect_list ?? []));
  }
  return items;
}

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
  return { name, dir, prefix: base.slice(0, star), autoRemoval: item.auto_removal === true };
}

const pid = process.pid;
let frozen = false;
// Installed first: SIGUSR2 would otherwise end the process (its default action).
process.on('SIGUSR2', () => {
  frozen = true;
  running?.pause();
  flush();
  fs.writeFileSync(path.join(eventsDir, `frozen-${pid}`), `${Date.now()}\n`);
});
let running: AgentSimulator | undefined;
const eventsFd = fs.openSync(path.join(eventsDir, `events-${pid}.jsonl`), 'a');
let pending: string[] = [];

/** "Uploads" the lines read so far: one write, before the offset that covers them is saved. */
function flush(): void {
  if (pending.length === 0) return;
  const text = pending.join('');
  pending = [];
  fs.writeSync(eventsFd, text);
}

function start(): void {
  if (frozen) return;
  const entries = collectItems().map(toEntry);
  const startedAt = Date.now();
  fs.writeFileSync(path.join(eventsDir!, `started-${pid}`), `${startedAt}\n`);
  const agent = new AgentSimulator({
    entries,
    seed: Number(process.env.SIM_SEED ?? 1),
    // The agent's ticker starts with its log agent: the first scan one second after the start.
    schedule: agentSchedule(startedAt % 1000),
    state: new AgentStateFolder(stateDir, flush),
    onEvent: (event) => {
      pending.push(`${JSON.stringify({ s: event.entry, f: event.file, l: event.line })}\n`);
    },
  });
  agent.start();
  running = agent;
  const stop = (): void => {
    if (!frozen) agent.pause(); // readers stop where they are; their offsets are saved
    flush();
    fs.closeSync(eventsFd);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// Until the loop starts, a signal ends the process as it would end the agent's start program.
const delayMs = Number(process.env.SIM_START_DELAY_MS ?? 0);
if (delayMs > 0) setTimeout(start, delayMs);
else start();
