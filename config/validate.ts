/**
 * Turns a stack's raw Pulumi config (strings, as Pulumi stores them) into typed Settings, or
 * fails with ONE error that lists every problem: the key, the bad value (never a secret's),
 * what is allowed, and how to fix it. Pure: no Pulumi runtime needed, so it is unit-tested
 * directly and runs before any resource is registered.
 */
import { assembleSettings, type ValidConfig } from "./assemble";
import { crossKeyProblems } from "./crossKeyRules";
import type { RawConfig } from "./rawConfig";
import { readPlatform, readValues, unknownKeyProblems } from "./readValues";
import { jobNameProblems, misplacedKeys, readServices } from "./services";
import { fullName } from "./wording";
import type { Settings } from "./settings";

// What the rest of the project takes from validation.
export { CONFIG_NAMESPACE, type RawConfig } from "./rawConfig";
export { parseDuration } from "./duration";

/** `<what> (<n> problems):`, then a line per problem. */
export function problemList(what: string, problems: readonly string[]): string {
  return `${what} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`;
}

export class ConfigError extends Error {
  constructor(readonly stack: string, readonly problems: string[]) {
    super(
      `${problemList(`Invalid configuration for stack '${stack}'`, problems)}\nFix each with 'pulumi config set --stack ${stack} <key> <value>' ('--secret' for secret keys, '--path' for map entries); ` +
        `the keys are documented in README.md under "Configuration reference".`,
    );
    this.name = "ConfigError";
  }
}

/** The settings of the stack's first service (of its only one, without `services`). */
export function validateConfig(raw: RawConfig, stack: string): Settings {
  return validateServices(raw, stack)[0];
}

/** The settings of each service of the stack, in the order of `services`; at least one. */
export function validateServices(raw: RawConfig, stack: string): [Settings, ...Settings[]] {
  const problems = unknownKeyProblems(raw);
  const platform = readPlatform(raw, problems);
  const services = readServices(raw, problems).map((service) => {
    const own: string[] = [];
    const values = readValues(service.raw, platform, own);
    if (platform) own.push(...crossKeyProblems(values, service.raw, platform, own));
    return { service, values, own };
  });
  // A problem of a service's own key names it; one that every service has is the stack's, said
  // once; any other is the service's, said with its place.
  const everywhere = (p: string) => services.every(({ own }) => own.includes(p));
  // A key required of each service but set at the top level: its misplacement, said once, is the cause.
  const misplaced = misplacedKeys(raw).map((key) => `${fullName(key)}: required`);
  for (const { service, own } of services) {
    for (const p of own.filter((x) => !misplaced.some((m) => x.startsWith(m)))) {
      const renamed = service.ownKeys(p);
      const said = renamed !== p || everywhere(p) ? renamed : `${p}${service.where}`;
      if (!problems.includes(said)) problems.push(said);
    }
  }
  if (!platform || services.length === 0) throw new ConfigError(stack, problems);
  problems.push(...jobNameProblems(services.map(({ service, values: v }) => ({
    listed: service.listed, jobName: v.jobName, healthJobName: v.healthJobName, upgradeJobName: v.upgradeProbe ? v.upgradeJobName : undefined,
  }))));
  if (problems.length) throw new ConfigError(stack, problems);
  // Without problems, every key required or defaulted on this platform has its value: what ValuesOn says.
  const settings = services.map(({ service, values }) => assembleSettings(stack, { platform, values } as ValidConfig, service.listed));
  return settings as [Settings, ...Settings[]];
}
