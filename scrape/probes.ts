/**
 * The probes through the blackbox exporter, rendered as plain scrape jobs (prometheus.yml, the
 * scrape-config Secret) and as prometheus-operator Probe objects: the health probe of
 * `healthPath`, and with `upgradeProbe` a real WebSocket upgrade on `/ws` of each instance.
 */
import type { KubernetesStack, Settings } from "../config/settings";
import { kubernetesMetadata, type KubernetesObject } from "../lib/kubernetes";
import { serviceBaseName } from "../lib/naming";

export type ScrapeJob = Record<string, unknown>;

export function timing(s: Settings) {
  return { scrape_interval: s.scrape.interval.text, scrape_timeout: s.scrape.timeout.text };
}

/** One probe of the service: its job, blackbox module and targets (what the exporter is given as `target`). */
interface ProbeSpec {
  /** The Probe object's name after the service's: `<serviceBaseName>-<suffix>`. */
  suffix: string;
  jobName: string;
  module: string;
  targets: string[];
}

/** Health first, then the upgrade probe where it is on. */
function probeSpecs(s: Settings): ProbeSpec[] {
  const health: ProbeSpec = { suffix: "health", jobName: s.scrape.healthJobName, module: s.scrape.blackboxModule, targets: healthProbeTargets(s) };
  const upgrade = s.scrape.upgradeProbe;
  return upgrade ? [health, { suffix: "upgrade", jobName: upgrade.jobName, module: upgrade.module, targets: upgrade.targets }] : [health];
}

/** The health URL of each instance (local, docker), or `healthUrl` (kubernetes). */
function healthProbeTargets(s: Settings): string[] {
  return s.scrape.targets.length
    ? s.scrape.targets.map((t) => `${s.scrape.scheme}://${t}${s.scrape.healthPath}`)
    : [s.scrape.healthUrl];
}

/** The probe goes through the blackbox exporter: /probe?module=…&target=<target>, which becomes the `instance`. */
function blackboxRelabeling(s: Settings): ScrapeJob[] {
  return [
    { source_labels: ["__address__"], target_label: "__param_target" },
    { source_labels: ["__param_target"], target_label: "instance" },
    { target_label: "__address__", replacement: s.scrape.blackboxExporter },
  ];
}

/** The probes as plain scrape jobs, for every platform's static or Secret scrape config. */
export function probeJobs(s: Settings): ScrapeJob[] {
  return probeSpecs(s).map((p) => ({
    job_name: p.jobName,
    ...timing(s),
    metrics_path: "/probe",
    params: { module: [p.module] },
    static_configs: [{ targets: p.targets, labels: { environment: s.environment } }],
    relabel_configs: blackboxRelabeling(s),
  }));
}

/** The probes as prometheus-operator Probe objects (k8sScrapeMode serviceMonitor). */
export function probeObjects(s: KubernetesStack): KubernetesObject[] {
  return probeSpecs(s).map((p) => ({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "Probe",
    metadata: kubernetesMetadata(s, `${serviceBaseName(s)}-${p.suffix}`),
    spec: {
      jobName: p.jobName,
      interval: s.scrape.interval.text,
      scrapeTimeout: s.scrape.timeout.text,
      module: p.module,
      prober: { url: s.scrape.blackboxExporter, path: "/probe", scheme: "http" },
      targets: { staticConfig: { static: p.targets, labels: { environment: s.environment } } },
    },
  }));
}
