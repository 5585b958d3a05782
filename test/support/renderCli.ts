/** Runs the real render command (scripts/render.ts) as `npm run render` would, minus npm. */
import { runCommand, tsNodeArgs, type CommandResult } from "./processes";

export function renderCli(...args: string[]): Promise<CommandResult> {
  return runCommand(process.execPath, tsNodeArgs("scripts/render.ts", ...args));
}

/** Renders a stack into `out`; fails with the command's stderr if it does not succeed. */
export async function renderStack(stack: string, out: string, ...args: string[]): Promise<void> {
  const result = await renderCli("--stack", stack, "--out", out, ...args);
  if (result.code !== 0) throw new Error(`render --stack ${stack} exited ${result.code}:\n${result.stderr}`);
}
