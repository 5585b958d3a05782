/**
 * A real Pulumi engine for the tests: the CLI and the pulumi-kubernetes provider that
 * harness/engine/build.sh builds (or a `pulumi` on PATH), running the Automation API's inline
 * programs, which serve the program from this process and so need no Node.js language host. Each
 * engine has its own file backend and passphrase; `ambient` holds the plugins it finds on PATH
 * before any installed one (the Grafana stand-in, harness/engine/grafanaStandIn.ts).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { tempDir } from "../tempDir";
import { LocalWorkspace, PulumiCommand, type ConfigMap, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { CONFIG_NAMESPACE, type RawConfig } from "../../config/rawConfig";
import { PROJECT_DIR } from "../../config/stackFile";
import { ENGINE_OPERATION_TIMEOUT_MS } from "../bounds";
import { runCommand, type CommandResult } from "../processes";

export const PROJECT_NAME = "websocket-monitoring";
/** What the stand-in secrets provider encrypts with: it guards nothing but test values. */
const PASSPHRASE = "engine-test-passphrase";

/** The PULUMI_HOME with the CLI in bin/ (unless one is on PATH) and the provider installed; built first when missing (30 to 40 minutes cold). */
export async function engineHome(): Promise<string> {
  const result = await runCommand("bash", [path.join(PROJECT_DIR, "harness/engine/build.sh")], { timeoutMs: 90 * 60_000 });
  if (result.code !== 0) throw new Error(`harness/engine/build.sh failed (the Pulumi CLI or the pulumi-kubernetes provider did not build):\n${result.stderr.split("\n").slice(-30).join("\n")}`);
  return result.stdout.trim().split("\n").pop()!;
}

export interface Engine {
  command: PulumiCommand;
  /** The environment every CLI run gets (backend, passphrase, plugins, the cluster's kubeconfig). */
  env: Record<string, string>;
  /** Where `ambient` plugins go: on the CLI's PATH. */
  ambient: string;
  /** A stack of this project running `program`, with `config` (full keys), created fresh. */
  stack(name: string, program: PulumiFn, config: ConfigMap): Promise<Stack>;
  /** A shell command as a user runs it in the stack's project folder (README's `pulumi …` commands), with this engine on PATH. */
  shell(stack: Stack, command: string): Promise<CommandResult>;
  close(): void;
}

export async function startEngine(kubeconfig: string): Promise<Engine> {
  const home = await engineHome();
  const root = tempDir("websocket-monitoring-engine-");
  const ambient = path.join(root, "bin");
  const cliDir = path.join(home, "bin");
  const command = await PulumiCommand.get({ root: cliRoot(home) });
  mkdirSync(ambient);
  mkdirSync(path.join(root, "state"));
  const env: Record<string, string> = {
    PATH: [ambient, cliDir, path.dirname(process.execPath), process.env.PATH ?? ""].join(path.delimiter),
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${path.join(root, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    KUBECONFIG: kubeconfig,
  };
  return {
    command,
    env,
    ambient,
    async stack(name, program, config) {
      const workDir = mkdtempSync(path.join(root, `${name}-`));
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: name, projectName: PROJECT_NAME, program },
        { workDir, envVars: env, pulumiHome: home, pulumiCommand: command, projectSettings: { name: PROJECT_NAME, runtime: "nodejs" }, secretsProvider: "passphrase" },
      );
      await stack.setAllConfig(config);
      return stack;
    },
    shell(stack, line) {
      return runCommand("bash", ["-c", line], { cwd: stack.workspace.workDir, env: { ...process.env, ...env }, timeoutMs: ENGINE_OPERATION_TIMEOUT_MS });
    },
    close: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** PulumiCommand.get wants the root of a CLI (its `bin/pulumi`): the built one's, or that of the `pulumi` on PATH. */
function cliRoot(home: string): string {
  const candidates = [path.join(home, "bin"), ...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean)].map((dir) => path.join(dir, "pulumi"));
  const cli = candidates.find((file) => existsSync(file));
  if (!cli) throw new Error("no Pulumi CLI: harness/engine/build.sh builds one into PULUMI_HOME/bin, or put `pulumi` on PATH");
  return path.dirname(path.dirname(cli));
}

/** `raw` as the engine's stack config: this project's keys (secrets as Pulumi secrets) and the other namespaces' plain values (`kubernetes:…`). */
export function engineConfig(raw: RawConfig): ConfigMap {
  return {
    ...Object.fromEntries(Object.entries(raw.otherValues ?? {}).map(([key, value]) => [key, { value }])),
    ...Object.fromEntries(Object.entries(raw.values).map(([key, value]) => [`${CONFIG_NAMESPACE}:${key}`, { value, secret: raw.secretKeys.has(key) }])),
  };
}

/** An executable script on the engine's PATH (a plugin the engine finds there before any installed one). */
export function addAmbientPlugin(engine: Engine, name: string, script: string): void {
  const file = path.join(engine.ambient, name);
  writeFileSync(file, script);
  chmodSync(file, 0o755);
}
