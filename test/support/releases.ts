/**
 * Earlier releases of the stack, checked out beside this one, for the upgrade tests: a stack
 * deployed by one of them, then by this checkout, must keep every object (no replace, no delete).
 */
import { existsSync, rmSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { tempDir } from "../../harness/tempDir";
import { PROJECT_DIR } from "../../config/stackFile";
import { runCommand } from "../../harness/processes";

/**
 * The releases users may upgrade from, oldest first, each with what changed since in the program's
 * resources. `writes`: the stacks whose upgrade writes to Grafana (a changed dashboard, the rules'
 * explicit uids), so that a write can fail part-way; an upgrade that writes nothing cannot.
 */
export const RELEASES = [
  { commit: "cc20c37c82b13e1457a624decb2be7eb2f93ddfd", what: "before MonitoringEnvironment and WebSocketMonitoring were apart (aliases move every object)", writes: ["staging", "prod"] },
  { commit: "40bd3e1", what: "the release before this one (Grafana rules without uids of their own)", writes: ["prod"] },
] as const;

export interface Checkout {
  dir: string;
  remove(): Promise<void>;
}

/** A worktree of `commit` with this checkout's node_modules (the same locked packages): its index.ts is that release's program. */
export async function checkout(commit: string): Promise<Checkout> {
  const dir = path.join(tempDir("websocket-monitoring-release-"), "repo");
  const added = await runCommand("git", ["worktree", "add", "--detach", dir, commit], { timeoutMs: 60_000 });
  if (added.code !== 0) throw new Error(`a worktree of release ${commit} (git worktree add; a shallow clone lacks the history: fetch it with 'git fetch --unshallow'):\n${added.summary}`);
  if (!existsSync(path.join(dir, "node_modules"))) symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));
  return {
    dir,
    async remove() {
      await runCommand("git", ["worktree", "remove", "--force", dir], { timeoutMs: 60_000 });
      rmSync(path.dirname(dir), { recursive: true, force: true });
    },
  };
}
