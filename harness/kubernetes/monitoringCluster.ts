/**
 * What a cluster with prometheus-operator holds before the stack deploys into it: a namespace
 * with a `Prometheus` and an `Alertmanager` resource whose selectors are what the committed
 * stacks assume (`k8sMonitorLabels` on every object), and, for `additionalScrapeConfig`, the
 * Prometheus' reference to the stack's scrape-config Secret. Then what the operator generated
 * from it: the Prometheus configuration, the rule files and the Alertmanager configuration.
 */
import { gunzipSync } from "node:zlib";
import { parse } from "yaml";
import { Secret } from "../../lib/secret";
import type { KubernetesStack } from "../../config/settings";
import { isSecret, type KubernetesManifest } from "../../lib/kubernetes";
import { SCRAPE_SECRET_KEY, scrapeConfigSecret } from "../../scrape/model";
import type { KubernetesApi, KubeObject } from "./api";

const PROMETHEUS_NAME = "kube-prometheus-stack-prometheus";
const ALERTMANAGER_NAME = "kube-prometheus-stack-alertmanager";
/** The Alertmanager release whose configuration the operator generates (Debian's amtool checks it). */
const ALERTMANAGER_VERSION = "v0.25.0";

export type MatcherStrategy = "OnNamespace" | "OnNamespaceExceptForAlertmanagerNamespace";

export function clusterObjects(s: KubernetesStack, strategy: MatcherStrategy): KubeObject[] {
  const k = s.kubernetes;
  const namespace = k.namespace;
  const select = { matchLabels: k.monitorLabels };
  const prometheusSpec = {
    serviceMonitorSelector: select,
    probeSelector: select,
    ruleSelector: select,
    serviceDiscoveryRole: "EndpointSlice",
    // What the stack says it keeps (README: at least sloPeriod).
    ...(k.prometheusRetention && { retention: k.prometheusRetention.text }),
    alerting: { alertmanagers: [{ namespace, name: "alertmanager-operated", port: "web" }] },
    // optional: before the stack's first up and after its destroy the Secret is missing, and the
    // operator would otherwise stop reconciling this Prometheus for everyone (README, staging).
    ...(k.scrapeMode === "additionalScrapeConfig" && { additionalScrapeConfigs: { name: scrapeConfigSecret(s).metadata.name, key: SCRAPE_SECRET_KEY, optional: true } }),
  };
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: k.serviceNamespace } },
    { apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", metadata: { name: PROMETHEUS_NAME, namespace }, spec: prometheusSpec },
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "Alertmanager",
      metadata: { name: ALERTMANAGER_NAME, namespace },
      spec: { version: ALERTMANAGER_VERSION, alertmanagerConfigSelector: select, alertmanagerConfigMatcherStrategy: { type: strategy } },
    },
  ];
}

/** A manifest of the stack as the API server receives it from Pulumi: secret values revealed (the tests' values). */
export function revealed(m: KubernetesManifest): KubeObject {
  if (!isSecret(m)) return m as unknown as KubeObject;
  const stringData = Object.fromEntries(Object.entries(m.stringData).map(([k, v]) => [k, v instanceof Secret ? v.reveal() : v]));
  return { ...m, stringData } as unknown as KubeObject;
}

/** A gzipped or plain value of a Secret's `data`, or of a ConfigMap's `data`, as text. */
function secretText(o: KubeObject | undefined, key: string): string | undefined {
  const value = (o?.data as Record<string, string> | undefined)?.[key];
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, "base64");
  return key.endsWith(".gz") ? gunzipSync(bytes).toString("utf8") : bytes.toString("utf8");
}

const secretRef = (namespace: string, name: string) => ({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace } });

/** The Prometheus configuration the operator generated (Secret `prometheus-<name>`), parsed. */
export async function generatedPrometheusConfig(api: KubernetesApi, namespace: string): Promise<{ text: string; config: PrometheusConfig } | undefined> {
  const text = secretText(await api.find(secretRef(namespace, `prometheus-${PROMETHEUS_NAME}`)), "prometheus.yaml.gz");
  return text === undefined ? undefined : { text, config: parse(text) as PrometheusConfig };
}

export interface PrometheusConfig {
  scrape_configs?: { job_name: string; kubernetes_sd_configs?: { role: string }[]; relabel_configs?: { source_labels?: string[]; target_label?: string; replacement?: string; action?: string }[] }[];
  rule_files?: string[];
}

/** The rule files the operator generated (ConfigMap `prometheus-<name>-rulefiles-0`), by file name. */
export async function generatedRuleFiles(api: KubernetesApi, namespace: string): Promise<Record<string, string>> {
  const map = await api.find({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `prometheus-${PROMETHEUS_NAME}-rulefiles-0`, namespace } });
  return (map?.data as Record<string, string> | undefined) ?? {};
}

/** The Alertmanager configuration the operator generated (Secret `alertmanager-<name>-generated`). */
export async function generatedAlertmanagerConfig(api: KubernetesApi, namespace: string): Promise<string | undefined> {
  return secretText(await api.find(secretRef(namespace, `alertmanager-${ALERTMANAGER_NAME}-generated`)), "alertmanager.yaml.gz");
}
