/**
 * The components' typed Args as the config a stack would hold, validated by the same code: a
 * component checks its Args as `pulumi up` checks a stack's config, with the same messages (an
 * Args property has its config key's name), before it registers anything.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, configText, type RawConfig } from "../config/rawConfig";
import { SCHEMA } from "../config/schema";
import type { Settings } from "../config/settings";
import { placeholder } from "../config/stackFile";
import { ConfigError, problemList, validateServices } from "../config/validate";
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
  return { values, secretKeys, secretInputs, fromArgs: true };
}

/** The component a validation is for: its type and name, and the property that holds its services (`services`, or its one `service`). */
export interface ArgsOwner {
  component: string;
  servicesProperty: "services" | "service";
}

/** The Args property a config key of validation's message was given as: `environment.<key>`, `services[i].<key>`, `service.<key>`. */
function argsProperties(problem: string, owner: ArgsOwner, services: readonly ServiceArgs[]): string {
  const [only] = services;
  const unnamed = services.length === 1 && only.name === undefined;
  const service = (i: string) => (owner.servicesProperty === "service" ? "service" : `services[${i}]`);
  return problem.replace(new RegExp(`${CONFIG_NAMESPACE}:(?:services\\[(\\d+)\\]\\.)?(\\w+)`, "g"), (_, index: string | undefined, key: string) => {
    if (index !== undefined) return `${service(index)}.${key}`;
    if (key === "services") return owner.servicesProperty;
    return unnamed && (only as Record<string, unknown>)[key] !== undefined ? `${service("0")}.${key}` : `environment.${key}`;
  });
}

/**
 * Every service's settings, or the run ends with validation's message: one line per problem, each
 * naming the Args property (a stack's config messages name config keys and `pulumi config` commands).
 */
export function settingsOf(owner: ArgsOwner, environment: EnvironmentArgs, services: readonly ServiceArgs[]): [Settings, ...Settings[]] {
  try {
    return validateServices(rawConfigOf(environment, services), pulumi.getStack());
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const problems = e.problems.map((p) => argsProperties(p, owner, services));
    throw new pulumi.RunError(`${problemList(`Invalid Args of ${owner.component}`, problems)}\nFix each property named; each is documented as the config key of its name in README.md under "Configuration reference".`);
  }
}
