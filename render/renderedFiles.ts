/**
 * What `npm run render` writes for a stack, built by the same model functions the components
 * deploy: the Prometheus config and rule file; the Grafana dashboard (and dashboard-linter's
 * exclusions for it), rule group, contact points
 * (secrets as "[secret]") and their message templates, notification policy, time interval and datasource.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { grafanaHeartbeatGroups, grafanaRuleGroups } from "../alerts/grafana";
import { grafanaMessageTemplate } from "../alerts/messages";
import { contactPoints, notificationPolicy, operationalHours } from "../alerts/notifications";
import { prometheusRules } from "../alerts/prometheus";
import { eachService, onPlatform, usesGrafanaApi, type Services, type Settings } from "../config/settings";
import { dashboardConfigMap } from "../dashboards/configMap";
import { prometheusDatasource } from "../dashboards/datasource";
import { linterConfig } from "../dashboards/linterDepartures";
import { buildDashboard } from "../dashboards/websocket";
import { sortKeys } from "../lib/stableJson";
import { RULES_FILE, kubernetesScrapeJobs, kubernetesScrapeObjects, prometheusConfig } from "../scrape/model";
import { alertmanagerConfig } from "../alerts/alertmanager";
import { kubernetesAlertingObjects } from "../alerts/kubernetes";
import type { KubernetesManifest } from "../lib/kubernetes";
import { toYaml } from "../lib/yaml";
import { DEPLOYMENT_FILE, RENDERED, dashboardFile, deploymentOf, timeIntervalFile } from "./deployment";

export { RENDERED };

/**
 * Every object a Kubernetes stack creates, in the order it creates them, Secrets included (their
 * secret values serialize as "[secret]"); the components register the same objects.
 */
export function kubernetesManifests(services: Services): KubernetesManifest[] {
  const all = eachService(services);
  const s = all[0];
  return [
    ...kubernetesScrapeObjects(services),
    ...(s.alerts.engine === "prometheus" ? kubernetesAlertingObjects(services) : []),
    ...(usesGrafanaApi(s) ? [] : all.map((x) => dashboardConfigMap(onPlatform(x, "kubernetes")))),
  ];
}

/** A complete prometheus.yml that loads the rule file next to it. */
export function scrapeConfigFile(services: Services): Record<string, unknown> {
  const all = eachService(services);
  const config = prometheusConfig(all, { ruleFiles: [RULES_FILE] });
  // Kubernetes stacks have no static targets: wrap their discovery jobs instead, so that the
  // file is still a whole config that `promtool check config` can check.
  return all[0].platform === "kubernetes" ? { ...config, scrape_configs: all.flatMap((x) => kubernetesScrapeJobs(onPlatform(x, "kubernetes"))) } : config;
}

/** The Grafana rule groups with each query model in the key order it is deployed in. */
function readableRuleGroups(services: readonly Settings[]) {
  return [...services.flatMap(grafanaRuleGroups), ...grafanaHeartbeatGroups(services)].map((group) => ({ ...group, rules: group.rules.map((r) => ({ ...r, datas: r.datas.map((d) => ({ ...d, model: sortKeys(d.model) })) })) }));
}

/** The created datasource, or the uid of the existing one it looks up. */
function readableDatasource(s: Settings) {
  return s.grafana.createDatasource ? { created: true, ...prometheusDatasource(s) } : { uid: s.grafana.datasourceUid, created: false };
}

export function renderedFiles(services: Services): Record<string, string> {
  const all = eachService(services);
  const s = all[0];
  const deployment = deploymentOf(all);
  // YAML files say in their header what the stack deploys of them; JSON has no comments: DEPLOYMENT.txt says it for every file.
  const header = (file: string) => `# Rendered by 'npm run render -- --stack ${s.stack}' from the stack's models; do not edit.\n# ${s.stack}: ${deployment[file]}.\n`;
  const yaml = (file: string, value: unknown) => ({ [file]: header(file) + toYaml(value) });
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    ...yaml(RENDERED.scrapeConfig, scrapeConfigFile(all)),
    ...yaml(RENDERED.rules, prometheusRules(all)),
    // The deployed form (sorted keys), indented.
    ...Object.fromEntries(all.map((x) => [dashboardFile(x), json(sortKeys(buildDashboard(x)))])),
    // Beside the dashboards, where the linter reads it: where they depart from its rules, and why.
    ...yaml(RENDERED.linterConfig, linterConfig(all)),
    [RENDERED.datasource]: json(readableDatasource(s)),
    // What routes and notifies: Grafana (its objects; secret values serialize as "[secret]", config/secret.ts),
    // the stack's own Alertmanager, or, on Kubernetes, the AlertmanagerConfig among the operator objects.
    ...(s.alerts.engine === "grafana" && {
      [RENDERED.alertRules]: json(readableRuleGroups(all)),
      [RENDERED.contactPoints]: json(contactPoints(s)),
      [RENDERED.messageTemplates]: `${grafanaMessageTemplate(all).template}\n`,
      ...(s.grafana.routing === "policyTree" && { [RENDERED.notificationPolicy]: json(notificationPolicy(all)) }),
      ...Object.fromEntries(all.map((x) => [timeIntervalFile(x), json(operationalHours(x))])),
    }),
    ...(s.alerts.engine === "prometheus" && s.platform !== "kubernetes" && yaml(RENDERED.alertmanager, alertmanagerConfig(all))),
    ...(s.platform === "kubernetes" && { [RENDERED.kubernetes]: header(RENDERED.kubernetes) + kubernetesManifests(all).map(toYaml).join("---\n") }),
  };
}

/** Writes every rendered file under `outDir`, and DEPLOYMENT.txt; returns the rendered files' paths. */
export function writeRenderedFiles(services: Services, outDir: string): string[] {
  const s = eachService(services)[0];
  const files = renderedFiles(services);
  const deployment = deploymentOf(services);
  const index = Object.keys(files).map((file) => `${file}: ${deployment[file]}\n`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, DEPLOYMENT_FILE), `# What stack '${s.stack}' deploys of each file here (npm run render); "not deployed": for review and tests only.\n${index.join("")}`);
  return Object.entries(files).map(([relative, content]) => {
    const file = path.join(outDir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  });
}
