/**
 * Child processes for tests and the benchmark: one-shot commands, and long-running servers in
 * their own process group so that stopping one also stops whatever it spawned. Every server
 * still running when this process exits, however it exits, is killed.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../config/stackFile";
import { COMMAND_TIMEOUT_MS, EXIT_TIMEOUT_MS, within } from "./bounds";

/** Arguments that make `node` run a TypeScript file (what the tsx CLI does, without its extra process). */
export function tsNodeArgs(file: string, ...args: string[]): string[] {
  return ["--import", "tsx", file, ...args];
}

export interface CommandResult {
  /** null when a signal ended it (see `signal`). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** How it ended and what it printed, for assertion messages: "promtool test rules x.yml: killed after 180000 ms (timeout) ...". */
  summary: string;
}

/**
 * Runs a command to completion, at most `timeoutMs` (then SIGKILL, and the summary says so);
 * never throws for a non-zero exit (callers assert on `code` and show `summary`).
 */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? COMMAND_TIMEOUT_MS;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? PROJECT_DIR, timeout: timeoutMs, killSignal: "SIGKILL", env: options.env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const took = Date.now() - started;
      const ended = code !== null ? `exit code ${code}` : took >= timeoutMs ? `killed after ${timeoutMs} ms (its timeout)` : `killed by ${signal}`;
      const summary = `${[command, ...args].join(" ")}: ${ended} after ${took} ms\n--- stdout ---\n${stdout.slice(-4000)}\n--- stderr ---\n${stderr.slice(-4000)}`;
      resolve({ code, signal, stdout, stderr, summary });
    });
  });
}

const running = new Set<number>();
// Servers run in their own process groups, so Ctrl-C does not reach them: exit (which kills them) instead.
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) process.once(signal, () => process.exit(code));
process.on("exit", () => {
  for (const pgid of running) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

const OUTPUT_LIMIT = 20_000;

export class ServerProcess {
  readonly pid: number;
  private log = "";
  private readonly exit: Promise<number | null>;
  private exited = false;

  constructor(readonly name: string, command: string, args: string[], cwd = PROJECT_DIR, env: NodeJS.ProcessEnv = process.env) {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const append = (d: Buffer) => (this.log = (this.log + d).slice(-OUTPUT_LIMIT));
    child.stdout.on("data", append);
    child.stderr.on("data", append);
    this.pid = child.pid!;
    running.add(this.pid);
    this.exit = new Promise((resolve) => {
      child.on("error", (err) => append(Buffer.from(`spawn failed: ${err.message}\n`)));
      child.on("close", (code) => {
        this.exited = true;
        running.delete(this.pid);
        resolve(code);
      });
    });
  }

  /** The last lines it printed, for failure messages. */
  output(): string {
    return `--- ${this.name} output ---\n${this.log.split("\n").slice(-40).join("\n")}`;
  }

  /** Resolves with the first match of `pattern` in its output; fails if it exits or times out first. */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = pattern.exec(this.log);
      if (match) return match;
      if (this.exited) break;
      await sleep(50);
    }
    throw new Error(`${this.name}: no output matching ${pattern} within ${timeoutMs} ms\n${this.output()}`);
  }

  /** Signals the whole process group and waits for the process to end (SIGKILL after half the bound). */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    if (this.exited) return;
    const signalGroup = (s: NodeJS.Signals) => {
      try {
        process.kill(-this.pid, s);
      } catch {
        // already gone
      }
    };
    signalGroup(signal);
    const killer = setTimeout(() => signalGroup("SIGKILL"), EXIT_TIMEOUT_MS / 2);
    try {
      await within(`${this.name} (pid ${this.pid}) to exit after ${signal}, then SIGKILL`, this.exit, EXIT_TIMEOUT_MS, () => this.output());
    } finally {
      clearTimeout(killer);
    }
  }
}

/**
 * Ports handed out below Linux's ephemeral range (32768-60999 by default), where the kernel never
 * picks the local port of an outgoing connection or of a listen on port 0: between this check and
 * the server's own bind, a scrape or WebSocket client of a concurrent test file could otherwise
 * take the port. Random, and never the same twice in one process, so that concurrent files rarely
 * try the same one; each is checked by binding it.
 */
const PORT_RANGE = { from: 20_000, to: 32_000 };
/** Ports handed out by any test process on the machine (test files run concurrently, each a process), by owner pid. */
const CLAIMS_DIR = path.join(tmpdir(), "websocket-monitoring-ports");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Claims `port` for this process across processes: between freePort() and the server binding it,
 * another test file could pick the same free port. A claim of a process that has ended is taken over.
 */
function claim(port: number): boolean {
  mkdirSync(CLAIMS_DIR, { recursive: true });
  const file = path.join(CLAIMS_DIR, String(port));
  const write = () => writeFileSync(file, String(process.pid), { flag: "wx" });
  try {
    write();
    return true;
  } catch {
    let owner: number;
    try {
      owner = Number(readFileSync(file, "utf8"));
    } catch {
      return false; // taken over and gone in the meantime: pick another
    }
    // An owner not yet written (a claim being made) or alive keeps it.
    if (!(owner > 0) || owner === process.pid || alive(owner)) return false;
    try {
      unlinkSync(file);
      write();
      return true;
    } catch {
      return false; // another process took it over first
    }
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A port that was free a moment ago, for servers that cannot listen on port 0 and report it. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from));
    // Claimed already, by this process too: another server of it may be about to bind it.
    if (!(await bindable(port)) || !claim(port)) continue;
    return port;
  }
  throw new Error(`no free port in ${PORT_RANGE.from}-${PORT_RANGE.to} after 100 tries`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
