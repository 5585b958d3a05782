/**
 * The one configuration schema of the stack: every key a user may set, with its type, default,
 * allowed values and documentation. Validation (validate.ts) and the README's config reference
 * (scripts/config-docs.ts) are both generated from this table, so they cannot drift apart.
 */

export const PLATFORMS = ["local", "docker", "kubernetes"] as const;
export type Platform = (typeof PLATFORMS)[number];

export const RECEIVER_KINDS = ["slack", "email", "webhook"] as const;
export type ReceiverKind = (typeof RECEIVER_KINDS)[number];

export const ALERT_ENGINES = ["grafana", "prometheus"] as const;
export type AlertEngine = (typeof ALERT_ENGINES)[number];

export const GRAFANA_ROUTINGS = ["policyTree", "perRule"] as const;
export type GrafanaRouting = (typeof GRAFANA_ROUTINGS)[number];

export const DASHBOARD_DELIVERIES = ["grafanaApi", "configMap"] as const;
export type DashboardDelivery = (typeof DASHBOARD_DELIVERIES)[number];

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

export type KeyKind =
  | "string"
  | "integer"
  | "number"
  | "boolean"
  | "duration"
  | "url"
  | "enum"
  | "list"
  | "map"
  | "services";

/** A default that may differ by platform; `undefined` means "no default" for that platform. */
export type Default = string | Partial<Record<Platform, string>>;

export interface KeySpec {
  key: string;
  group: string;
  kind: KeyKind;
  doc: string;
  default?: Default;
  /** Shown in the docs instead of the literal default (e.g. "the stack name"). */
  defaultDoc?: string;
  /** Required on these platforms (true: on all). */
  required?: boolean | readonly Platform[];
  /** Only meaningful on these platforms; setting it elsewhere is an error. */
  platforms?: readonly Platform[];
  /** Must be set with `pulumi config set --secret`. */
  secret?: boolean;
  /** A secret whose presence turns a feature on (the heartbeat, SMTP authentication): `npm run render` does not stand in for it when unset. */
  enablesFeature?: boolean;
  /** Allowed values of an enum, or of every element of a list. */
  values?: readonly string[];
  /** Pattern for strings (and list elements), with a human description of it. */
  pattern?: RegExp;
  patternDoc?: string;
  min?: number;
  max?: number;
}

/** Names in resource names, labels and uids: an environment, a prefix, a service (config/services.ts). */
export const DNS_LABEL = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
export const DNS_LABEL_DOC = "lower-case letters, digits and '-', 2-32 characters, starting with a letter";
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const METRIC_NAME_DOC = "a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)";
const JOB_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]{0,62}$/;
const JOB_NAME_DOC = "a Prometheus job name ([a-zA-Z_][a-zA-Z0-9_-]*)";
const BLACKBOX_MODULE = /^[a-zA-Z0-9_-]+$/;
const BLACKBOX_MODULE_DOC = "a blackbox module name";
const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;
const HOST_PORT_DOC = "host:port";
const URL_PATH = /^\/[A-Za-z0-9._~\/-]*$/;
const URL_PATH_DOC = "an absolute URL path such as /ws/metrics";
const UID = /^[A-Za-z0-9_-]{1,40}$/;
const UID_DOC = "1-40 letters, digits, '_' or '-'";
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const CLOCK_DOC = "HH:MM, 00:00-24:00";
const IMAGE = /^[a-z0-9./_-]+(:[A-Za-z0-9._-]+)?(@sha256:[a-f0-9]{64})?$/;

const ALL_PLATFORMS: readonly Platform[] = PLATFORMS;

/** A metric name of the service's contract (every one configurable, with the reference service's as default). */
function metricKey<K extends string, D extends string>(key: K, defaultName: D, doc: string) {
  return { key, group: "Metrics", kind: "string", default: defaultName, pattern: METRIC_NAME, patternDoc: METRIC_NAME_DOC, doc } as const;
}

const TABLE = [
  // --- General -------------------------------------------------------------------------
  {
    key: "platform", group: "General", kind: "enum", values: PLATFORMS, required: true,
    doc: "Where Prometheus runs: `local` (processes on this machine, scrape config written to a file), `docker` (Prometheus, blackbox exporter and Grafana containers), `kubernetes` (prometheus-operator objects, existing Grafana).",
  },
  {
    key: "environment", group: "General", kind: "string", pattern: DNS_LABEL, patternDoc: DNS_LABEL_DOC,
    defaultDoc: "the stack name",
    doc: "Environment name: used in resource names, alert labels (`environment`) and notification titles.",
  },
  {
    key: "namePrefix", group: "General", kind: "string", default: "websocket", pattern: DNS_LABEL, patternDoc: DNS_LABEL_DOC,
    doc: "Prefix of every resource name (`<namePrefix>-<environment>-…`).",
  },
  {
    key: "protect", group: "General", kind: "boolean", default: "false",
    doc: "Protect the Grafana folder, dashboards and rule groups (with `alertEngine` `prometheus` on Kubernetes: the PrometheusRules and the AlertmanagerConfig), and a created datasource, from deletion: `pulumi destroy` refuses until it is set to false. Set it for production.",
  },

  {
    key: "services", group: "General", kind: "services",
    doc: "The WebSocket services this stack watches: a list of objects, each with `name` (a DNS label, unique in the stack; the alerts' `service` label) and any of the per-service keys (marked *per service* below), e.g. `pulumi config set --path 'services[0].name' chat` and `pulumi config set --path 'services[0].targets[0]' chat:8080`. A per-service key set at the top level is every service's default; `jobName` defaults to the name, `healthJobName` to `<name>-health`, `upgradeJobName` to `<name>-upgrade`, and `targets`, `healthUrl`, `healthLinkUrl` and `k8sServiceSelector` are set per service only. Unset: one service, configured by the top-level keys, with the names of a single-service stack.",
  },

  // --- Grafana ---------------------------------------------------------------------------
  {
    key: "grafanaUrl", group: "Grafana", kind: "url",
    default: { local: "http://127.0.0.1:3000", docker: "http://localhost:3000" }, required: ["kubernetes"],
    doc: "Base URL of the Grafana HTTP API; also the base of the dashboard and folder URLs in the outputs.",
  },
  {
    key: "grafanaAuth", group: "Grafana", kind: "string", secret: true, required: ["local", "docker"],
    doc: "Grafana credentials: `user:password` (basic auth) or a service account token. On `docker` the user:password form also sets the container's admin account. On `kubernetes` required unless `dashboardDelivery` is `configMap` (with `alertEngine` `prometheus` the stack then calls no Grafana API).",
  },
  {
    key: "folderTitle", group: "Grafana", kind: "string", default: "WebSocket Service Monitoring",
    pattern: /^.{1,100}$/, patternDoc: "1-100 characters",
    doc: "Title of the Grafana folder. Its uid is `websocket-monitoring` (stable URL `/dashboards/f/websocket-monitoring`), with `-<uidSuffix>` when that is set.",
  },
  {
    key: "uidSuffix", group: "Grafana", kind: "string", pattern: /^[a-z0-9][a-z0-9-]{0,10}$/, patternDoc: "1-11 lower-case letters, digits or '-', starting with a letter or digit",
    doc: "For several environments in one Grafana organisation: the folder uid becomes `websocket-monitoring-<uidSuffix>` and the dashboard uid `websocket-service-monitoring-<uidSuffix>`. Unset: the uids without suffix (`/dashboards/f/websocket-monitoring`). Changing it replaces the folder and dashboard.",
  },
  {
    key: "dashboardTitle", group: "Grafana", kind: "string", default: "WebSocket Service Monitoring",
    pattern: /^.{1,100}$/, patternDoc: "1-100 characters",
    doc: "Title of the dashboard (uid `websocket-service-monitoring`, with `-<uidSuffix>` when that is set).",
  },
  {
    key: "dashboardRefresh", group: "Grafana", kind: "duration", default: "30s", min: 5, max: 3600,
    doc: "Dashboard auto-refresh; must not be shorter than `scrapeInterval` (faster refreshes only re-read the same samples).",
  },
  {
    key: "datasourceUid", group: "Grafana", kind: "string", default: "websocket-prometheus", pattern: UID, patternDoc: UID_DOC,
    doc: "Uid of the Prometheus datasource the dashboard and alert rules query. Created by the stack when `createDatasource` is true, otherwise it must exist in Grafana.",
  },
  {
    key: "createDatasource", group: "Grafana", kind: "boolean", default: { local: "true", docker: "true", kubernetes: "false" },
    doc: "Create the Prometheus datasource (where the stack runs Prometheus itself) or reference an existing one by `datasourceUid`.",
  },
  {
    key: "prometheusUrl", group: "Grafana", kind: "url",
    default: { local: "http://127.0.0.1:9090", docker: "http://prometheus:9090" },
    doc: "URL at which Grafana reaches Prometheus (the created datasource's URL). On `local` also used to reload Prometheus after the scrape config changes. Required on `kubernetes` when `createDatasource` is true.",
  },

  // --- Scrape ----------------------------------------------------------------------------
  {
    key: "jobName", group: "Scrape", kind: "string", default: "websocket", pattern: JOB_NAME, patternDoc: JOB_NAME_DOC,
    doc: "Prometheus job that scrapes `metricsPath`; every query filters on it.",
  },
  {
    key: "healthJobName", group: "Scrape", kind: "string", default: "websocket-health", pattern: JOB_NAME, patternDoc: JOB_NAME_DOC,
    doc: "Prometheus job that probes `healthPath` through the blackbox exporter (`probe_success`).",
  },
  {
    key: "metricsPath", group: "Scrape", kind: "string", default: "/ws/metrics", pattern: URL_PATH, patternDoc: URL_PATH_DOC,
    doc: "Path of the Prometheus metrics endpoint of the service.",
  },
  {
    key: "healthPath", group: "Scrape", kind: "string", default: "/ws/health", pattern: URL_PATH, patternDoc: URL_PATH_DOC,
    doc: "Path of the JSON health endpoint (200 `{\"status\":\"healthy\"}`, 503 when unhealthy).",
  },
  {
    key: "scheme", group: "Scrape", kind: "enum", values: ["http", "https"], default: "http",
    doc: "Scheme used to scrape and probe the service.",
  },
  {
    key: "scrapeInterval", group: "Scrape", kind: "duration", default: "15s", min: 1, max: 300,
    doc: "How often Prometheus scrapes the service and probes its health.",
  },
  {
    key: "scrapeTimeout", group: "Scrape", kind: "duration", default: "10s", min: 1, max: 300,
    doc: "Scrape and probe timeout; must not exceed `scrapeInterval`.",
  },
  {
    key: "targets", group: "Scrape", kind: "list", pattern: HOST_PORT, patternDoc: HOST_PORT_DOC,
    required: ["local", "docker"], platforms: ["local", "docker"],
    doc: "Instances of the service to scrape, e.g. `[\"127.0.0.1:8080\"]` (on Kubernetes the service is discovered by `k8sServiceSelector` instead).",
  },
  {
    key: "healthUrl", group: "Scrape", kind: "url", required: ["kubernetes"],
    defaultDoc: "`<scheme>://<first target><healthPath>`",
    doc: "URL of the health endpoint as the blackbox exporter reaches it (on `kubernetes` usually a cluster-internal address).",
  },
  {
    key: "healthLinkUrl", group: "Scrape", kind: "url", defaultDoc: "local: `healthUrl`; docker, kubernetes: no link",
    doc: "URL of the health endpoint as a browser reaches it, linked from the dashboard (\"Health endpoint\"). Docker and Kubernetes stacks probe an address that only their network resolves, so they show the link only when this is set.",
  },
  {
    key: "blackboxExporter", group: "Scrape", kind: "string", pattern: HOST_PORT, patternDoc: HOST_PORT_DOC,
    default: { local: "127.0.0.1:9115", docker: "blackbox-exporter:9115", kubernetes: "prometheus-blackbox-exporter.monitoring.svc:9115" },
    doc: "Address of the blackbox exporter that probes `healthPath`.",
  },
  {
    key: "blackboxModule", group: "Scrape", kind: "string", pattern: BLACKBOX_MODULE, patternDoc: BLACKBOX_MODULE_DOC,
    default: { local: "websocket_health", docker: "websocket_health", kubernetes: "http_2xx" },
    doc: "Blackbox module of the health probe. `websocket_health` (shipped in `prometheus/blackbox.yml`) also requires `\"status\":\"healthy\"` in the body.",
  },
  {
    key: "upgradeProbe", group: "Scrape", kind: "boolean", default: { local: "true", docker: "true", kubernetes: "false" },
    doc: "Besides `healthPath`, the blackbox exporter performs a real WebSocket upgrade on `/ws` of each instance (`upgradeProbeModule`) and expects `101 Switching Protocols`: a client of the service, each probe one accepted connection closed normally (1000). A failed upgrade is `WebSocketServiceDown` with reason `upgrade_failed`, and the `availability` SLO counts both probes. On `kubernetes` off by default: the cluster's blackbox exporter needs the module first (README, *The upgrade probe* under Alerts).",
  },
  {
    key: "upgradeProbeModule", group: "Scrape", kind: "string", default: "websocket_upgrade", pattern: BLACKBOX_MODULE, patternDoc: BLACKBOX_MODULE_DOC,
    doc: "Blackbox module of the upgrade probe: a `tcp` module that sends the upgrade request and expects `HTTP/1.1 101` (`websocket_upgrade`, shipped in `prometheus/blackbox.yml`). With `scheme` https it must be a module of yours with `tls: true`.",
  },
  {
    key: "upgradeJobName", group: "Scrape", kind: "string", default: "websocket-upgrade", pattern: JOB_NAME, patternDoc: JOB_NAME_DOC,
    doc: "Prometheus job of the upgrade probe (`upgradeProbe`): `probe_success` of each instance (host:port of each of `targets`; on `kubernetes` of `healthUrl`, port 80 or 443 by its scheme when it names none).",
  },

  // --- Kubernetes --------------------------------------------------------------------------
  {
    key: "k8sNamespace", group: "Kubernetes", kind: "string", default: "monitoring", pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, patternDoc: "a Kubernetes namespace name",
    platforms: ["kubernetes"], doc: "Namespace of every object the stack creates (ServiceMonitor, Probe, scrape-config Secret, PrometheusRule, AlertmanagerConfig and its receivers' Secret): where the operator's Prometheus and Alertmanager look for them.",
  },
  {
    key: "k8sScrapeMode", group: "Kubernetes", kind: "enum", values: ["serviceMonitor", "additionalScrapeConfig"], default: "serviceMonitor",
    platforms: ["kubernetes"],
    doc: "How the operator's Prometheus gets the scrape jobs. `serviceMonitor`: a ServiceMonitor and a Probe (which discovery role the operator generates is the `Prometheus` resource's `serviceDiscoveryRole`: set `EndpointSlice`, as Endpoints are deprecated since Kubernetes 1.33). `additionalScrapeConfig`: a Secret with plain scrape jobs (`endpointslice` discovery) for the `Prometheus` resource's `spec.additionalScrapeConfigs`, for a Prometheus that does not select this team's ServiceMonitors and Probes.",
  },
  {
    key: "k8sPrometheusRetention", group: "Kubernetes", kind: "duration", min: 3600, max: 10 * 365 * 86400,
    platforms: ["kubernetes"],
    doc: "The retention of the operator's `Prometheus` that evaluates this stack (its `spec.retention`; the operator's default is 24h, Prometheus' own 15d). Unset: not known to the stack, and README says what it must be. Set: `sloPeriod` must fit in it, or the objectives and their panels would read a shorter period than they say.",
  },
  {
    key: "k8sServiceNamespace", group: "Kubernetes", kind: "string", pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, patternDoc: "a Kubernetes namespace name",
    required: ["kubernetes"], platforms: ["kubernetes"], doc: "Namespace of the WebSocket service.",
  },
  {
    key: "k8sServiceSelector", group: "Kubernetes", kind: "map", required: ["kubernetes"], platforms: ["kubernetes"],
    doc: "Labels of the WebSocket service's Kubernetes Service, e.g. `{\"app\":\"websocket\"}`.",
  },
  {
    key: "k8sServicePort", group: "Kubernetes", kind: "string", default: "http", pattern: /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/, patternDoc: "a Service port name",
    platforms: ["kubernetes"], doc: "Name of the Service port that serves `metricsPath`.",
  },
  {
    key: "k8sMonitorLabels", group: "Kubernetes", kind: "map", default: "{\"release\":\"kube-prometheus-stack\"}",
    platforms: ["kubernetes"], doc: "Labels on the ServiceMonitor and Probe so that the operator's Prometheus selects them.",
  },
  {
    key: "dashboardDelivery", group: "Kubernetes", kind: "enum", values: DASHBOARD_DELIVERIES, default: "grafanaApi",
    platforms: ["kubernetes"],
    doc: "How the dashboards reach Grafana. `grafanaApi`: through Grafana's HTTP API (the Grafana provider; a folder of the stack's). `configMap`: as ConfigMaps in `k8sNamespace` that the Grafana sidecar of kube-prometheus-stack loads (labels `dashboardConfigMapLabels`, folder `folderTitle` from the annotation `dashboardFolderAnnotation`); needs `alertEngine` `prometheus`, and then the stack calls no Grafana API and needs no `grafanaAuth`.",
  },
  {
    key: "dashboardConfigMapLabels", group: "Kubernetes", kind: "map", default: "{\"grafana_dashboard\":\"1\"}",
    platforms: ["kubernetes"], doc: "With `dashboardDelivery` `configMap`: the labels the Grafana sidecar selects dashboard ConfigMaps by (kube-prometheus-stack: `grafana.sidecar.dashboards.label`/`labelValue`).",
  },
  {
    key: "dashboardFolderAnnotation", group: "Kubernetes", kind: "string", default: "grafana_folder",
    pattern: /^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/, patternDoc: "a Kubernetes annotation key",
    platforms: ["kubernetes"], doc: "With `dashboardDelivery` `configMap`: the annotation whose value (`folderTitle`) names the dashboard's folder (kube-prometheus-stack: `grafana.sidecar.dashboards.folderAnnotation`).",
  },

  // --- Docker -------------------------------------------------------------------------------
  {
    key: "dockerNetwork", group: "Docker", kind: "string", default: "websocket-monitoring", pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/, patternDoc: "a Docker network name",
    platforms: ["docker"], doc: "Docker network shared by the Prometheus, blackbox exporter and Grafana containers (attach the service to it too).",
  },
  {
    key: "prometheusImage", group: "Docker", kind: "string", default: "prom/prometheus:v2.55.1", pattern: IMAGE, patternDoc: "a pinned image reference (tag or digest, not `latest`)",
    platforms: ["docker"], doc: "Prometheus image.",
  },
  {
    key: "grafanaImage", group: "Docker", kind: "string", default: "grafana/grafana:12.3.0", pattern: IMAGE, patternDoc: "a pinned image reference (tag or digest, not `latest`)",
    platforms: ["docker"], doc: "Grafana image (12.1 or later: notification-policy active time intervals).",
  },
  {
    key: "blackboxImage", group: "Docker", kind: "string", default: "prom/blackbox-exporter:v0.25.0", pattern: IMAGE, patternDoc: "a pinned image reference (tag or digest, not `latest`)",
    platforms: ["docker"], doc: "Blackbox exporter image.",
  },
  {
    key: "alertmanagerImage", group: "Docker", kind: "string", default: "prom/alertmanager:v0.27.0", pattern: IMAGE, patternDoc: "a pinned image reference (tag or digest, not `latest`)",
    platforms: ["docker"], doc: "Alertmanager image (with `alertEngine` `prometheus`).",
  },
  {
    key: "prometheusPort", group: "Docker", kind: "integer", default: "9090", min: 1024, max: 65535,
    platforms: ["local", "docker"], doc: "Host port of Prometheus (published container port on `docker`, listen port on `local`).",
  },
  {
    key: "grafanaPort", group: "Docker", kind: "integer", default: "3000", min: 1024, max: 65535,
    platforms: ["local", "docker"], doc: "Host port of Grafana (published container port on `docker`, listen port on `local`).",
  },
  {
    key: "alertmanagerPort", group: "Docker", kind: "integer", default: "9093", min: 1024, max: 65535,
    platforms: ["local", "docker"], doc: "Host port of Alertmanager with `alertEngine` `prometheus` (published container port on `docker`, listen port on `local`).",
  },
  {
    key: "keepData", group: "Docker", kind: "boolean", default: "false", platforms: ["docker"],
    doc: "Keep the Prometheus and Grafana data volumes on `pulumi destroy` (they are removed otherwise).",
  },
  // --- Local ---------------------------------------------------------------------------------
  {
    key: "prometheusConfigFile", group: "Local", kind: "string", default: ".local/prometheus/prometheus.yml", pattern: /^[^\0]{1,400}$/, patternDoc: "a file path",
    platforms: ["local"], doc: "Where the `local` platform writes `prometheus.yml` (relative paths are relative to the project), and `rules.yml` beside it with `alertEngine` `prometheus`; Prometheus is reloaded through `prometheusUrl` after each change.",
  },
  {
    key: "alertmanagerConfigFile", group: "Local", kind: "string", default: ".local/alertmanager/alertmanager.yml", pattern: /^[^\0]{1,400}$/, patternDoc: "a file path",
    platforms: ["local"], doc: "Where the `local` platform writes `alertmanager.yml` with `alertEngine` `prometheus`; Alertmanager (`alertmanagerPort`) is reloaded after each change.",
  },

  // --- Metrics (the contract with the service) ------------------------------------------------
  metricKey("metricActiveConnections", "websocket_active_connections", "Gauge: open WebSocket connections."),
  metricKey("metricConnectionsTotal", "websocket_connections_total", "Counter: accepted connections."),
  metricKey("metricDisconnectionsTotal", "websocket_disconnections_total", "Counter: closed connections, label `reason`."),
  metricKey("metricMessagesTotal", "websocket_messages_total", "Counter: messages, label `direction` (`in`/`out`)."),
  metricKey("metricConnectionDuration", "websocket_connection_duration_seconds", "Histogram: connection lifetime in seconds (base name, without `_bucket`)."),
  metricKey("metricProcessCpu", "process_cpu_seconds_total", "Counter: CPU seconds the process used (Prometheus client libraries' standard process metric); the dashboard's saturation row."),
  metricKey("metricResidentMemory", "process_resident_memory_bytes", "Gauge: resident memory of the process in bytes (standard process metric)."),
  metricKey("metricOpenFds", "process_open_fds", "Gauge: open file descriptors of the process (standard process metric); each WebSocket holds one."),
  metricKey("metricMaxFds", "process_max_fds", "Gauge: the process's file-descriptor limit (standard process metric)."),
  metricKey("metricEventLoopLag", "nodejs_eventloop_lag_p99_seconds", "Gauge: event-loop lag in seconds, where the service has an event loop (prom-client's default for Node.js; the panel shows no data for services without one)."),
  metricKey("metricUpgradesTotal", "websocket_upgrades_total", "Counter: WebSocket upgrade requests by `outcome` (`accepted`, `rejected`) and the HTTP `status` answered (`101`, or the refusal's, e.g. `503` at the connection limit)."),
  metricKey("metricHandshakeDuration", "websocket_handshake_duration_seconds", "Histogram: time from an upgrade request to its accepted connection, in seconds (base name)."),
  metricKey("metricClosesTotal", "websocket_closes_total", "Counter: closed connections by close `code`: `1000` (normal), `1001` (going away), `1006` (ended without a close frame), `1011` (server error), `1012` (service restart), `1013` (try again later), `other`."),
  metricKey("metricMessageDuration", "websocket_message_duration_seconds", "Histogram: time to handle a received message, until its answer is written, in seconds (base name)."),
  metricKey("metricConnectionLimit", "websocket_connection_limit", "Gauge: the connections an instance accepts; beyond it the service refuses upgrades (HTTP 503)."),


  // --- Alerts ---------------------------------------------------------------------------------
  {
    key: "alertEngine", group: "Alerts", kind: "enum", values: ALERT_ENGINES, default: "grafana",
    doc: "Who evaluates the alerts and notifies. `grafana`: Grafana-managed rules, contact points and routing (`grafanaRouting`). `prometheus`: the same rules in Prometheus, routed by Alertmanager (local: a rule file and `alertmanager.yml` for the processes `npm run up` starts; docker: an Alertmanager container; kubernetes: a `PrometheusRule` and an `AlertmanagerConfig`).",
  },
  {
    key: "grafanaRouting", group: "Alerts", kind: "enum", values: GRAFANA_ROUTINGS,
    default: { local: "policyTree", docker: "policyTree", kubernetes: "perRule" },
    doc: "With `alertEngine` `grafana`: `policyTree` makes the stack own the organisation's notification policy tree (for a Grafana of its own; `pulumi destroy` resets the tree); `perRule` puts the routing on each rule (Grafana's per-rule notification settings) and leaves the tree alone (for a shared Grafana). See \"Alerts\" in README for the Grafana versions each needs.",
  },
  {
    key: "alertEvaluationInterval", group: "Alerts", kind: "duration", default: "1m", min: 1, max: 3600,
    doc: "Evaluation interval of the rule group; every pending period must be a multiple of it. With alertEngine `grafana` a multiple of 10s (Grafana's scheduler base interval).",
  },
  {
    key: "connectionsWarning", group: "Alerts", kind: "integer", default: "800", min: 1, max: 10_000_000,
    doc: "Gauge turns yellow at this many connections; below `connectionsMax`.",
  },
  {
    key: "connectionsMax", group: "Alerts", kind: "integer", default: "1000", min: 1, max: 10_000_000,
    doc: "`WebSocketConnectionsAboveThreshold` fires above this many connections (sum over instances); gauge turns red.",
  },
  {
    key: "aboveThresholdFor", group: "Alerts", kind: "duration", default: "5m", min: 0, max: 86400,
    doc: "Pending period of `WebSocketConnectionsAboveThreshold`.",
  },
  {
    key: "noConnectionsFor", group: "Alerts", kind: "duration", default: "10m", min: 0, max: 86400,
    doc: "Pending period of `WebSocketNoActiveConnections`.",
  },
  {
    key: "unstableChangeRatio", group: "Alerts", kind: "number", default: "0.5", min: 0.05, max: 10,
    doc: "`WebSocketConnectionCountUnstable` fires when the count differs from the count `unstableWindow` ago by more than this fraction of that earlier count, up or down.",
  },
  {
    key: "unstableWindow", group: "Alerts", kind: "duration", default: "5m", min: 60, max: 86400,
    doc: "Window over which the change of the count is measured.",
  },
  {
    key: "unstableMinBaseline", group: "Alerts", kind: "integer", default: "20", min: 1, max: 10_000_000,
    doc: "The earlier count is taken as at least this many connections, so that changes of small counts (night, start of day) do not look unstable.",
  },
  {
    key: "unstableFor", group: "Alerts", kind: "duration", default: "2m", min: 0, max: 86400,
    doc: "Pending period of `WebSocketConnectionCountUnstable`.",
  },
  {
    key: "serviceDownFor", group: "Alerts", kind: "duration", default: "1m", min: 0, max: 86400,
    doc: "Pending period of `WebSocketServiceDown`.",
  },
  // --- The WebSocket layer (optional signals) ------------------------------------------------
  {
    key: "exposesUpgrades", group: "WebSocket layer", kind: "boolean", default: "false",
    doc: "The service exposes `metricUpgradesTotal` (upgrade requests by outcome): turns on `WebSocketHandshakeFailures` and the `handshake` objective (`WebSocketHandshakeBudgetBurn`). Off, nothing about upgrades pages, and their absence is no `metric_missing`.",
  },
  {
    key: "exposesCloseCodes", group: "WebSocket layer", kind: "boolean", default: "false",
    doc: "The service exposes `metricClosesTotal` (closes by close code): turns on `WebSocketAbnormalCloses`.",
  },
  {
    key: "exposesConnectionLimit", group: "WebSocket layer", kind: "boolean", default: "false",
    doc: "The service exposes `metricConnectionLimit` (the connections an instance accepts): turns on `WebSocketConnectionsNearLimit`.",
  },
  {
    key: "layerWindow", group: "WebSocket layer", kind: "duration", default: "5m", min: 10, max: 3600,
    doc: "Window of the shares `WebSocketHandshakeFailures` and `WebSocketAbnormalCloses` compare (rejected upgrades of all, abnormal closes of all); at least 4 x `scrapeInterval`.",
  },
  {
    key: "handshakeFailureRatio", group: "WebSocket layer", kind: "number", default: "0.05", min: 0.001, max: 1,
    doc: "`WebSocketHandshakeFailures` (warning) fires when more than this share of upgrade requests is refused over `layerWindow`.",
  },
  {
    key: "handshakeFailuresFor", group: "WebSocket layer", kind: "duration", default: "5m", min: 0, max: 86400,
    doc: "Pending period of `WebSocketHandshakeFailures`.",
  },
  {
    key: "connectionLimitShare", group: "WebSocket layer", kind: "number", default: "0.8", min: 0.01, max: 1,
    doc: "`WebSocketConnectionsNearLimit` (warning) fires when an instance holds more than this share of its connection limit: before it starts refusing clients.",
  },
  {
    key: "nearLimitFor", group: "WebSocket layer", kind: "duration", default: "5m", min: 0, max: 86400,
    doc: "Pending period of `WebSocketConnectionsNearLimit`.",
  },
  {
    key: "imbalanceFactor", group: "WebSocket layer", kind: "number", default: "1.5", min: 1, max: 100,
    doc: "`WebSocketInstanceImbalance` (warning) fires when one instance holds more than this factor of the average per instance (at least two instances; with two, 1.5 is a 75/25 split, and 2 can never be exceeded): long-lived connections piled up after a deploy, which Kubernetes does not rebalance.",
  },
  {
    key: "imbalanceMinConnections", group: "WebSocket layer", kind: "integer", default: "100", min: 1, max: 10_000_000,
    doc: "`WebSocketInstanceImbalance` only when the service holds at least this many connections in all: small counts are uneven by chance.",
  },
  {
    key: "imbalanceFor", group: "WebSocket layer", kind: "duration", default: "15m", min: 0, max: 86400,
    doc: "Pending period of `WebSocketInstanceImbalance`.",
  },
  {
    key: "abnormalCloseRatio", group: "WebSocket layer", kind: "number", default: "0.1", min: 0.001, max: 1,
    doc: "`WebSocketAbnormalCloses` (warning) fires when more than this share of closes over `layerWindow` are abnormal (1006: no close frame; 1011: server error), which clients see as drops.",
  },
  {
    key: "abnormalClosesFor", group: "WebSocket layer", kind: "duration", default: "5m", min: 0, max: 86400,
    doc: "Pending period of `WebSocketAbnormalCloses`. At least `layerWindow` (the defaults: 5m each), one burst of drops never fires it, since the burst leaves the window first: it warns of drops that go on (a proxy cutting connections, a flapping network), on purpose; one burst shows on the dashboard and in the `connections` objective. Shorter, a burst large enough fires it too.",
  },
  {
    key: "runbookBaseUrl", group: "Alerts", kind: "url", required: true,
    doc: "Base URL of the runbooks (this repo's `docs/runbooks.md` as published); each alert links `<runbookBaseUrl>#<alert name in lower case>`.",
  },
  {
    key: "operationalTimezone", group: "Alerts", kind: "string", default: "UTC", pattern: /^[A-Za-z_+\-\/0-9]{1,64}$/, patternDoc: "an IANA time zone such as Europe/Berlin",
    doc: "Time zone of the operational hours.",
  },
  {
    key: "operationalDays", group: "Alerts", kind: "list", default: "[\"monday:friday\"]",
    pattern: /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(:(monday|tuesday|wednesday|thursday|friday|saturday|sunday))?$/,
    patternDoc: "weekday names or ranges such as monday:friday",
    doc: "Days of the operational hours.",
  },
  {
    key: "operationalStart", group: "Alerts", kind: "string", default: "08:00", pattern: CLOCK, patternDoc: CLOCK_DOC,
    doc: "Start of the operational hours: `WebSocketNoActiveConnections` notifies only inside them.",
  },
  {
    key: "operationalEnd", group: "Alerts", kind: "string", default: "20:00", pattern: CLOCK, patternDoc: CLOCK_DOC,
    doc: "End of the operational hours (after `operationalStart`).",
  },

  // --- Objectives --------------------------------------------------------------------------------
  {
    key: "sloAvailabilityObjective", group: "Objectives", kind: "number", default: "99.9", min: 0, max: 100,
    doc: "Objective of the `availability` SLO, in percent: the share of probes that succeed over `sloPeriod`: of `/ws/health` (`probe_success` of `healthJobName`) and, with `upgradeProbe`, of the upgrade on `/ws` (of `upgradeJobName`), since a service whose health endpoint answers while upgrades fail is not available to its clients. Strictly between 0 and 100.",
  },
  {
    key: "sloConnectionsObjective", group: "Objectives", kind: "number", default: "99.5", min: 0, max: 100,
    doc: "Objective of the `connections` SLO, in percent: the share of closed connections that closed normally (`metricDisconnectionsTotal` with a `reason` other than `error` or `timeout`) over `sloPeriod`. Strictly between 0 and 100.",
  },
  {
    key: "sloHandshakeObjective", group: "Objectives", kind: "number", default: "99.9", min: 0, max: 100,
    doc: "Objective of the `handshake` SLO, in percent: the share of WebSocket upgrade requests the service accepts (`metricUpgradesTotal` with `outcome` `accepted`) over `sloPeriod`. Only where the service exposes them (`exposesUpgrades`). Strictly between 0 and 100.",
  },
  {
    key: "sloRolloutWindow", group: "Objectives", kind: "duration", default: "5m", min: 0, max: 3600,
    doc: "Refused upgrades within this long of a process start (`process_start_time_seconds`: a new pod of a rollout, a restart) or a drain (`server_shutdown` disconnections) of the job are not errors of the `handshake` SLO: the reconnect storm of a routine deploy, whose refused clients get in on their retry. Refusals that go on longer, or without a process start, count. `0s`: every refusal counts. A crash is `WebSocketUnexpectedRestart`'s.",
  },
  {
    key: "sloPeriod", group: "Objectives", kind: "duration", default: "30d", min: 3600, max: 90 * 86400,
    doc: "Period of the SLOs' error budgets. The burn-rate windows (5m, 30m, 1h, 2h, 6h, 1d, 3d for 30d) scale with it, so each tier still alerts on the same share of the budget; its shortest window must hold 2 scrapes. Where the stack runs Prometheus (local, docker) it keeps its data for the period and a quarter more; on Kubernetes at most `k8sPrometheusRetention`.",
  },
  {
    key: "sloPageFor", group: "Objectives", kind: "duration", default: "2m", min: 0, max: 86400,
    doc: "Pending period of the SLO pages (`severity: critical`, the 14.4x and 6x burn tiers).",
  },
  {
    key: "sloTicketFor", group: "Objectives", kind: "duration", default: "15m", min: 0, max: 86400,
    doc: "Pending period of the SLO tickets (`severity: warning`, the 3x and 1x burn tiers).",
  },

  // --- E-mail ------------------------------------------------------------------------------------
  {
    key: "smtpHost", group: "E-mail", kind: "string", pattern: HOST_PORT, patternDoc: HOST_PORT_DOC,
    doc: "SMTP server (host:port) that sends the alert e-mails: on `local` the Alertmanager's (`alertEngine` `prometheus`); the Grafana container's on `docker`; on `kubernetes` with `alertEngine` `prometheus` the AlertmanagerConfig's own, so that the e-mail receiver never depends on the shared Alertmanager's global SMTP settings. Required there when `emailAddresses` is set.",
  },
  {
    key: "smtpUser", group: "E-mail", kind: "string", pattern: /^.{1,200}$/, patternDoc: "1-200 characters",
    doc: "SMTP user (optional).",
  },
  {
    key: "smtpPassword", group: "E-mail", kind: "string", secret: true, enablesFeature: true,
    doc: "SMTP password (optional); on `kubernetes` it goes into the receivers' Secret, which the AlertmanagerConfig references.",
  },
  {
    key: "smtpFromAddress", group: "E-mail", kind: "string", default: "grafana@localhost", pattern: /^[^@\s]+@[^@\s]+$/, patternDoc: "an e-mail address",
    doc: "Sender address of alert e-mails.",
  },
  {
    key: "smtpRequireTls", group: "E-mail", kind: "boolean", default: "true", platforms: ["local"],
    doc: "Whether the local Alertmanager requires STARTTLS of `smtpHost` (its `smtp_require_tls`); `false` for a plain SMTP server on the machine, such as the end-to-end test's.",
  },

  // --- Notifications ---------------------------------------------------------------------------
  {
    key: "slackWebhookUrl", group: "Notifications", kind: "url", secret: true,
    doc: "Slack incoming-webhook URL (https; http only to 127.0.0.1 or localhost, a receiver on this machine).",
  },
  {
    key: "slackChannel", group: "Notifications", kind: "string", pattern: /^[#@]?[a-z0-9._-]{1,80}$/, patternDoc: "a Slack channel such as #alerts",
    doc: "Slack channel override (optional).",
  },
  {
    key: "emailAddresses", group: "Notifications", kind: "list", pattern: /^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$/, patternDoc: "e-mail addresses",
    doc: "Recipients of alert e-mails.",
  },
  {
    key: "webhookUrl", group: "Notifications", kind: "url", secret: true,
    doc: "Generic webhook URL that receives the JSON alert payload (Grafana's, or Alertmanager's with `alertEngine` `prometheus`).",
  },
  {
    key: "criticalReceivers", group: "Notifications", kind: "list", values: RECEIVER_KINDS,
    defaultDoc: "every configured kind",
    doc: "Which configured kinds (`slack`, `email`, `webhook`) get `severity=critical` alerts.",
  },
  {
    key: "warningReceivers", group: "Notifications", kind: "list", values: RECEIVER_KINDS,
    defaultDoc: "every configured kind",
    doc: "Which configured kinds get `severity=warning` alerts.",
  },
  {
    key: "groupWait", group: "Notifications", kind: "duration", default: "30s", min: 0, max: 3600,
    doc: "Notification policy: wait before the first notification of a group.",
  },
  {
    key: "groupInterval", group: "Notifications", kind: "duration", default: "5m", min: 1, max: 86400,
    doc: "Notification policy: wait before notifying about new alerts of a group.",
  },
  {
    key: "repeatInterval", group: "Notifications", kind: "duration", default: "4h", min: 60, max: 604800,
    doc: "Notification policy: repeat a still-firing alert after this long.",
  },
  {
    key: "heartbeatUrl", group: "Notifications", kind: "url", secret: true, enablesFeature: true,
    doc: "Dead man's switch: where the always-firing `WebSocketMonitoringHeartbeat` is sent, every `heartbeatInterval`, and nothing else (a healthchecks-style URL). The receiver must alarm when the heartbeat stops arriving: then the monitoring itself is down. Unset: no heartbeat.",
  },
  {
    key: "heartbeatInterval", group: "Notifications", kind: "duration", default: "1m", min: 2, max: 3600,
    doc: "How often the heartbeat is sent to `heartbeatUrl`, on time (its route flushes every second and repeats half a second before the interval); at least `alertEvaluationInterval`.",
  },
] as const satisfies readonly KeySpec[];

/** Every key of the table: reading a key that is not in it does not compile. */
export type ConfigKey = (typeof TABLE)[number]["key"];
/** The spec of one key, with its literal kind, values and defaults (config/values.ts types values by it). */
export type SpecOf<K extends ConfigKey> = Extract<(typeof TABLE)[number], { key: K }>;

export const SCHEMA: readonly (KeySpec & { key: ConfigKey })[] = TABLE;

const SPECS = new Map<string, KeySpec>(SCHEMA.map((spec) => [spec.key, spec]));

export function isConfigKey(key: string): key is ConfigKey {
  return SPECS.has(key);
}

export function specOf<K extends ConfigKey>(key: K): SpecOf<K> {
  // The map is built from the table, so every ConfigKey is in it.
  return SPECS.get(key) as SpecOf<K>;
}

export function defaultFor(spec: KeySpec, platform: Platform): string | undefined {
  if (spec.default === undefined || typeof spec.default === "string") return spec.default;
  return spec.default[platform];
}

export function isRequired(spec: KeySpec, platform: Platform): boolean {
  if (spec.required === true) return true;
  return Array.isArray(spec.required) && spec.required.includes(platform);
}

export function appliesTo(spec: KeySpec, platform: Platform): boolean {
  return (spec.platforms ?? ALL_PLATFORMS).includes(platform);
}
