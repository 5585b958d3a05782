// Two WebSocket services, chat and presence, on a Kubernetes cluster with prometheus-operator and
// an existing Grafana: one MonitoringEnvironment for what they share, a WebSocketMonitoring each.
// In a program of its own it imports the package ('npm install <this repository>/provider'):
//   import { MonitoringEnvironment, WebSocketMonitoring } from "websocket-monitoring";
import * as pulumi from "@pulumi/pulumi";
import { MonitoringEnvironment, WebSocketMonitoring, type EnvironmentArgs, type ServiceArgs } from "../../provider/index";

const config = new pulumi.Config();

const environment: EnvironmentArgs = {
  platform: "kubernetes",
  environment: "realtime",
  grafanaUrl: "https://grafana.example.com",
  // Pulumi secrets: they stay secrets in every object the components create.
  grafanaAuth: config.requireSecret("grafanaAuth"),
  slackWebhookUrl: config.requireSecret("slackWebhookUrl"),
  slackChannel: "#realtime-oncall",
  datasourceUid: "prometheus",
  alertEngine: "prometheus",
  k8sNamespace: "monitoring",
  protect: true,
};

const runbookBaseUrl = "https://github.com/acme/websocket-monitoring/blob/main/docs/runbooks.md";
// Both services run in the namespace realtime; their operational hours in UTC, as prometheus-operator's
// AlertmanagerConfig has no time zones.
const where = { runbookBaseUrl, k8sServiceNamespace: "realtime", operationalTimezone: "UTC" };
const services: ServiceArgs[] = [
  { name: "chat", ...where, k8sServiceSelector: { app: "chat" }, healthUrl: "http://chat.realtime.svc:8080/ws/health", connectionsMax: 5000 },
  { name: "presence", ...where, k8sServiceSelector: { app: "presence" }, healthUrl: "http://presence.realtime.svc:8080/ws/health", sloAvailabilityObjective: 99.5 },
];

const shared = new MonitoringEnvironment("realtime", { environment, services });
const monitors = services.map(
  (service) => new WebSocketMonitoring(`realtime-${service.name}`, { environment, service }, { dependsOn: [shared], providers: shared.providers() }),
);

export const folderUrl = shared.folderUrl;
export const dashboardUrls = monitors.map((m) => m.dashboardUrl);
