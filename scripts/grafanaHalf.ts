/**
 * The Grafana half of `npm run up` (scripts/local.sh, through scripts/local-env.ts): Pulumi with
 * its Node.js language host and the Grafana provider plugin, and a Grafana server with its home
 * folder, each looked up where their installers leave them. Either the Grafana server command, or
 * one line per missing tool saying how to install it (the summary prints them).
 */
import { accessSync, constants, existsSync, realpathSync } from "node:fs";
import * as path from "node:path";

export interface GrafanaHalf {
  /** The Grafana server command with `--homepath`; empty when something is missing. */
  command: string[];
  /** One line per missing tool: what, and how to install it. */
  missing: string[];
}

/** The provider plugin the Grafana package needs: what `pulumi up` loads. */
const plugin = (require("@pulumiverse/grafana/package.json") as { pulumi: { version: string; server: string } }).pulumi;

/** `tool` on PATH, as `command -v` finds it. */
function which(tool: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function findGrafanaHalf(env: NodeJS.ProcessEnv = process.env): GrafanaHalf {
  const missing: string[] = [];
  const pulumi = which("pulumi", env);
  if (pulumi) {
    if (!which("pulumi-language-nodejs", env) && !existsSync(path.join(path.dirname(pulumi), "pulumi-language-nodejs")))
      missing.push(`pulumi-language-nodejs: not next to ${pulumi} nor on PATH; reinstall Pulumi with its installer, which ships it (https://www.pulumi.com/docs/iac/download-install/)`);
    const pulumiHome = env.PULUMI_HOME || path.join(env.HOME ?? "", ".pulumi");
    if (!which("pulumi-resource-grafana", env) && !existsSync(path.join(pulumiHome, "plugins", `resource-grafana-v${plugin.version}`)))
      missing.push(`Grafana provider plugin ${plugin.version}: pulumi plugin install resource grafana ${plugin.version} --server ${plugin.server}`);
  } else {
    missing.push("pulumi: not on PATH; install Pulumi: curl -fsSL https://get.pulumi.com | sh (or https://www.pulumi.com/docs/iac/download-install/)");
  }
  const grafana = which("grafana", env);
  const server = grafana ? [grafana, "server"] : which("grafana-server", env) ? [which("grafana-server", env)!] : undefined;
  if (!server) {
    missing.push("grafana: not on PATH; install Grafana 11.0 or later (12.1 with alertEngine grafana): https://grafana.com/docs/grafana/latest/setup-grafana/installation/");
    return { command: [], missing };
  }
  // Its home folder (conf/defaults.ini): GRAFANA_HOMEPATH, the folder above bin/, or a package's.
  const homes = [env.GRAFANA_HOMEPATH, path.dirname(path.dirname(realpathSync(server[0]))), "/usr/share/grafana"];
  const home = homes.find((h) => h && existsSync(path.join(h, "conf", "defaults.ini")));
  if (!home) missing.push(`grafana: ${server[0]} found, but not its home folder: set GRAFANA_HOMEPATH to the folder with conf/defaults.ini`);
  return { command: missing.length === 0 && home ? [...server, "--homepath", home] : [], missing };
}
