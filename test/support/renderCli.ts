/** Runs the real render command (scripts/render.ts) as `npm run render` would, minus npm. */
import { runCommand, tsNodeArgs, type CommandResult } from "../../harness/processes";

export function renderCli(...args: string[]): Promise<CommandResult> {
  return runCommand(process.execPath, tsNodeArgs("scripts/render.ts", ...args));
}

