/**
 * Temporary folders of tests: each removed when the process exits, however it exits (harness/processes.ts
 * makes SIGINT and SIGTERM an exit), so an interrupted run leaves none behind.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import "./processes";

const dirs = new Set<string>();
process.on("exit", () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A new folder `<tmpdir>/<prefix>XXXXXX`, removed at exit. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}
