/**
 * One scrape model, three renderings: a complete prometheus.yml (local process, Docker), plain
 * scrape jobs with Kubernetes discovery (Secret for `additionalScrapeConfigs`), and
 * prometheus-operator ServiceMonitor + Probe objects (the probes: probes.ts). The metrics job keeps the configured job
 * name everywhere, because every query filters on it.
 */
import { eachService, onPlatform, type KubernetesStack, type LocalStack, type Services, type Settings } from "../config/settings";
import { alertmanagerAddress } from "../alerts/alertmanager";
import { kubernetesMetadata, kubernetesSecret, type KubernetesManifest, type KubernetesObject, type KubernetesSecret } from "../lib/kubernetes";
import { resourceBaseName, serviceBaseName } from "../lib/naming";
import { toYaml } from "../lib/yaml";
import { probeJobs, probeObjects, timing, type ScrapeJob } from "./probes";

export type { ScrapeJob } from "./probes";

/** Jobs for statically known targets (local process, Docker network). */
function staticScrapeJobs(s: Settings): ScrapeJob[] {
  return [
    {
      job_name: s.scrape.jobName,
      ...timing(s),
      scheme: s.scrape.scheme,
      metrics_path: s.scrape.metricsPath,
      static_configs: [{ targets: s.scrape.targets, labels: { environment: s.environment } }],
    },
    ...probeJobs(s),
  ];
}

/**
 * Plain scrape jobs for the `Prometheus` resource's additionalScrapeConfigs: the EndpointSlices of
 * the selected Service (Endpoints are deprecated since Kubernetes 1.33), and the probe.
 */
export function kubernetesScrapeJobs(s: KubernetesStack): ScrapeJob[] {
  const k = s.kubernetes;
  const keepSelected = Object.entries(k.serviceSelector).map(([label, value]) => ({
    source_labels: [`__meta_kubernetes_service_label_${label.replace(/[^a-zA-Z0-9_]/g, "_")}`],
    regex: value,
    action: "keep",
  }));
  return [
    {
      job_name: s.scrape.jobName,
      ...timing(s),
      scheme: s.scrape.scheme,
      metrics_path: s.scrape.metricsPath,
      kubernetes_sd_configs: [{ role: "endpointslice", namespaces: { names: [k.serviceNamespace] } }],
      relabel_configs: [
        ...keepSelected,
        { source_labels: ["__meta_kubernetes_endpointslice_port_name"], regex: k.servicePort, action: "keep" },
        { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
        { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
        { target_label: "environment", replacement: s.environment },
      ],
    },
    ...probeJobs(s),
  ];
}

/** The alert rule file, beside prometheus.yml (Prometheus resolves it relative to its config). */
export const RULES_FILE = "rules.yml";

export interface PrometheusConfigOptions {
  /** Rule files to load; by default the alert rules where Prometheus evaluates them (alertEngine `prometheus`). */
  ruleFiles?: string[];
}

/**
 * A complete prometheus.yml for a Prometheus that exists only to watch this service; with
 * alertEngine `prometheus` it also evaluates the alert rules and sends to the stack's Alertmanager.
 */
export function prometheusConfig(services: Services, options: PrometheusConfigOptions = {}): Record<string, unknown> {
  const all = eachService(services);
  const s = all[0];
  const alerting = s.alerts.engine === "prometheus";
  const ruleFiles = options.ruleFiles ?? (alerting ? [RULES_FILE] : []);
  return {
    global: {
      ...timing(s),
      // No external `environment` label: every target and every rule carries it already (a second
      // source of the same label is what pint's labels/conflict reports).
      evaluation_interval: s.alerts.evaluationInterval.text,
    },
    ...(ruleFiles.length ? { rule_files: ruleFiles } : {}),
    // On Kubernetes the operator wires Prometheus to its Alertmanager.
    ...(alerting && s.platform !== "kubernetes" && { alerting: { alertmanagers: [{ static_configs: [{ targets: [alertmanagerAddress(s)] }] }] } }),
    scrape_configs: all.flatMap(staticScrapeJobs),
  };
}

/** Where the local platform tells Prometheus to re-read its files (it runs with --web.enable-lifecycle). */
export function prometheusReloadUrl(s: LocalStack): string {
  return `${s.grafana.prometheusUrl ?? `http://127.0.0.1:${s.local.prometheusPort}`}/-/reload`;
}

/** prometheus.yml exactly as the local and Docker platforms deploy it. */
export function prometheusYaml(services: Services): string {
  return toYaml(prometheusConfig(services));
}

/**
 * Which discovery role the operator generates for it is the `Prometheus` resource's choice
 * (`serviceDiscoveryRole: EndpointSlice`; v0.85's ServiceMonitor has no such field).
 */
export function serviceMonitor(s: KubernetesStack): KubernetesObject {
  const k = s.kubernetes;
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: kubernetesMetadata(s, serviceBaseName(s)),
    spec: {
      namespaceSelector: { matchNames: [k.serviceNamespace] },
      selector: { matchLabels: k.serviceSelector },
      endpoints: [
        {
          port: k.servicePort,
          path: s.scrape.metricsPath,
          scheme: s.scrape.scheme,
          interval: s.scrape.interval.text,
          scrapeTimeout: s.scrape.timeout.text,
          // The operator names the job after the Service; the queries expect the configured job.
          relabelings: [
            { action: "replace", targetLabel: "job", replacement: s.scrape.jobName },
            { action: "replace", targetLabel: "environment", replacement: s.environment },
          ],
        },
      ],
    },
  };
}

/** The key of the scrape-config Secret that the `Prometheus` resource's additionalScrapeConfigs names. */
export const SCRAPE_SECRET_KEY = "websocket-scrape.yaml";

/** One Secret of the environment, with every service's jobs: the `Prometheus` resource names one. */
export function scrapeConfigSecret(services: Services): KubernetesSecret {
  const all = eachService(services).map((s) => onPlatform(s, "kubernetes"));
  return kubernetesSecret(all[0], `${resourceBaseName(all[0])}-scrape-config`, { [SCRAPE_SECRET_KEY]: toYaml(all.flatMap(kubernetesScrapeJobs)) });
}

/** What tells the operator's Prometheus to scrape the services, by `k8sScrapeMode`: per service, or one Secret. */
export function kubernetesScrapeObjects(services: Services): KubernetesManifest[] {
  const all = eachService(services).map((s) => onPlatform(s, "kubernetes"));
  return [...environmentScrapeObjects(all), ...all.flatMap(serviceScrapeObjects)];
}

/** A service's own: its ServiceMonitor and Probes, of its health and (`upgradeProbe`) its upgrades (k8sScrapeMode serviceMonitor). */
export function serviceScrapeObjects(s: KubernetesStack): KubernetesManifest[] {
  return s.kubernetes.scrapeMode === "serviceMonitor" ? [serviceMonitor(s), ...probeObjects(s)] : [];
}

/** The environment's: the one Secret with every service's jobs (k8sScrapeMode additionalScrapeConfig). */
export function environmentScrapeObjects(services: readonly KubernetesStack[]): KubernetesManifest[] {
  return services[0].kubernetes.scrapeMode === "additionalScrapeConfig" ? [scrapeConfigSecret(services)] : [];
}
