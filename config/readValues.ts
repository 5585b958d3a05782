/**
 * Each key on its own: unknown keys, the platform, then every schema key on that platform
 * (applies here, secret where it must be, required or defaulted, parses by its spec).
 */
import { parseValue } from "./parseValue";
import type { RawConfig } from "./rawConfig";
import { PLATFORMS, SCHEMA, appliesTo, defaultFor, isConfigKey, isRequired, specOf, type ConfigKey, type Platform } from "./schema";
import { Secret } from "../lib/secret";
import type { ParsedValues } from "./values";
import { aboutValue, allowedText, didYouMean, fullName, nearMissNamespace } from "./wording";

/** The text a key was given in the stack's config, if any. */
export function givenText(raw: RawConfig, key: ConfigKey): string | undefined {
  return raw.values[key];
}

export function unknownKeyProblems(raw: RawConfig): string[] {
  const unknown = Object.keys(raw.values)
    .filter((key) => !isConfigKey(key))
    .map((key) => `${fullName(key)}: unknown key.${didYouMean(key)} Remove it${raw.fromArgs ? "" : ` with 'pulumi config rm ${key}'`}.`);
  return [...unknown, ...misspeltNamespaceProblems(raw)];
}

/** Keys in a near miss of this project's namespace: no program reads them, so their values would be silently ignored. */
function misspeltNamespaceProblems(raw: RawConfig): string[] {
  return (raw.otherKeys ?? []).flatMap((fullKey) => {
    const colon = fullKey.indexOf(":");
    const [namespace, key] = [fullKey.slice(0, colon), fullKey.slice(colon + 1)];
    if (colon < 0 || !nearMissNamespace(namespace)) return [];
    const typo = isConfigKey(key) ? "" : ` Its key is unknown too.${didYouMean(key)}`;
    return [
      `${fullKey}: namespace '${namespace}' is not this project's: no program reads it, so the value would be ignored. ` +
        `Write it as '${fullName(key)}' ('pulumi config rm ${fullKey}', then 'pulumi config set ${fullName(key)} <value>').${typo}`,
    ];
  });
}

/** The platform, which decides what every other key allows; undefined (and a problem) when it is missing or unknown. */
export function readPlatform(raw: RawConfig, problems: string[]): Platform | undefined {
  const text = givenText(raw, "platform");
  const platform = PLATFORMS.find((p) => p === text);
  if (platform === undefined) {
    const allowed = `allowed: ${allowedText(specOf("platform"))}.`;
    problems.push(text === undefined ? `${fullName("platform")}: required; ${allowed}` : aboutValue("platform", text, allowed));
  }
  return platform;
}

/** Every key but the platform; a key with a problem has no value. Without a platform, only given keys are parsed. */
export function readValues(raw: RawConfig, platform: Platform | undefined, problems: string[]): ParsedValues {
  const values: Partial<Record<ConfigKey, unknown>> = {};
  for (const spec of SCHEMA) {
    if (spec.key === "platform" || spec.key === "services") continue; // readPlatform's, config/services.ts'
    const given = givenText(raw, spec.key);
    if (given !== undefined && platform && !appliesTo(spec, platform)) {
      problems.push(`${fullName(spec.key)}: applies only to platform ${(spec.platforms ?? []).map((p) => `'${p}'`).join(" or ")}, not '${platform}'; remove it.`);
      continue;
    }
    if (given !== undefined && spec.secret && !raw.secretKeys.has(spec.key)) {
      problems.push(`${fullName(spec.key)}: must be a secret, but it is stored in plain text; run 'pulumi config set --secret ${spec.key} <value>'.`);
      continue;
    }
    const text = given ?? (platform ? defaultFor(spec, platform) : undefined);
    if (text === undefined) {
      if (platform && isRequired(spec, platform)) {
        problems.push(`${fullName(spec.key)}: required${spec.required === true ? "" : ` on platform '${platform}'`}; allowed: ${allowedText(spec)}${spec.secret ? " (set it with --secret)" : ""}.`);
      }
      continue;
    }
    const parsed = parseValue(spec, text);
    if ("error" in parsed) {
      problems.push(aboutValue(spec.key, spec.secret ? new Secret(text) : text, `allowed: ${parsed.error}.`));
      continue;
    }
    // Secret keys are strings or URLs.
    values[spec.key] = spec.secret ? new Secret(parsed.value as string, raw.secretInputs?.[spec.key]) : parsed.value;
  }
  // parseValue gives each key the type of its kind, which is what ValueOf derives from the table.
  return values as ParsedValues;
}
