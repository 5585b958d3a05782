/**
 * `npm run up` / `npm run down` (scripts/local.sh) on a copy of the project whose Pulumi.local.yaml
 * has free ports, with a PATH that has neither Pulumi nor Grafana, as on a machine without their
 * installers: shared by test/e2e/localScript.test.ts and test/e2e/localRepeat.test.ts.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { PROJECT_DIR } from "../../config/stackFile";
import { CONFIG_NAMESPACE } from "../../config/validate";
import { fetchWithin } from "../../harness/bounds";
import { freePort, runCommand, type CommandResult } from "../../harness/processes";
import { toolPath } from "./toolPath";

/** What local.sh and the processes it starts need; not pulumi, not grafana. */
const PATH = toolPath([
  "bash", "basename", "cat", "curl", "dirname", "grep", "mkdir", "mv", "node", "ps", "readlink", "rm", "seq", "setsid", "sleep", "tail",
  "prometheus", "prometheus-blackbox-exporter", "prometheus-alertmanager",
]);
const copies: string[] = [];

export interface LocalCopy {
  dir: string;
  env: NodeJS.ProcessEnv;
  urls: { service: string; blackbox: string; prometheus: string; webhook: string; alertmanager: string };
}

/** One line of .local/webhook.jsonl: what the receiver got, where and when. */
export interface WebhookLine {
  receivedAt: string;
  path: string;
  payload: { status: string; alerts: { status: string; labels: Record<string, string> }[] };
}

/** Sets `config` (keys without the namespace) in the copy's Pulumi.local.yaml; `undefined` removes a key. */
export function setConfig(dir: string, config: Record<string, unknown>): void {
  const stackFile = path.join(dir, "Pulumi.local.yaml");
  const doc = parse(readFileSync(stackFile, "utf8")) as { config: Record<string, unknown> };
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) delete doc.config[`${CONFIG_NAMESPACE}:${key}`];
    else doc.config[`${CONFIG_NAMESPACE}:${key}`] = value;
  }
  writeFileSync(stackFile, stringify(doc));
}

/** A copy of the project (node_modules linked) with free ports and `config` set in Pulumi.local.yaml. */
export async function localCopy(config: Record<string, unknown> = {}): Promise<LocalCopy> {
  const dir = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-local-"));
  copies.push(dir);
  const skip = new Set(["node_modules", ".git", ".local", ".pulumi-state", "out", "test"]);
  cpSync(PROJECT_DIR, dir, { recursive: true, filter: (src) => !skip.has(path.relative(PROJECT_DIR, src)) });
  symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));

  const [service, blackbox, prometheus, grafana, webhook, alertmanager] = await Promise.all(Array.from({ length: 6 }, freePort));
  setConfig(dir, {
    targets: [`127.0.0.1:${service}`],
    blackboxExporter: `127.0.0.1:${blackbox}`,
    prometheusPort: String(prometheus),
    prometheusUrl: `http://127.0.0.1:${prometheus}`,
    grafanaPort: String(grafana),
    grafanaUrl: `http://127.0.0.1:${grafana}`,
    alertmanagerPort: String(alertmanager),
    ...config,
  });
  return {
    dir,
    env: { PATH: PATH.path, HOME: process.env.HOME, WSMON_WEBHOOK_PORT: String(webhook) },
    urls: {
      service: `http://127.0.0.1:${service}/ws/health`,
      blackbox: `http://127.0.0.1:${blackbox}/metrics`,
      prometheus: `http://127.0.0.1:${prometheus}/-/ready`,
      webhook: `http://127.0.0.1:${webhook}/`,
      alertmanager: `http://127.0.0.1:${alertmanager}/-/ready`,
    },
  };
}

/** `npm run up` or `down` (or other arguments) in the copy. */
export const local = (copy: LocalCopy, ...args: string[]): Promise<CommandResult> =>
  runCommand("bash", [path.join(copy.dir, "scripts", "local.sh"), ...args], { cwd: copy.dir, env: copy.env });

/** Stops what each copy runs and removes it, and the PATH folder: for after(). */
export async function removeCopies(): Promise<void> {
  for (const dir of copies.splice(0)) {
    await runCommand("bash", [path.join(dir, "scripts", "local.sh"), "down"], { cwd: dir, env: { PATH: PATH.path } });
    rmSync(dir, { recursive: true, force: true });
  }
  PATH.remove();
}

/**
 * A run that ends before after() (Ctrl-C, SIGTERM: harness/processes.ts makes either an exit):
 * each process local.sh started in a copy, the leader of a process group of its own (setsid), is
 * killed with its group, and the copies and the PATH folder are removed. Synchronous, as exit needs.
 */
process.on("exit", () => {
  for (const dir of copies) {
    const run = path.join(dir, ".local", "run");
    for (const file of existsSync(run) ? readdirSync(run).filter((f) => f.endsWith(".pid")) : []) {
      try {
        process.kill(-Number(readFileSync(path.join(run, file), "utf8")), "SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
  PATH.remove();
});

/** A file of the copy's .local/ (e.g. "logs/service.log"), or "" while it does not exist. */
export const localFile = (copy: LocalCopy, file: string): string => {
  const at = path.join(copy.dir, ".local", file);
  return existsSync(at) ? readFileSync(at, "utf8") : "";
};
export const pidFiles = (copy: LocalCopy): string[] =>
  existsSync(path.join(copy.dir, ".local", "run")) ? readdirSync(path.join(copy.dir, ".local", "run")).filter((f) => f.endsWith(".pid")) : [];
/** The pid of each process the copy runs, by pid file. */
export const pids = (copy: LocalCopy): Record<string, string> => Object.fromEntries(pidFiles(copy).map((f) => [f, localFile(copy, `run/${f}`).trim()]));
/** Kills the process group of a process local.sh started, as a crash would. */
export const kill = (copy: LocalCopy, name: string): void => void process.kill(-Number(localFile(copy, `run/${name}.pid`)), "SIGKILL");
export const answers = async (url: string): Promise<boolean> => fetchWithin(url).then((r) => r.ok, () => false);
/** The JSON lines of a file in the copy's .local/ (none while it does not exist). */
export const jsonLines = <T>(copy: LocalCopy, file: string): T[] =>
  localFile(copy, file).trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as T);
/** The JSON answer of a GET to one of the copy's processes. */
export const getJson = async <T>(url: string): Promise<T> => (await fetchWithin(url)).json() as Promise<T>;
