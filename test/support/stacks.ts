/**
 * Loads a committed Pulumi.<stack>.yaml the way the Pulumi CLI hands it to a program (every value
 * a string, lists and maps as JSON) and adds the secrets a real checkout would have set.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CONFIG_NAMESPACE, type RawConfig } from "../../config/validate";

export const ROOT = path.resolve(__dirname, "..", "..");

/** Stand-ins for what `pulumi config set --secret` stores per stack. */
export const TEST_SECRETS: Record<string, Record<string, string>> = {
  dev: { grafanaAuth: "admin:dev-password", webhookUrl: "https://hooks.example.com/websocket-dev?token=dev-token" },
  staging: { grafanaAuth: "glsa_stagingtoken", slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/staging" },
  prod: {
    grafanaAuth: "glsa_prodtoken",
    slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/prod",
    webhookUrl: "https://events.example.com/prod?routing_key=prod-key",
  },
};

export function stackFileConfig(stack: string): Record<string, string> {
  const doc = parse(readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
  const values: Record<string, string> = {};
  for (const [fullKey, value] of Object.entries(doc.config ?? {})) {
    if (!fullKey.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
    if (value && typeof value === "object" && "secure" in value) continue; // encrypted: provided by TEST_SECRETS
    values[fullKey.slice(CONFIG_NAMESPACE.length + 1)] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return values;
}

export function stackRawConfig(stack: string, overrides: Record<string, string> = {}): RawConfig {
  const secrets = TEST_SECRETS[stack] ?? {};
  return {
    values: { ...stackFileConfig(stack), ...secrets, ...overrides },
    secretKeys: new Set(Object.keys(secrets)),
  };
}
