import type { AlertEngine, GrafanaRouting, Platform, ReceiverKind } from "./schema";
import type { Secret } from "../lib/secret";

/** A duration as written in config (`"15s"`) and in seconds. */
export interface Duration {
  text: string;
  seconds: number;
}

export interface MetricNames {
  activeConnections: string;
  connectionsTotal: string;
  disconnectionsTotal: string;
  messagesTotal: string;
  connectionDuration: string;
  processCpu: string;
  residentMemory: string;
  openFds: string;
  maxFds: string;
  eventLoopLag: string;
  upgradesTotal: string;
  handshakeDuration: string;
  closesTotal: string;
  messageDuration: string;
  connectionLimit: string;
}

export interface ScrapeSettings {
  jobName: string;
  healthJobName: string;
  metricsPath: string;
  healthPath: string;
  scheme: "http" | "https";
  interval: Duration;
  timeout: Duration;
  /** host:port of each instance (local, docker). */
  targets: string[];
  healthUrl: string;
  /** The health endpoint as a browser reaches it (dashboard link); none where only the cluster or network resolves it. */
  healthLinkUrl?: string;
  blackboxExporter: string;
  blackboxModule: string;
  /** The real upgrade on /ws through the blackbox exporter (`upgradeProbe`; unset when off), of each target's host:port or (kubernetes) the health URL's. */
  upgradeProbe?: { jobName: string; module: string; targets: string[] };
}

export interface GrafanaSettings {
  url: string;
  /** Unset only on Kubernetes with dashboards delivered as ConfigMaps, where the stack calls no Grafana API. */
  auth?: Secret;
  folderTitle: string;
  /** Appended to the folder and dashboard uids (several environments in one organisation). */
  uidSuffix?: string;
  /** With the grafana alert engine: who owns the routing, the org's policy tree or each rule. */
  routing: GrafanaRouting;
  dashboardTitle: string;
  dashboardRefresh: Duration;
  datasourceUid: string;
  createDatasource: boolean;
  prometheusUrl?: string;
}

export interface OperationalHours {
  timezone: string;
  weekdays: string[];
  start: string;
  end: string;
}

/** The objectives and their shared error-budget period (slo/). */
export interface ObjectiveSettings {
  /** Percent, strictly between 0 and 100. */
  availability: number;
  connections: number;
  /** Only where the service exposes its upgrades (`exposesUpgrades`). */
  handshake: number;
  /** Refused upgrades this long after a process start are a rollout's, not the handshake SLO's errors; 0: none are. */
  rolloutWindow: Duration;
  period: Duration;
  pageFor: Duration;
  ticketFor: Duration;
}

export interface AlertSettings {
  engine: AlertEngine;
  evaluationInterval: Duration;
  connectionsWarning: number;
  connectionsMax: number;
  aboveThresholdFor: Duration;
  noConnectionsFor: Duration;
  unstableChangeRatio: number;
  unstableWindow: Duration;
  unstableMinBaseline: number;
  unstableFor: Duration;
  serviceDownFor: Duration;
  runbookBaseUrl: string;
  operationalHours: OperationalHours;
  objectives: ObjectiveSettings;
  layer: LayerSettings;
}

/** The WebSocket layer's alerts (alerts/layer.ts): which optional metrics the service exposes, and their thresholds. */
export interface LayerSettings {
  exposes: { upgrades: boolean; closeCodes: boolean; connectionLimit: boolean };
  window: Duration;
  handshakeFailureRatio: number;
  handshakeFailuresFor: Duration;
  connectionLimitShare: number;
  nearLimitFor: Duration;
  imbalanceFactor: number;
  imbalanceMinConnections: number;
  imbalanceFor: Duration;
  abnormalCloseRatio: number;
  abnormalClosesFor: Duration;
}

export interface NotificationSettings {
  slack?: { webhookUrl: Secret; channel?: string };
  email?: { addresses: string[] };
  webhook?: { url: Secret };
  /** The dead man's switch: WebSocketMonitoringHeartbeat, sent only here. */
  heartbeat?: { url: Secret; interval: Duration };
  critical: ReceiverKind[];
  warning: ReceiverKind[];
  groupWait: Duration;
  groupInterval: Duration;
  repeatInterval: Duration;
}

/** An SMTP server of the stack's own (local Alertmanager, Grafana container on docker, the AlertmanagerConfig's e-mail receiver on Kubernetes). */
export interface SmtpSettings {
  host: string;
  user?: string;
  password?: Secret;
  fromAddress: string;
  /** Local only: false lets Alertmanager send without STARTTLS (a plain SMTP server on the machine). */
  requireTls?: boolean;
}

export interface KubernetesSettings {
  namespace: string;
  scrapeMode: "serviceMonitor" | "additionalScrapeConfig";
  serviceNamespace: string;
  serviceSelector: Record<string, string>;
  servicePort: string;
  monitorLabels: Record<string, string>;
  /** The operator's Prometheus keeps this much (k8sPrometheusRetention), where the stack is told. */
  prometheusRetention?: Duration;
  smtp?: SmtpSettings;
  /** How the dashboards reach Grafana (dashboardDelivery): its API, or ConfigMaps a Grafana sidecar loads. */
  dashboards: { delivery: "grafanaApi" } | { delivery: "configMap"; labels: Record<string, string>; folderAnnotation: string };
}

export interface DockerSettings {
  network: string;
  prometheusImage: string;
  grafanaImage: string;
  blackboxImage: string;
  alertmanagerImage: string;
  prometheusPort: number;
  grafanaPort: number;
  alertmanagerPort: number;
  keepData: boolean;
  smtp?: SmtpSettings;
}

export interface LocalSettings {
  prometheusConfigFile: string;
  alertmanagerConfigFile: string;
  prometheusPort: number;
  grafanaPort: number;
  alertmanagerPort: number;
  /** The local Alertmanager's SMTP server (alertEngine prometheus). */
  smtp?: SmtpSettings;
}

/** Which of the stack's services a view of the settings is (config/services.ts). */
export interface ServiceIdentity {
  /** The alerts' `service` label: the service's name, or the job name of a stack without `services`. */
  name: string;
  /** Listed in `services`: its names carry `name`. Unlisted: the one service of the top-level keys, with a single-service stack's names. */
  listed: boolean;
}

export interface CommonSettings {
  stack: string;
  service: ServiceIdentity;
  environment: string;
  namePrefix: string;
  protect: boolean;
  grafana: GrafanaSettings;
  scrape: ScrapeSettings;
  metrics: MetricNames;
  alerts: AlertSettings;
  notifications: NotificationSettings;
}

export type LocalStack = CommonSettings & { platform: "local"; local: LocalSettings };
export type DockerStack = CommonSettings & { platform: "docker"; docker: DockerSettings };
export type KubernetesStack = CommonSettings & { platform: "kubernetes"; kubernetes: KubernetesSettings };

/**
 * The validated, typed configuration of one service of a stack: the stack's settings with the
 * service's own. Built only by `validateConfig`/`validateServices`. Keyed by `platform`:
 * `if (s.platform === "docker")` gives `s.docker`.
 */
export type Settings = LocalStack | DockerStack | KubernetesStack;

/** Whether the stack talks to Grafana's API at all: not with ConfigMap dashboards (and so alertEngine prometheus). */
export function usesGrafanaApi(s: Settings): boolean {
  return !(s.platform === "kubernetes" && s.kubernetes.dashboards.delivery === "configMap");
}

/** The settings of a stack that must be on `platform` (e.g. the `local` stack of `npm run up`). */
export function onPlatform<P extends Platform>(s: Settings, platform: P): Extract<Settings, { platform: P }> {
  if (s.platform !== platform) throw new Error(`stack '${s.stack}' is on platform '${s.platform}', not '${platform}'`);
  // TypeScript does not narrow a union by a generic discriminant; the check above does.
  return s as Extract<Settings, { platform: P }>;
}

/** One service, or every service of a stack: what the environment's shared files and objects are made of. */
export type Services = Settings | readonly Settings[];

/** The services, first first: the environment's own settings are the same in each. */
export function eachService(services: Services): readonly [Settings, ...Settings[]] {
  const list = "platform" in services ? [services] : services;
  if (list.length === 0) throw new Error("a stack has at least one service");
  return list as readonly [Settings, ...Settings[]];
}
