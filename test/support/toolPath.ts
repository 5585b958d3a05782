/**
 * A PATH of exactly the named tools, for running scripts as on a machine that lacks the others
 * (no Pulumi, no Grafana, no shellcheck...): a temporary folder of links to where they are now.
 */
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

function onPath(tool: string): string {
  if (tool === "node") return process.execPath;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, tool);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error(`${tool} is not on PATH: the test needs it`);
}

/** The folder to use as PATH, and how to remove it. */
export function toolPath(tools: readonly string[]): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-path-"));
  for (const tool of tools) symlinkSync(onPath(tool), path.join(dir, tool));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
