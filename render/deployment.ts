/**
 * Per rendered file, whether the stack deploys it and as what. Render writes some files a stack
 * does not deploy (prod's prometheus/scrape.yml and rules.yml: the operator's Prometheus gets
 * a ServiceMonitor, Grafana evaluates the alerts), for review and for promtool; a reviewer must
 * not take them for what is deployed. `npm run render` prints this beside each file, writes it to
 * DEPLOYMENT.txt and into each YAML file's header; the PR's render diff comment shows it per changed file.
 */
import * as path from "node:path";
import { eachService, usesGrafanaApi, type Services, type Settings } from "../config/settings";
import { dashboardUid, folderUid } from "../dashboards/ids";
import { serviceBaseName } from "../lib/naming";
import { RULES_FILE } from "../scrape/model";

/** The files `npm run render` may write, by their path under the output directory. */
export const RENDERED = {
  scrapeConfig: "prometheus/scrape.yml",
  rules: `prometheus/${RULES_FILE}`,
  dashboard: "grafana/dashboard.json",
  alertRules: "grafana/alert-rules.json",
  contactPoints: "grafana/contact-points.json",
  messageTemplates: "grafana/message-templates.tmpl",
  notificationPolicy: "grafana/notification-policy.json",
  timeInterval: "grafana/time-interval.json",
  datasource: "grafana/datasource.json",
  linterConfig: "grafana/.lint",
  alertmanager: "alertmanager/alertmanager.yml",
  kubernetes: "kubernetes/objects.yaml",
} as const;

/** A service's dashboard: `grafana/dashboard.json` for the stack's one service, `grafana/dashboard-<name>.json` for a listed one. */
export function dashboardFile(s: Settings): string {
  return ofServiceFile(s, RENDERED.dashboard);
}

/** A service's operational hours, named as its dashboard's file. */
export function timeIntervalFile(s: Settings): string {
  return ofServiceFile(s, RENDERED.timeInterval);
}

const ofServiceFile = (s: Settings, file: string) => (s.service.listed ? file.replace(/\.json$/, `-${s.service.name}.json`) : file);

/** The index `npm run render` writes beside the files: a line `<file>: <deployment>` each. */
export const DEPLOYMENT_FILE = "DEPLOYMENT.txt";

/** Where a platform that runs Prometheus and Alertmanager itself puts their files. */
function placement(s: Settings): { prometheusDir: string; alertmanagerFile: string } | undefined {
  switch (s.platform) {
    case "local":
      return { prometheusDir: path.dirname(s.local.prometheusConfigFile), alertmanagerFile: s.local.alertmanagerConfigFile };
    case "docker":
      return { prometheusDir: "/etc/prometheus in the Prometheus container", alertmanagerFile: "/etc/alertmanager/alertmanager.yml in the Alertmanager container" };
    case "kubernetes":
      return undefined;
  }
}

function scrapeConfig(s: Settings): string {
  const at = placement(s);
  if (at) {
    const noRules = s.alerts.engine === "grafana" ? ", without its rule_files (alertEngine grafana: Prometheus evaluates no rules)" : "";
    return `deployed as prometheus.yml in ${at.prometheusDir}${noRules}`;
  }
  if (s.platform === "kubernetes" && s.kubernetes.scrapeMode === "additionalScrapeConfig")
    return "not deployed as this file: its scrape_configs are the scrape-config Secret's in kubernetes/objects.yaml (additionalScrapeConfigs); for review and promtool";
  return "not deployed: the operator's Prometheus scrapes through the ServiceMonitor and Probe in kubernetes/objects.yaml; the same jobs as plain scrape configs, for review and promtool";
}

function rules(s: Settings): string {
  if (s.alerts.engine === "grafana") return "not deployed: with alertEngine grafana, Grafana evaluates these alerts (grafana/alert-rules.json); for review and promtool";
  const at = placement(s);
  if (at) return `deployed as ${RULES_FILE} in ${at.prometheusDir}`;
  return "not deployed as this file: the PrometheusRule in kubernetes/objects.yaml holds the same groups";
}

function dashboardDeployment(s: Settings, grafana: string): string {
  if (usesGrafanaApi(s)) return `deployed ${grafana}: the dashboard ${dashboardUid(s)} in the folder ${folderUid(s)}`;
  return `deployed as the ConfigMap ${serviceBaseName(s)}-dashboard in kubernetes/objects.yaml, which the Grafana sidecar loads into the folder '${s.grafana.folderTitle}'`;
}

/** What the stack deploys of each file render may write, by its path under the output directory. */
export function deploymentOf(services: Services): Record<string, string> {
  const all = eachService(services);
  const s = all[0];
  const grafana = `to the Grafana at ${s.grafana.url}`;
  const alertmanagerFile = placement(s)?.alertmanagerFile;
  return {
    [RENDERED.scrapeConfig]: scrapeConfig(s),
    [RENDERED.rules]: rules(s),
    ...Object.fromEntries(all.map((x) => [dashboardFile(x), dashboardDeployment(x, grafana)])),
    [RENDERED.datasource]: s.grafana.createDatasource
      ? `deployed ${grafana}: the datasource ${s.grafana.datasourceUid}`
      : usesGrafanaApi(s)
        ? `not deployed: the stack looks up the existing datasource ${s.grafana.datasourceUid}`
        : `not deployed: the dashboards name the existing datasource ${s.grafana.datasourceUid} by uid (no Grafana API is called)`,
    [RENDERED.linterConfig]: "not deployed: the dashboards' deliberate departures from Grafana's dashboard linter, as its exclusions; `dashboard-linter lint --strict` reads them beside each dashboard",
    [RENDERED.alertRules]: `deployed ${grafana}: the alert rule groups, in the folder ${folderUid(s)}`,
    [RENDERED.contactPoints]: `deployed ${grafana}: the contact points, with the stack's secrets where this file shows "[secret]"`,
    [RENDERED.messageTemplates]: `deployed ${grafana}: the notification template group`,
    [RENDERED.notificationPolicy]: `deployed ${grafana}: the organisation's whole notification policy tree, replacing it`,
    ...Object.fromEntries(all.map((x) => [timeIntervalFile(x), `deployed ${grafana}: the operational-hours time interval (mute timing)${x.service.listed ? ` of ${x.service.name}` : ""}`])),
    ...(alertmanagerFile && { [RENDERED.alertmanager]: `deployed as ${alertmanagerFile}, with the stack's secrets where this file shows placeholders` }),
    ...(s.platform === "kubernetes" && {
      [RENDERED.kubernetes]: `deployed to the cluster: these objects, in the namespace ${s.kubernetes.namespace}, Secrets with the stack's secret values`,
    }),
  };
}
