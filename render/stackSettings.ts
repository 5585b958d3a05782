/**
 * Settings of a stack as the render command, the end-to-end tests and the benchmark see them:
 * the committed Pulumi.<stack>.yaml (or one in another directory, e.g. test/fixtures), with
 * placeholder secrets (or given ones) and `key=value` overrides, validated like `pulumi up` would.
 */
import { withOverrides } from "../config/rawConfig";
import { PROJECT_DIR, loadStackConfig } from "../config/stackFile";
import { validateConfig, validateServices } from "../config/validate";
import type { Settings } from "../config/settings";

export const FIXTURES_DIR = `${PROJECT_DIR}/test/fixtures`;

/** Parses repeated `--set key=value` arguments; the value may contain '=' and JSON. */
export function parseOverrides(assignments: readonly string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    if (eq <= 0) throw new Error(`--set ${assignment}: expected key=value`);
    overrides[assignment.slice(0, eq)] = assignment.slice(eq + 1);
  }
  return overrides;
}

/**
 * `secrets` replace placeholders, as `pulumi config set --secret` would (e.g. the address of a
 * test's webhook receiver). Throws the loader's "unknown stack" Error or validation's ConfigError
 * (one message listing every problem).
 */
/** `overrides`: a value replaces the file's, `undefined` unsets the key. */
type Overrides = Record<string, string | undefined>;

export function settingsFromStackFile(stack: string, overrides: Overrides = {}, dir = PROJECT_DIR, secrets: Record<string, string> = {}): Settings {
  return validateConfig(stackFileConfig(stack, overrides, dir, secrets), stack);
}

/** Every service of the stack (settingsFromStackFile gives the first). */
export function servicesFromStackFile(stack: string, overrides: Overrides = {}, dir = PROJECT_DIR, secrets: Record<string, string> = {}): [Settings, ...Settings[]] {
  return validateServices(stackFileConfig(stack, overrides, dir, secrets), stack);
}

function stackFileConfig(stack: string, overrides: Overrides, dir: string, secrets: Record<string, string>) {
  return withOverrides(loadStackConfig(stack, { placeholderSecrets: true, secrets }, dir), overrides);
}
