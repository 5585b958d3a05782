// Generated from config/schema.ts by 'npm run docs:config' (config/argsSource.ts); do not edit.
import type * as pulumi from "@pulumi/pulumi";

/** What is the same for every service of an environment: the stack-wide config keys, under the same names. */
export interface EnvironmentArgs {
  /** Where Prometheus runs: `local` (processes on this machine, scrape config written to a file), `docker` (Prometheus, blackbox exporter and Grafana containers), `kubernetes` (prometheus-operator objects, existing Grafana). Allowed: one of 'local', 'docker', 'kubernetes'. */
  platform: string;
  /** Environment name: used in resource names, alert labels (`environment`) and notification titles. Allowed: lower-case letters, digits and '-', 2-32 characters, starting with a letter. */
  environment?: string;
  /** Prefix of every resource name (`<namePrefix>-<environment>-…`). Allowed: lower-case letters, digits and '-', 2-32 characters, starting with a letter. */
  namePrefix?: string;
  /** Protect the Grafana folder, dashboards and rule groups (with `alertEngine` `prometheus` on Kubernetes: the PrometheusRules and the AlertmanagerConfig), and a created datasource, from deletion: `pulumi destroy` refuses until it is set to false. Set it for production. Allowed: true or false. */
  protect?: boolean;
  /** Base URL of the Grafana HTTP API; also the base of the dashboard and folder URLs in the outputs. Allowed: an http(s) URL. */
  grafanaUrl?: string;
  /** Grafana credentials: `user:password` (basic auth) or a service account token. On `docker` the user:password form also sets the container's admin account. On `kubernetes` required unless `dashboardDelivery` is `configMap` (with `alertEngine` `prometheus` the stack then calls no Grafana API). Allowed: a non-empty string. A secret: it stays a Pulumi secret. */
  grafanaAuth?: pulumi.Input<string>;
  /** Title of the Grafana folder. Its uid is `websocket-monitoring` (stable URL `/dashboards/f/websocket-monitoring`), with `-<uidSuffix>` when that is set. Allowed: 1-100 characters. */
  folderTitle?: string;
  /** For several environments in one Grafana organisation: the folder uid becomes `websocket-monitoring-<uidSuffix>` and the dashboard uid `websocket-service-monitoring-<uidSuffix>`. Unset: the uids without suffix (`/dashboards/f/websocket-monitoring`). Changing it replaces the folder and dashboard. Allowed: 1-11 lower-case letters, digits or '-', starting with a letter or digit. */
  uidSuffix?: string;
  /** Title of the dashboard (uid `websocket-service-monitoring`, with `-<uidSuffix>` when that is set). Allowed: 1-100 characters. */
  dashboardTitle?: string;
  /** Dashboard auto-refresh; must not be shorter than `scrapeInterval` (faster refreshes only re-read the same samples). Allowed: a duration such as 30s, 5m, 1h from 5s to 1h. */
  dashboardRefresh?: string;
  /** Uid of the Prometheus datasource the dashboard and alert rules query. Created by the stack when `createDatasource` is true, otherwise it must exist in Grafana. Allowed: 1-40 letters, digits, '_' or '-'. */
  datasourceUid?: string;
  /** Create the Prometheus datasource (where the stack runs Prometheus itself) or reference an existing one by `datasourceUid`. Allowed: true or false. */
  createDatasource?: boolean;
  /** URL at which Grafana reaches Prometheus (the created datasource's URL). On `local` also used to reload Prometheus after the scrape config changes. Required on `kubernetes` when `createDatasource` is true. Allowed: an http(s) URL. */
  prometheusUrl?: string;
  /** How often Prometheus scrapes the service and probes its health. Allowed: a duration such as 30s, 5m, 1h from 1s to 5m. */
  scrapeInterval?: string;
  /** Scrape and probe timeout; must not exceed `scrapeInterval`. Allowed: a duration such as 30s, 5m, 1h from 1s to 5m. */
  scrapeTimeout?: string;
  /** Address of the blackbox exporter that probes `healthPath`. Allowed: host:port. */
  blackboxExporter?: string;
  /** Blackbox module of the health probe. `websocket_health` (shipped in `prometheus/blackbox.yml`) also requires `"status":"healthy"` in the body. Allowed: a blackbox module name. */
  blackboxModule?: string;
  /** Namespace of every object the stack creates (ServiceMonitor, Probe, scrape-config Secret, PrometheusRule, AlertmanagerConfig and its receivers' Secret): where the operator's Prometheus and Alertmanager look for them. Allowed: a Kubernetes namespace name. */
  k8sNamespace?: string;
  /** How the operator's Prometheus gets the scrape jobs. `serviceMonitor`: a ServiceMonitor and a Probe (which discovery role the operator generates is the `Prometheus` resource's `serviceDiscoveryRole`: set `EndpointSlice`, as Endpoints are deprecated since Kubernetes 1.33). `additionalScrapeConfig`: a Secret with plain scrape jobs (`endpointslice` discovery) for the `Prometheus` resource's `spec.additionalScrapeConfigs`, for a Prometheus that does not select this team's ServiceMonitors and Probes. Allowed: one of 'serviceMonitor', 'additionalScrapeConfig'. */
  k8sScrapeMode?: string;
  /** The retention of the operator's `Prometheus` that evaluates this stack (its `spec.retention`; the operator's default is 24h, Prometheus' own 15d). Unset: not known to the stack, and README says what it must be. Set: `sloPeriod` must fit in it, or the objectives and their panels would read a shorter period than they say. Allowed: a duration such as 30s, 5m, 1h from 1h to 87600h. */
  k8sPrometheusRetention?: string;
  /** Labels on the ServiceMonitor and Probe so that the operator's Prometheus selects them. Allowed: a JSON object of label names to string values, e.g. {"app":"websocket"}. */
  k8sMonitorLabels?: { [key: string]: string };
  /** How the dashboards reach Grafana. `grafanaApi`: through Grafana's HTTP API (the Grafana provider; a folder of the stack's). `configMap`: as ConfigMaps in `k8sNamespace` that the Grafana sidecar of kube-prometheus-stack loads (labels `dashboardConfigMapLabels`, folder `folderTitle` from the annotation `dashboardFolderAnnotation`); needs `alertEngine` `prometheus`, and then the stack calls no Grafana API and needs no `grafanaAuth`. Allowed: one of 'grafanaApi', 'configMap'. */
  dashboardDelivery?: string;
  /** With `dashboardDelivery` `configMap`: the labels the Grafana sidecar selects dashboard ConfigMaps by (kube-prometheus-stack: `grafana.sidecar.dashboards.label`/`labelValue`). Allowed: a JSON object of label names to string values, e.g. {"app":"websocket"}. */
  dashboardConfigMapLabels?: { [key: string]: string };
  /** With `dashboardDelivery` `configMap`: the annotation whose value (`folderTitle`) names the dashboard's folder (kube-prometheus-stack: `grafana.sidecar.dashboards.folderAnnotation`). Allowed: a Kubernetes annotation key. */
  dashboardFolderAnnotation?: string;
  /** Docker network shared by the Prometheus, blackbox exporter and Grafana containers (attach the service to it too). Allowed: a Docker network name. */
  dockerNetwork?: string;
  /** Prometheus image. Allowed: a pinned image reference (tag or digest, not `latest`). */
  prometheusImage?: string;
  /** Grafana image (12.1 or later: notification-policy active time intervals). Allowed: a pinned image reference (tag or digest, not `latest`). */
  grafanaImage?: string;
  /** Blackbox exporter image. Allowed: a pinned image reference (tag or digest, not `latest`). */
  blackboxImage?: string;
  /** Alertmanager image (with `alertEngine` `prometheus`). Allowed: a pinned image reference (tag or digest, not `latest`). */
  alertmanagerImage?: string;
  /** Host port of Prometheus (published container port on `docker`, listen port on `local`). Allowed: a whole number from 1024 to 65535. */
  prometheusPort?: number;
  /** Host port of Grafana (published container port on `docker`, listen port on `local`). Allowed: a whole number from 1024 to 65535. */
  grafanaPort?: number;
  /** Host port of Alertmanager with `alertEngine` `prometheus` (published container port on `docker`, listen port on `local`). Allowed: a whole number from 1024 to 65535. */
  alertmanagerPort?: number;
  /** Keep the Prometheus and Grafana data volumes on `pulumi destroy` (they are removed otherwise). Allowed: true or false. */
  keepData?: boolean;
  /** Where the `local` platform writes `prometheus.yml` (relative paths are relative to the project), and `rules.yml` beside it with `alertEngine` `prometheus`; Prometheus is reloaded through `prometheusUrl` after each change. Allowed: a file path. */
  prometheusConfigFile?: string;
  /** Where the `local` platform writes `alertmanager.yml` with `alertEngine` `prometheus`; Alertmanager (`alertmanagerPort`) is reloaded after each change. Allowed: a file path. */
  alertmanagerConfigFile?: string;
  /** Who evaluates the alerts and notifies. `grafana`: Grafana-managed rules, contact points and routing (`grafanaRouting`). `prometheus`: the same rules in Prometheus, routed by Alertmanager (local: a rule file and `alertmanager.yml` for the processes `npm run up` starts; docker: an Alertmanager container; kubernetes: a `PrometheusRule` and an `AlertmanagerConfig`). Allowed: one of 'grafana', 'prometheus'. */
  alertEngine?: string;
  /** With `alertEngine` `grafana`: `policyTree` makes the stack own the organisation's notification policy tree (for a Grafana of its own; `pulumi destroy` resets the tree); `perRule` puts the routing on each rule (Grafana's per-rule notification settings) and leaves the tree alone (for a shared Grafana). See "Alerts" in README for the Grafana versions each needs. Allowed: one of 'policyTree', 'perRule'. */
  grafanaRouting?: string;
  /** Evaluation interval of the rule group; every pending period must be a multiple of it. With alertEngine `grafana` a multiple of 10s (Grafana's scheduler base interval). Allowed: a duration such as 30s, 5m, 1h from 1s to 1h. */
  alertEvaluationInterval?: string;
  /** Period of the SLOs' error budgets. The burn-rate windows (5m, 30m, 1h, 2h, 6h, 1d, 3d for 30d) scale with it, so each tier still alerts on the same share of the budget; its shortest window must hold 2 scrapes. Where the stack runs Prometheus (local, docker) it keeps its data for the period and a quarter more; on Kubernetes at most `k8sPrometheusRetention`. Allowed: a duration such as 30s, 5m, 1h from 1h to 2160h. */
  sloPeriod?: string;
  /** Pending period of the SLO pages (`severity: critical`, the 14.4x and 6x burn tiers). Allowed: a duration such as 30s, 5m, 1h from 0s to 24h. */
  sloPageFor?: string;
  /** Pending period of the SLO tickets (`severity: warning`, the 3x and 1x burn tiers). Allowed: a duration such as 30s, 5m, 1h from 0s to 24h. */
  sloTicketFor?: string;
  /** SMTP server (host:port) that sends the alert e-mails: on `local` the Alertmanager's (`alertEngine` `prometheus`); the Grafana container's on `docker`; on `kubernetes` with `alertEngine` `prometheus` the AlertmanagerConfig's own, so that the e-mail receiver never depends on the shared Alertmanager's global SMTP settings. Required there when `emailAddresses` is set. Allowed: host:port. */
  smtpHost?: string;
  /** SMTP user (optional). Allowed: 1-200 characters. */
  smtpUser?: string;
  /** SMTP password (optional); on `kubernetes` it goes into the receivers' Secret, which the AlertmanagerConfig references. Allowed: a non-empty string. A secret: it stays a Pulumi secret. */
  smtpPassword?: pulumi.Input<string>;
  /** Sender address of alert e-mails. Allowed: an e-mail address. */
  smtpFromAddress?: string;
  /** Whether the local Alertmanager requires STARTTLS of `smtpHost` (its `smtp_require_tls`); `false` for a plain SMTP server on the machine, such as the end-to-end test's. Allowed: true or false. */
  smtpRequireTls?: boolean;
  /** Slack incoming-webhook URL (https; http only to 127.0.0.1 or localhost, a receiver on this machine). Allowed: an http(s) URL. A secret: it stays a Pulumi secret. */
  slackWebhookUrl?: pulumi.Input<string>;
  /** Slack channel override (optional). Allowed: a Slack channel such as #alerts. */
  slackChannel?: string;
  /** Recipients of alert e-mails. Allowed: a JSON list of e-mail addresses. */
  emailAddresses?: string[];
  /** Generic webhook URL that receives the JSON alert payload (Grafana's, or Alertmanager's with `alertEngine` `prometheus`). Allowed: an http(s) URL. A secret: it stays a Pulumi secret. */
  webhookUrl?: pulumi.Input<string>;
  /** Which configured kinds (`slack`, `email`, `webhook`) get `severity=critical` alerts. Allowed: a JSON list of 'slack', 'email', 'webhook'. */
  criticalReceivers?: string[];
  /** Which configured kinds get `severity=warning` alerts. Allowed: a JSON list of 'slack', 'email', 'webhook'. */
  warningReceivers?: string[];
  /** Notification policy: wait before the first notification of a group. Allowed: a duration such as 30s, 5m, 1h from 0s to 1h. */
  groupWait?: string;
  /** Notification policy: wait before notifying about new alerts of a group. Allowed: a duration such as 30s, 5m, 1h from 1s to 24h. */
  groupInterval?: string;
  /** Notification policy: repeat a still-firing alert after this long. Allowed: a duration such as 30s, 5m, 1h from 1m to 168h. */
  repeatInterval?: string;
  /** Dead man's switch: where the always-firing `WebSocketMonitoringHeartbeat` is sent, every `heartbeatInterval`, and nothing else (a healthchecks-style URL). The receiver must alarm when the heartbeat stops arriving: then the monitoring itself is down. Unset: no heartbeat. Allowed: an http(s) URL. A secret: it stays a Pulumi secret. */
  heartbeatUrl?: pulumi.Input<string>;
  /** How often the heartbeat is sent to `heartbeatUrl`, on time (its route flushes every second and repeats half a second before the interval); at least `alertEvaluationInterval`. Allowed: a duration such as 30s, 5m, 1h from 2s to 1h. */
  heartbeatInterval?: string;
}

/** One WebSocket service: the per-service config keys, under the same names. */
export interface ServiceArgs {
  /** The service's name: a DNS label, unique in the environment; the alerts' `service` label and part of its resources' names. Unset only for an environment's one service, named after its job, with the names of a single-service stack. */
  name?: string;
  /** Prometheus job that scrapes `metricsPath`; every query filters on it. Allowed: a Prometheus job name ([a-zA-Z_][a-zA-Z0-9_-]*). */
  jobName?: string;
  /** Prometheus job that probes `healthPath` through the blackbox exporter (`probe_success`). Allowed: a Prometheus job name ([a-zA-Z_][a-zA-Z0-9_-]*). */
  healthJobName?: string;
  /** Path of the Prometheus metrics endpoint of the service. Allowed: an absolute URL path such as /ws/metrics. */
  metricsPath?: string;
  /** Path of the JSON health endpoint (200 `{"status":"healthy"}`, 503 when unhealthy). Allowed: an absolute URL path such as /ws/metrics. */
  healthPath?: string;
  /** Scheme used to scrape and probe the service. Allowed: one of 'http', 'https'. */
  scheme?: string;
  /** Instances of the service to scrape, e.g. `["127.0.0.1:8080"]` (on Kubernetes the service is discovered by `k8sServiceSelector` instead). Allowed: a JSON list of host:port. */
  targets?: string[];
  /** URL of the health endpoint as the blackbox exporter reaches it (on `kubernetes` usually a cluster-internal address). Allowed: an http(s) URL. */
  healthUrl?: string;
  /** URL of the health endpoint as a browser reaches it, linked from the dashboard ("Health endpoint"). Docker and Kubernetes stacks probe an address that only their network resolves, so they show the link only when this is set. Allowed: an http(s) URL. */
  healthLinkUrl?: string;
  /** Besides `healthPath`, the blackbox exporter performs a real WebSocket upgrade on `/ws` of each instance (`upgradeProbeModule`) and expects `101 Switching Protocols`: a client of the service, each probe one accepted connection closed normally (1000). A failed upgrade is `WebSocketServiceDown` with reason `upgrade_failed`, and the `availability` SLO counts both probes. On `kubernetes` off by default: the cluster's blackbox exporter needs the module first (README, *The upgrade probe* under Alerts). Allowed: true or false. */
  upgradeProbe?: boolean;
  /** Blackbox module of the upgrade probe: a `tcp` module that sends the upgrade request and expects `HTTP/1.1 101` (`websocket_upgrade`, shipped in `prometheus/blackbox.yml`). With `scheme` https it must be a module of yours with `tls: true`. Allowed: a blackbox module name. */
  upgradeProbeModule?: string;
  /** Prometheus job of the upgrade probe (`upgradeProbe`): `probe_success` of each instance (host:port of each of `targets`; on `kubernetes` of `healthUrl`, port 80 or 443 by its scheme when it names none). Allowed: a Prometheus job name ([a-zA-Z_][a-zA-Z0-9_-]*). */
  upgradeJobName?: string;
  /** Namespace of the WebSocket service. Allowed: a Kubernetes namespace name. */
  k8sServiceNamespace?: string;
  /** Labels of the WebSocket service's Kubernetes Service, e.g. `{"app":"websocket"}`. Allowed: a JSON object of label names to string values, e.g. {"app":"websocket"}. */
  k8sServiceSelector?: { [key: string]: string };
  /** Name of the Service port that serves `metricsPath`. Allowed: a Service port name. */
  k8sServicePort?: string;
  /** Gauge: open WebSocket connections. Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricActiveConnections?: string;
  /** Counter: accepted connections. Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricConnectionsTotal?: string;
  /** Counter: closed connections, label `reason`. Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricDisconnectionsTotal?: string;
  /** Counter: messages, label `direction` (`in`/`out`). Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricMessagesTotal?: string;
  /** Histogram: connection lifetime in seconds (base name, without `_bucket`). Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricConnectionDuration?: string;
  /** Counter: CPU seconds the process used (Prometheus client libraries' standard process metric); the dashboard's saturation row. Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricProcessCpu?: string;
  /** Gauge: resident memory of the process in bytes (standard process metric). Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricResidentMemory?: string;
  /** Gauge: open file descriptors of the process (standard process metric); each WebSocket holds one. Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricOpenFds?: string;
  /** Gauge: the process's file-descriptor limit (standard process metric). Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricMaxFds?: string;
  /** Gauge: event-loop lag in seconds, where the service has an event loop (prom-client's default for Node.js; the panel shows no data for services without one). Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricEventLoopLag?: string;
  /** Counter: WebSocket upgrade requests by `outcome` (`accepted`, `rejected`) and the HTTP `status` answered (`101`, or the refusal's, e.g. `503` at the connection limit). Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricUpgradesTotal?: string;
  /** Histogram: time from an upgrade request to its accepted connection, in seconds (base name). Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricHandshakeDuration?: string;
  /** Counter: closed connections by close `code`: `1000` (normal), `1001` (going away), `1006` (ended without a close frame), `1011` (server error), `1012` (service restart), `1013` (try again later), `other`. Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricClosesTotal?: string;
  /** Histogram: time to handle a received message, until its answer is written, in seconds (base name). Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricMessageDuration?: string;
  /** Gauge: the connections an instance accepts; beyond it the service refuses upgrades (HTTP 503). Allowed: a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
  metricConnectionLimit?: string;
  /** Gauge turns yellow at this many connections; below `connectionsMax`. Allowed: a whole number from 1 to 10000000. */
  connectionsWarning?: number;
  /** `WebSocketConnectionsAboveThreshold` fires above this many connections (sum over instances); gauge turns red. Allowed: a whole number from 1 to 10000000. */
  connectionsMax?: number;
  /** Pending period of `WebSocketConnectionsAboveThreshold`. Allowed: a duration such as 30s, 5m, 1h from 0s to 24h. */
  aboveThresholdFor?: string;
  /** Pending period of `WebSocketNoActiveConnections`. Allowed: a duration such as 30s, 5m, 1h from 0s to 24h. */
  noConnectionsFor?: string;
  /** `WebSocketConnectionCountUnstable` fires when the count differs from the count `unstableWindow` ago by more than this fraction of that earlier count, up or down. Allowed: a number from 0.05 to 10. */
  unstableChangeRatio?: number;
  /** Window over which the change of the count is measured. Allowed: a duration such as 30s, 5m, 1h from 1m to 24h. */
  unstableWindow?: string;
  /** The earlier count is taken as at least this many connections, so that changes of small counts (night, start of day) do not look unstable. Allowed: a whole number from 1 to 10000000. */
  unstableMinBaseline?: number;
  /** Pending period of `WebSocketConnectionCountUnstable`. Allowed: a duration such as 30s, 5m, 1h from 0s to 24h. */
  unstableFor?: string;
  /** Pending period of `WebSocketServiceDown`. Allowed: a duration such as 30s, 5m, 1h from 0s to 24h. */
  serviceDownFor?: string;
  /** The service exposes `metricUpgradesTotal` (upgrade requests by outcome): turns on `WebSocketHandshakeFailures` and the `handshake` objective (`WebSocketHandshakeBudgetBurn`). Off, nothing about upgrades pages, and their absence is no `metric_missing`. Allowed: true or false. */
  exposesUpgrades?: boolean;
  /** The service exposes `metricClosesTotal` (closes by close code): turns on `WebSocketAbnormalCloses`. Allowed: true or false. */
  exposesCloseCodes?: boolean;
  /** The service exposes `metricConnectionLimit` (the connections an instance accepts): turns on `WebSocketConnectionsNearLimit`. Allowed: true or false. */
  exposesConnectionLimit?: boolean;
  /** Window of the shares `WebSocketHandshakeFailures` and `WebSocketAbnormalCloses` compare (rejected upgrades of all, abnormal closes of all); at least 4 x `scrapeInterval`. Allowed: a duration such as 30s, 5m, 1h from 10s to 1h. */
  layerWindow?: string;
  /** `WebSocketHandshakeFailures` (warning) fires when more than this share of upgrade requests is refused over `layerWindow`. Allowed: a number from 0.001 to 1. */
  handshakeFailureRatio?: number;
  /** Pending period of `WebSocketHandshakeFailures`. Allowed: a duration such as 30s, 5m, 1h from 0s to 24h. */
  handshakeFailuresFor?: string;
  /** `WebSocketConnectionsNearLimit` (warning) fires when an instance holds more than this share of its connection limit: before it starts refusing clients. Allowed: a number from 0.01 to 1. */
  connectionLimitShare?: number;
  /** Pending period of `WebSocketConnectionsNearLimit`. Allowed: a duration such as 30s, 5m, 1h from 0s to 24h. */
  nearLimitFor?: string;
  /** `WebSocketInstanceImbalance` (warning) fires when one instance holds more than this factor of the average per instance (at least two instances; with two, 1.5 is a 75/25 split, and 2 can never be exceeded): long-lived connections piled up after a deploy, which Kubernetes does not rebalance. Allowed: a number from 1 to 100. */
  imbalanceFactor?: number;
  /** `WebSocketInstanceImbalance` only when the service holds at least this many connections in all: small counts are uneven by chance. Allowed: a whole number from 1 to 10000000. */
  imbalanceMinConnections?: number;
  /** Pending period of `WebSocketInstanceImbalance`. Allowed: a duration such as 30s, 5m, 1h from 0s to 24h. */
  imbalanceFor?: string;
  /** `WebSocketAbnormalCloses` (warning) fires when more than this share of closes over `layerWindow` are abnormal (1006: no close frame; 1011: server error), which clients see as drops. Allowed: a number from 0.001 to 1. */
  abnormalCloseRatio?: number;
  /** Pending period of `WebSocketAbnormalCloses`. At least `layerWindow` (the defaults: 5m each), one burst of drops never fires it, since the burst leaves the window first: it warns of drops that go on (a proxy cutting connections, a flapping network), on purpose; one burst shows on the dashboard and in the `connections` objective. Shorter, a burst large enough fires it too. Allowed: a duration such as 30s, 5m, 1h from 0s to 24h. */
  abnormalClosesFor?: string;
  /** Base URL of the runbooks (this repo's `docs/runbooks.md` as published); each alert links `<runbookBaseUrl>#<alert name in lower case>`. Allowed: an http(s) URL. */
  runbookBaseUrl?: string;
  /** Time zone of the operational hours. Allowed: an IANA time zone such as Europe/Berlin. */
  operationalTimezone?: string;
  /** Days of the operational hours. Allowed: a JSON list of weekday names or ranges such as monday:friday. */
  operationalDays?: string[];
  /** Start of the operational hours: `WebSocketNoActiveConnections` notifies only inside them. Allowed: HH:MM, 00:00-24:00. */
  operationalStart?: string;
  /** End of the operational hours (after `operationalStart`). Allowed: HH:MM, 00:00-24:00. */
  operationalEnd?: string;
  /** Objective of the `availability` SLO, in percent: the share of probes that succeed over `sloPeriod`: of `/ws/health` (`probe_success` of `healthJobName`) and, with `upgradeProbe`, of the upgrade on `/ws` (of `upgradeJobName`), since a service whose health endpoint answers while upgrades fail is not available to its clients. Strictly between 0 and 100. Allowed: a number from 0 to 100. */
  sloAvailabilityObjective?: number;
  /** Objective of the `connections` SLO, in percent: the share of closed connections that closed normally (`metricDisconnectionsTotal` with a `reason` other than `error` or `timeout`) over `sloPeriod`. Strictly between 0 and 100. Allowed: a number from 0 to 100. */
  sloConnectionsObjective?: number;
  /** Objective of the `handshake` SLO, in percent: the share of WebSocket upgrade requests the service accepts (`metricUpgradesTotal` with `outcome` `accepted`) over `sloPeriod`. Only where the service exposes them (`exposesUpgrades`). Strictly between 0 and 100. Allowed: a number from 0 to 100. */
  sloHandshakeObjective?: number;
  /** Refused upgrades within this long of a process start (`process_start_time_seconds`: a new pod of a rollout, a restart) or a drain (`server_shutdown` disconnections) of the job are not errors of the `handshake` SLO: the reconnect storm of a routine deploy, whose refused clients get in on their retry. Refusals that go on longer, or without a process start, count. `0s`: every refusal counts. A crash is `WebSocketUnexpectedRestart`'s. Allowed: a duration such as 30s, 5m, 1h from 0s to 1h. */
  sloRolloutWindow?: string;
}
