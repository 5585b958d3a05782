/** The committed stacks as a checkout with its secrets set would see them. */
import { loadStackConfig } from "../../config/stackFile";
import type { RawConfig } from "../../config/validate";

/** Stand-ins for what `pulumi config set --secret` stores per stack. */
export const TEST_SECRETS: Record<string, Record<string, string>> = {
  dev: { grafanaAuth: "admin:dev-password", webhookUrl: "https://hooks.example.com/websocket-dev?token=dev-token" },
  staging: { grafanaAuth: "glsa_stagingtoken", slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/staging", heartbeatUrl: "https://hc.example.com/ping/staging" },
  local: { grafanaAuth: "admin:admin", webhookUrl: "http://127.0.0.1:9099/alerts", heartbeatUrl: "http://127.0.0.1:9099/heartbeat" },
  prod: {
    grafanaAuth: "glsa_prodtoken",
    slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/prod",
    webhookUrl: "https://events.example.com/prod?routing_key=prod-key",
    heartbeatUrl: "https://hc.example.com/ping/prod",
  },
};

export function stackRawConfig(stack: string, overrides: Record<string, string> = {}): RawConfig {
  const raw = loadStackConfig(stack, { secrets: TEST_SECRETS[stack] });
  return { ...raw, values: { ...raw.values, ...overrides } };
}
