/**
 * The field's own linters, which the suite runs instead of copies written here: Grafana's
 * dashboard-linter on every rendered dashboard, Cloudflare's pint on every rendered rule file.
 * Found as the environment variable names it, else on PATH, else prebuilt in `../shared/tools/`
 * beside the checkout (as CI has it). A missing one fails the test that needs it, and `.ci/run`
 * before any test (scripts/field-tools.ts): never a silent skip.
 */
import { accessSync, constants } from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR } from "../../config/stackFile";

export const FIELD_TOOLS = {
  "dashboard-linter": {
    env: "DASHBOARD_LINTER",
    install: "a release archive of https://github.com/grafana/dashboard-linter/releases (CI: commit 1be3836, its 17 rules), or `go install github.com/grafana/dashboard-linter@1be3836b83fbcf9508efcd87af87dfbfbec94279`",
  },
  pint: {
    env: "PINT",
    install: "pint-0.87.0-linux-amd64.tar.gz (or your platform's) of https://github.com/cloudflare/pint/releases/tag/v0.87.0, or `go install github.com/cloudflare/pint/cmd/pint@v0.87.0`",
  },
} as const;

export type FieldTool = keyof typeof FIELD_TOOLS;

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where `tool` is; throws, naming every place it looked and how to install it, when it is nowhere. */
export function fieldTool(tool: FieldTool, env: NodeJS.ProcessEnv = process.env, projectDir = PROJECT_DIR): string {
  const { env: variable, install } = FIELD_TOOLS[tool];
  const named = env[variable];
  if (named) {
    if (executable(named)) return named;
    throw new Error(`${variable}=${named}: no executable there. Point ${variable} at the ${tool} binary, or unset it to look on PATH and in ../shared/tools/`);
  }
  const onPath = (env.PATH ?? "").split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, tool));
  const shared = path.resolve(projectDir, "..", "shared", "tools", tool);
  const found = [...onPath, shared].find(executable);
  if (found) return found;
  throw new Error(
    `${tool} not found: ${variable} is not set, it is not on PATH, and there is no ${shared}. ` +
      `Install it from ${install}, then put it on PATH or set ${variable} to its path.`,
  );
}
