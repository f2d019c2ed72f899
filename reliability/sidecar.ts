import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AgentStateFolder } from './agent-state';
import { compileForChild } from './compile-for-child';
import { familyFiles, REPO_ROOT, tempDir } from './helpers';

/**
 * The CloudWatch agent sidecar outside its image, for the outage tests: the real entrypoint
 * (cloudwatch-agent/entrypoint.sh) as the supervisor, with the agent simulator as its agent binary
 * (reliability/stand-in-agent.ts), a logs folder, a state folder in the agent's format and a folder
 * where the stand-in writes what it "uploads". Each `start()` is a new sidecar (a container start);
 * `kill()` is SIGKILL to all of its processes (an OOM kill, a node going away); `stop()` is SIGTERM
 * (docker stop, a task or pod stopping).
 */

export const ENTRYPOINT = path.join(REPO_ROOT, 'cloudwatch-agent', 'entrypoint.sh');

let standInBin: string | undefined;

/**
 * A shell script that runs the stand-in agent (compiled once per test process). Like the agent, it
 * exits 0 on SIGTERM or SIGINT whenever the signal arrives: the script passes the signal on to Node,
 * and when Node was still starting (before the stand-in's handler existed) and died of it, the script
 * still exits 0. SIGHUP is passed on; SIGKILL reaches both (the sidecar's own process group).
 */
export function standInAgentBin(): string {
  if (standInBin !== undefined) return standInBin;
  const dir = tempDir('stand-in');
  const js = compileForChild(path.join(__dirname, 'stand-in-agent.ts'), dir);
  const bin = path.join(dir, 'start-amazon-cloudwatch-agent');
  fs.writeFileSync(
    bin,
    [
      '#!/bin/sh',
      'stopping=0',
      'child=',
      'pass() { [ -z "$child" ] || kill -s "$1" "$child" 2>/dev/null || :; }',
      "trap 'stopping=1; pass TERM' TERM",
      "trap 'stopping=1; pass INT' INT",
      "trap 'pass HUP' HUP",
      // Compiled outside the repository: bare imports (the test-support workspace) resolve from its node_modules.
      `NODE_PATH=${JSON.stringify(path.join(REPO_ROOT, 'node_modules'))} ${JSON.stringify(process.execPath)} ${JSON.stringify(js)} &`,
      'child=$!',
      '[ "$stopping" = 0 ] || pass TERM',
      'while :; do',
      '  status=0',
      '  wait "$child" || status=$?',
      '  kill -0 "$child" 2>/dev/null || break',
      'done',
      '[ "$stopping" = 0 ] || exit 0',
      'exit "$status"',
      '',
    ].join('\n'),
  );
  fs.chmodSync(bin, 0o755);
  standInBin = bin;
  return bin;
}

export interface SidecarOptions {
  /** Comma-separated file base names (LOG_FILES). */
  logFiles: string;
  logsDir: string;
  /** The entrypoint to run (default the repository's; another one for a before/after comparison). */
  entrypoint?: string;
  /** More environment for the entrypoint and the stand-in (STOP_WAIT_SECONDS, SIM_START_DELAY_MS, ...). */
  env?: Record<string, string>;
}

/** One uploaded line, as the stand-in wrote it. */
export interface Upload {
  stream: string;
  file: string;
  line: string;
  /** The stand-in process that uploaded it. */
  agent: string;
}

/** Sidecars that may still run, for `killSidecars()`. */
const live = new Set<Sidecar>();

/** Kills every sidecar still running (call it in `afterAll`, so a failed test leaves no process). */
export async function killSidecars(): Promise<void> {
  await Promise.all([...live].map((sidecar) => sidecar.kill()));
}

export class Sidecar {
  readonly stateDir: string;
  readonly configDir: string;
  readonly eventsDir: string;
  /** The entrypoint's stderr, every start. */
  stderr = '';
  /** How each start ended: `code` or `signal`. */
  readonly exits: Array<{ code: number | null; signal: NodeJS.Signals | null }> = [];
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;

  constructor(private readonly options: SidecarOptions) {
    const dir = tempDir('sidecar');
    this.stateDir = path.join(dir, 'state');
    this.configDir = path.join(dir, 'cwagentconfig');
    this.eventsDir = path.join(dir, 'uploads');
    for (const folder of [this.stateDir, this.eventsDir]) fs.mkdirSync(folder);
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  start(): void {
    if (this.child !== undefined) throw new Error('the sidecar is running');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: '/nonexistent-home',
      // Known to run on EC2: no credentials warning; and never a probe of the EC2 metadata address
      RUN_IN_AWS: 'True',
      AWS_EC2_METADATA_DISABLED: 'true',
      LOG_FILES: this.options.logFiles,
      LOGS_DIR: this.options.logsDir,
      STATE_DIR: this.stateDir,
      SIM_STATE_DIR: this.stateDir,
      CW_CONFIG_DIR: this.configDir,
      CW_AGENT_BIN: standInAgentBin(),
      SIM_EVENTS_DIR: this.eventsDir,
      SIM_LOGS_DIR: this.options.logsDir,
      ...this.options.env,
    };
    const child = spawn('sh', [this.options.entrypoint ?? ENTRYPOINT], {
      env,
      detached: true, // its own process group: kill() reaches the supervisor, its ticker and the agent
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      this.stderr += text;
    });
    this.child = child;
    live.add(this);
    this.exited = new Promise((resolve) =>
      child.on('close', (code, signal) => {
        this.exits.push({ code, signal });
        this.child = undefined;
        live.delete(this);
        resolve();
      }),
    );
  }

  /**
   * SIGKILL to every process of the sidecar, as an OOM kill of the container does. The stand-in agent
   * is frozen first (SIGUSR2, see stand-in-agent.ts), so the kill falls between two of its reads.
   */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    const agent = this.agentPid();
    if (agent !== undefined) {
      try {
        process.kill(agent, 'SIGUSR2');
        const frozen = path.join(this.eventsDir, `frozen-${agent}`);
        const deadline = Date.now() + 2000;
        while (!fs.existsSync(frozen) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      } catch {
        // gone already
      }
    }
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch (err) {
      // The whole group is gone already (the supervisor exited by itself): its exit is in `exits`.
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
    await this.exited;
  }

  /** The pid of the stand-in agent started last, if it still runs. */
  private agentPid(): number | undefined {
    const started = fs
      .readdirSync(this.eventsDir)
      .filter((name) => name.startsWith('started-'))
      .map((name) => ({
        pid: Number(name.slice('started-'.length)),
        at: fs.statSync(path.join(this.eventsDir, name)).mtimeMs,
      }))
      .sort((a, b) => b.at - a.at);
    const last = started[0];
    if (last === undefined) return undefined;
    try {
      process.kill(last.pid, 0);
      return last.pid;
    } catch {
      return undefined;
    }
  }

  /** SIGTERM to the entrypoint (the container's PID 1), then waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    child.kill('SIGTERM');
    await this.exited;
  }

  /** Stand-in agent processes started so far. */
  agentStarts(): number {
    return fs.readdirSync(this.eventsDir).filter((name) => name.startsWith('started-')).length;
  }

  /** Resolves once a stand-in agent started after `before` starts is running. */
  async agentStarted(before: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.agentStarts() <= before) {
      if (Date.now() > deadline)
        throw new Error(`no agent start within ${timeoutMs} ms; stderr:\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The offset the agent saved for a file (its state folder), if any. */
  savedOffset(file: string): number | undefined {
    return new AgentStateFolder(this.stateDir).get(file);
  }

  /**
   * True when each family has one file left and the agent's saved offset is its size: every line
   * uploaded, every leftover removed.
   */
  settled(prefixes: string[]): boolean {
    for (const prefix of prefixes) {
      const files = familyFiles(this.options.logsDir, prefix);
      if (files.length !== 1) return false;
      const file = path.join(this.options.logsDir, files[0]);
      if (this.savedOffset(file) !== fs.statSync(file).size) return false;
    }
    return true;
  }

  /** Every offset CloudWatch accepted (stand-in agents' notes), with when, in the order each noted them. */
  accepted(): Array<{ file: string; offset: number; at: number }> {
    return this.rows<{ f: string; o: number; t: number }>('accepted-').map(({ row: { f, o, t } }) => ({
      file: f,
      offset: o,
      at: t,
    }));
  }

  /** Every line the stand-in agents uploaded, in the order each wrote them. */
  uploads(): Upload[] {
    return this.rows<{ s: string; f: string; l: string }>('events-').map(({ row: { s, f, l }, from }) => ({
      stream: s,
      file: f,
      line: l,
      agent: from,
    }));
  }

  /** The JSON rows of the stand-ins' files named `<prefix><pid>.jsonl`, file by file, each with its file's name. */
  private rows<Row>(prefix: string): Array<{ row: Row; from: string }> {
    const out: Array<{ row: Row; from: string }> = [];
    for (const name of fs.readdirSync(this.eventsDir).sort()) {
      if (!name.startsWith(prefix)) continue;
      for (const text of fs.readFileSync(path.join(this.eventsDir, name), 'utf8').split('\n'))
        if (text !== '') out.push({ row: JSON.parse(text) as Row, from: name });
    }
    return out;
  }
}
