/**
 * Reads a committed Pulumi.<stack>.yaml without the Pulumi CLI, the way the CLI hands config to
 * a program: every value a string, lists and maps as JSON. Used by the render command (which
 * needs no credentials) and by the tests.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { configText, readRawConfig, type RawConfig, type RawValue } from "./rawConfig";
import { SCHEMA } from "./schema";

export const PROJECT_DIR = path.resolve(__dirname, "..");

export function stackNames(dir = PROJECT_DIR): string[] {
  return readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export interface StackFileOptions {
  /**
   * Secret values, as the CLI decrypts them or `pulumi config set --secret` would set them: for keys
   * the file holds encrypted or not at all. A key the file holds in plain text keeps that value,
   * which validation refuses as `pulumi up` does: a caller's stand-in never hides it.
   */
  secrets?: Record<string, string>;
  /**
   * Stand in for secrets that are encrypted in the file or not set in this checkout. For
   * commands that render models but deploy nothing, so that they need no credentials.
   */
  placeholderSecrets?: boolean;
}

export function placeholder(key: string): string {
  // Named after the key: where a rendered file must hold a URL (alertmanager.yml), it shows which secret goes there.
  return key === "grafanaAuth" ? "placeholder:placeholder" : `https://placeholder.invalid/${key}`;
}

/** A value as the CLI hands it to a program: encrypted ones (`secure:`) are secrets, not readable here. */
function fileValue(value: unknown, key: string): RawValue {
  if (value && typeof value === "object" && "secure" in value) return { text: placeholder(key), secret: true };
  return { text: configText(value), secret: false };
}

export function loadStackConfig(stack: string, options: StackFileOptions = {}, dir = PROJECT_DIR): RawConfig {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !existsSync(file)) {
    throw new Error(`unknown stack '${stack}': no ${path.basename(file)}; stacks here: ${stackNames(dir).join(", ")}`);
  }
  const doc = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const { values, secretKeys, otherKeys, otherValues } = readRawConfig(doc.config ?? {}, fileValue);
  if (options.placeholderSecrets) {
    // Platform-specific secrets stay unset: they are not allowed everywhere; so do those that turn
    // a feature on (heartbeatUrl, smtpPassword): the stack does not have it.
    for (const spec of SCHEMA.filter((s) => s.secret && !s.platforms && !s.enablesFeature && values[s.key] === undefined)) {
      values[spec.key] = placeholder(spec.key);
      secretKeys.add(spec.key);
    }
  }
  for (const [key, value] of Object.entries(options.secrets ?? {})) {
    if (values[key] !== undefined && !secretKeys.has(key)) continue;
    values[key] = value;
    secretKeys.add(key);
  }
  return { values, secretKeys, otherKeys, otherValues };
}
