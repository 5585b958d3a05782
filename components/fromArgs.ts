/**
 * The components' typed Args as the config a stack would hold, validated by the same code: a
 * component checks its Args as `pulumi up` checks a stack's config, with the same messages (an
 * Args property has its config key's name), before it registers anything.
 */
import { servicesOfStack } from "../config/pulumi";
import { configText, type RawConfig } from "../config/rawConfig";
import { SCHEMA } from "../config/schema";
import type { Settings } from "../config/settings";
import { placeholder } from "../config/stackFile";
import type { EnvironmentArgs, ServiceArgs } from "./args";

const SECRET_KEYS: ReadonlySet<string> = new Set(SCHEMA.filter((spec) => spec.secret).map((spec) => spec.key));

/**
 * The config of an environment and its services. One service without a name is the environment's
 * only one, with the names of a single-service stack (its keys at the top level); named ones are
 * its `services`. A secret that is a Pulumi output is validated by a stand-in and deployed as itself.
 */
export function rawConfigOf(environment: EnvironmentArgs, services: readonly ServiceArgs[]): RawConfig {
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const secretInputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(environment)) {
    if (value === undefined) continue;
    if (!SECRET_KEYS.has(key)) {
      values[key] = configText(value);
      continue;
    }
    secretKeys.add(key);
    values[key] = typeof value === "string" ? value : placeholder(key);
    if (typeof value !== "string") secretInputs[key] = value;
  }
  const [only] = services;
  if (services.length === 1 && only.name === undefined) {
    for (const [key, value] of Object.entries(only)) if (value !== undefined) values[key] = configText(value);
  } else {
    values.services = JSON.stringify(services);
  }
  return { values, secretKeys, secretInputs };
}

/** Every service's settings, or the run ends with validation's message (one line per problem). */
export function settingsOf(environment: EnvironmentArgs, services: readonly ServiceArgs[]): [Settings, ...Settings[]] {
  return servicesOfStack(rawConfigOf(environment, services));
}
