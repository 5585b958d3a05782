/**
 * What `npm run render` writes for a stack, built by the same model functions the components
 * deploy: the Prometheus config and rule file, the dashboard and the Grafana rule group.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { grafanaRuleGroup } from "../alerts/grafana";
import { prometheusRules } from "../alerts/prometheus";
import type { Settings } from "../config/settings";
import { dashboardJson } from "../dashboards/render";
import { RULES_FILE, healthProbe, kubernetesScrapeJobs, prometheusConfig, serviceMonitor } from "../scrape/model";
import { alertmanagerConfig } from "../alerts/alertmanager";
import { alertmanagerConfigObject, prometheusRule } from "../alerts/kubernetes";
import type { KubernetesObject } from "../lib/kubernetes";

export const RENDERED = {
  scrapeConfig: "prometheus/scrape.yml",
  rules: `prometheus/${RULES_FILE}`,
  dashboard: "grafana/dashboard.json",
  alertRules: "grafana/alert-rules.json",
  alertmanager: "alertmanager/alertmanager.yml",
  kubernetes: "kubernetes/objects.yaml",
} as const;

/** The prometheus-operator objects a Kubernetes stack creates (Secrets left out: their data is secret). */
export function kubernetesObjects(s: Settings): KubernetesObject[] {
  return [
    ...(s.kubernetes!.scrapeMode === "serviceMonitor" ? [serviceMonitor(s), healthProbe(s)] : []),
    ...(s.alerts.engine === "prometheus" ? [prometheusRule(s), alertmanagerConfigObject(s)] : []),
  ];
}

/** A complete prometheus.yml that loads the rule file next to it. */
export function scrapeConfigFile(s: Settings): Record<string, unknown> {
  const config = prometheusConfig(s, { ruleFiles: [RULES_FILE] });
  // Kubernetes stacks have no static targets: wrap their discovery jobs instead, so that the
  // file is still a whole config that `promtool check config` can check.
  return s.platform === "kubernetes" ? { ...config, scrape_configs: kubernetesScrapeJobs(s) } : config;
}

/** The Grafana rule group with each query model parsed back from its JSON string, for reading. */
function readableRuleGroup(s: Settings) {
  const group = grafanaRuleGroup(s);
  return {
    ...group,
    rules: group.rules.map((r) => ({ ...r, datas: r.datas.map((d) => ({ ...d, model: JSON.parse(d.model) as unknown })) })),
  };
}

export function renderedFiles(s: Settings): Record<string, string> {
  const header = `# Rendered by 'npm run render -- --stack ${s.stack}' from the stack's models; do not edit.\n`;
  const yaml = (value: unknown) => header + stringify(value, { lineWidth: 0 });
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    [RENDERED.scrapeConfig]: yaml(scrapeConfigFile(s)),
    [RENDERED.rules]: yaml(prometheusRules(s)),
    // The deployed form (sorted keys), indented.
    [RENDERED.dashboard]: json(JSON.parse(dashboardJson(s))),
    [RENDERED.alertRules]: json(readableRuleGroup(s)),
    // Kubernetes stacks route through the operator's Alertmanager: their routing is the AlertmanagerConfig in objects.yaml.
    ...(s.platform === "kubernetes"
      ? { [RENDERED.kubernetes]: header + kubernetesObjects(s).map((o) => stringify(o, { lineWidth: 0 })).join("---\n") }
      : { [RENDERED.alertmanager]: yaml(alertmanagerConfig(s)) }),
  };
}

/** Writes every rendered file under `outDir`; returns their paths. */
export function writeRenderedFiles(s: Settings, outDir: string): string[] {
  return Object.entries(renderedFiles(s)).map(([relative, content]) => {
    const file = path.join(outDir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  });
}
