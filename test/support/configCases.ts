/** A minimal valid config to change one key at a time, and the problems validation finds in a config. */
import assert from "node:assert/strict";
import { ConfigError, validateConfig, type RawConfig } from "../../config/validate";

const VALID: Record<string, string> = {
  platform: "local",
  grafanaAuth: "admin:admin",
  targets: '["127.0.0.1:8080"]',
  runbookBaseUrl: "https://runbooks.example.com/websocket",
  webhookUrl: "http://127.0.0.1:9999/hook",
};
const SECRETS = ["grafanaAuth", "webhookUrl", "slackWebhookUrl", "smtpPassword"];

export function raw(changes: Record<string, string | undefined>, plainKeys: string[] = []): RawConfig {
  const values: Record<string, string> = { ...VALID };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete values[k];
    else values[k] = v;
  }
  return { values, secretKeys: new Set(SECRETS.filter((k) => k in values && !plainKeys.includes(k))) };
}

export function problemsOf(config: RawConfig): string[] {
  try {
    validateConfig(config, "test");
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
    return e.problems;
  }
  return [];
}
