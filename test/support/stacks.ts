/** The committed stacks as a checkout with its secrets set would see them. */
import { loadStackConfig } from "../../config/stackFile";
import { onPlatform } from "../../config/settings";
import { withOverrides } from "../../config/rawConfig";
import type { RawConfig } from "../../config/validate";
import { servicesFromStackFile } from "../../render/stackSettings";

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

/** Overrides of a committed Kubernetes stack: alerting with Prometheus, its dashboards as ConfigMaps for a Grafana sidecar, without Grafana credentials. */
export const CONFIG_MAP_DELIVERY = { alertEngine: "prometheus", dashboardDelivery: "configMap", grafanaAuth: undefined, operationalTimezone: "UTC", smtpHost: "smtp.example.com:587" };

/** `overrides`: a value replaces the file's, `undefined` unsets the key. */
export function stackRawConfig(stack: string, overrides: Record<string, string | undefined> = {}): RawConfig {
  return withOverrides(loadStackConfig(stack, { secrets: TEST_SECRETS[stack] }), overrides);
}

/**
 * Overrides that list `names` as services where a committed Kubernetes stack has its one: each with
 * the committed Service selector and health URL, the service's name in place of the committed one's.
 */
export function listedServices(stack: string, names: string[]): Record<string, string | undefined> {
  const committed = onPlatform(servicesFromStackFile(stack)[0], "kubernetes");
  const renamed = (text: string, name: string) => text.replace("websocket-service", name);
  const list = names.map((name) => ({
    name,
    healthUrl: renamed(committed.scrape.healthUrl, name),
    k8sServiceSelector: Object.fromEntries(Object.entries(committed.kubernetes.serviceSelector).map(([label, value]) => [label, renamed(value, name)])),
  }));
  return { services: JSON.stringify(list), healthUrl: undefined, k8sServiceSelector: undefined };
}
