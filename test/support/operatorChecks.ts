/**
 * What test/kubernetes/operator.test.ts deploys and how it looks at what came back: the variants
 * of the Kubernetes stacks, and the checks on objects read back and on what the operator generated.
 */
import assert from "node:assert/strict";
import { onPlatform, type KubernetesStack } from "../../config/settings";
import type { KubernetesApi, KubeObject } from "../../harness/kubernetes/api";
import { conditionTrue } from "../../harness/kubernetes/controlPlane";
import type { MatcherStrategy, PrometheusConfig } from "../../harness/kubernetes/monitoringCluster";
import { pollUntil } from "../../harness/poll";
import { runCommand } from "../../harness/processes";
import { servicesFromStackFile } from "../../render/stackSettings";
import { TEST_SECRETS, listedServices } from "./stacks";

export const GENERATED_TIMEOUT_MS = 60_000;

/** `sent` is contained in `got`: every field sent came back with the same value (a field the API server pruned would be missing). */
export function assertContained(got: unknown, sent: unknown, where: string): void {
  if (Array.isArray(sent)) {
    assert.ok(Array.isArray(got) && got.length === sent.length, `${where}: sent ${JSON.stringify(sent)}, read back ${JSON.stringify(got)}`);
    sent.forEach((item, i) => assertContained(got[i], item, `${where}[${i}]`));
  } else if (sent && typeof sent === "object") {
    assert.ok(got && typeof got === "object", `${where}: sent an object, read back ${JSON.stringify(got)}`);
    for (const [key, value] of Object.entries(sent)) assertContained((got as Record<string, unknown>)[key], value, `${where}.${key}`);
  } else {
    assert.equal(got, sent, where);
  }
}

/**
 * The operator reports the object `Reconciled`. Polled: an object created before a Secret it
 * names fails its first reconcile, and the status catches up after the Secret's event.
 */
export async function reconciled(api: KubernetesApi, o: KubeObject): Promise<void> {
  await pollUntil(`${o.kind} ${o.metadata.name} reconciled`, () => api.get(o), (got) => conditionTrue(got, "Reconciled"), { timeoutMs: GENERATED_TIMEOUT_MS, intervalMs: 250 });
}

export async function promtool(binary: string, ...args: string[]): Promise<void> {
  const result = await runCommand(binary, args);
  assert.equal(result.code, 0, result.summary);
}

export async function routeOf(configFile: string, labels: Record<string, string>): Promise<string> {
  const result = await runCommand("amtool", ["config", "routes", "test", `--config.file=${configFile}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
  assert.equal(result.code, 0, result.summary);
  return result.stdout.trim();
}

/** The `job` label each generated scrape job gives its targets: the last fixed replacement, else the job name. */
export function jobLabels(config: PrometheusConfig): Map<string, string> {
  return new Map(
    (config.scrape_configs ?? []).map((job) => {
      const fixed = (job.relabel_configs ?? []).filter((r) => r.target_label === "job" && !r.source_labels && r.replacement !== undefined);
      return [fixed.length ? fixed[fixed.length - 1].replacement! : job.job_name, job.job_name];
    }),
  );
}

/** With the upgrade probe on, its generated job (from its Probe or the Secret) has its module and the host:port it upgrades. */
export function assertUpgradeJob(config: PrometheusConfig, s: KubernetesStack): void {
  const upgrade = s.scrape.upgradeProbe;
  if (!upgrade) return;
  type ProbeJob = { params?: { module?: string[] }; static_configs?: { targets: string[] }[] };
  const job = config.scrape_configs!.find((j) => j.job_name === jobLabels(config).get(upgrade.jobName)) as ProbeJob | undefined;
  assert.ok(job, `${s.service.name}: no job labelled ${upgrade.jobName}`);
  assert.deepEqual(job.params?.module, [upgrade.module], `${s.service.name}: the upgrade probe's module`);
  assert.deepEqual(job.static_configs?.flatMap((c) => c.targets), upgrade.targets, `${s.service.name}: the upgrade probe's targets`);
}

export interface Variant {
  stack: "staging" | "prod";
  engine: "grafana" | "prometheus";
  mode: "serviceMonitor" | "additionalScrapeConfig";
  /** Names of the services of a stack with `services` (each its own Service selector and health URL); unset: the committed one service. */
  services?: string[];
  /** With the upgrade probe (off on Kubernetes by default: its Probe object, or its job in the Secret) and every optional signal of the WebSocket layer on (the handshake objective's rules among them). */
  upgradeProbe?: boolean;
}

const TWO_SERVICES = ["chat", "presence"];

/** Every engine and scrape mode of staging and prod, the Prometheus engine of each with two services, and each scrape mode with the upgrade probe and the whole WebSocket layer (prod's with its rules in a PrometheusRule). */
export const VARIANTS: Variant[] = [
  ...(["staging", "prod"] as const).flatMap((stack) =>
    (["grafana", "prometheus"] as const).flatMap((engine) => (["serviceMonitor", "additionalScrapeConfig"] as const).map((mode) => ({ stack, engine, mode }))),
  ),
  { stack: "staging", engine: "prometheus", mode: "additionalScrapeConfig", services: TWO_SERVICES },
  { stack: "prod", engine: "prometheus", mode: "serviceMonitor", services: TWO_SERVICES },
  { stack: "prod", engine: "prometheus", mode: "serviceMonitor", upgradeProbe: true },
  { stack: "staging", engine: "grafana", mode: "additionalScrapeConfig", upgradeProbe: true },
];

/**
 * The committed stack with the variant's engine, scrape mode and services, in a namespace of its
 * own (so that every variant has its own Prometheus and Alertmanager). alertEngine `prometheus` on
 * Kubernetes needs UTC hours and, for prod's e-mail, an SMTP server of its own.
 */
export function variantServices(v: Variant): KubernetesStack[] {
  const overrides: Record<string, string | undefined> = {
    alertEngine: v.engine,
    k8sScrapeMode: v.mode,
    k8sNamespace: `${v.stack}-${v.engine}-${v.mode === "serviceMonitor" ? "sm" : "asc"}${v.services ? `-${v.services.length}` : ""}${v.upgradeProbe ? "-upgrade" : ""}`.toLowerCase(),
    ...(v.upgradeProbe && { upgradeProbe: "true", exposesUpgrades: "true", exposesCloseCodes: "true", exposesConnectionLimit: "true" }),
    ...(v.engine === "prometheus" && { operationalTimezone: "UTC" }),
    ...(v.engine === "prometheus" && v.stack === "prod" && { smtpHost: "smtp.example.com:587", smtpUser: "alerts" }),
    ...(v.services && listedServices(v.stack, v.services)),
  };
  // prod with Prometheus alerting also authenticates to its SMTP server (the heartbeat is in TEST_SECRETS, as staging's).
  const prodAlerting = v.engine === "prometheus" && v.stack === "prod" && { smtpPassword: "smtp-test-password" };
  const secrets = { ...TEST_SECRETS[v.stack], ...prodAlerting };
  return servicesFromStackFile(v.stack, overrides, undefined, secrets).map((s) => onPlatform(s, "kubernetes"));
}

/** Staging's Alertmanager matches no namespace on its own namespace's configs; prod's the default, `namespace=<ns>`. */
export const strategyOf = (v: Variant): MatcherStrategy => (v.stack === "staging" ? "OnNamespaceExceptForAlertmanagerNamespace" : "OnNamespace");
