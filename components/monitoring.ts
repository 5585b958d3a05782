/**
 * The monitoring of one WebSocket service in an environment (components/environment.ts): its
 * dashboard in the environment's folder, its alert rules where they are objects of their own
 * (Grafana's rule groups, its PrometheusRule), and on Kubernetes its ServiceMonitor and Probe.
 * Its scrape jobs and rules in a shared file or Secret, its routing, are the environment's.
 */
import * as pulumi from "@pulumi/pulumi";
import { alertsOf } from "../alerts/definitions";
import { grafanaRuleGroups } from "../alerts/grafana";
import { prometheusRule } from "../alerts/kubernetes";
import { onPlatform, usesGrafanaApi, type Settings } from "../config/settings";
import { dashboardConfigMap } from "../dashboards/configMap";
import { dashboardUid, folderUid } from "../dashboards/ids";
import { buildDashboard } from "../dashboards/websocket";
import { resourceBaseName, serviceBaseName } from "../lib/naming";
import { serviceScrapeObjects } from "../scrape/model";
import { AlertRules, type RuleObjects } from "./alertRules";
import type { EnvironmentArgs, ServiceArgs } from "./args";
import { ConnectionsDashboard, type ConnectionsDashboardArgs } from "./dashboard";
import { MONITORING_ENVIRONMENT_TYPE, WEBSOCKET_MONITORING_TYPE } from "./environment";
import { settingsOf } from "./fromArgs";
import { grafanaProvider } from "./grafanaProvider";
import { ScrapeConfig } from "./scrapeConfig";

export interface WebSocketMonitoringArgs {
  /** The environment the service is in: the same settings its MonitoringEnvironment was given. */
  environment: EnvironmentArgs;
  /** The service. */
  service: ServiceArgs;
}

export class WebSocketMonitoring extends pulumi.ComponentResource {
  /** The service's dashboard. */
  readonly dashboardUrl: pulumi.Output<string>;
  /** Every alert rule of the service, by name (a page and a ticket of one objective share theirs). */
  readonly alertRuleNames: pulumi.Output<string[]>;
  /** Its ServiceMonitor and Probe (k8sScrapeMode serviceMonitor); empty where its scrape jobs are in the environment's scrape config. */
  readonly scrapeConfigLocation: pulumi.Output<string>;

  /**
   * Give it the environment's Grafana provider (`providers`, MonitoringEnvironment.grafanaProvider)
   * and `dependsOn` the environment: its dashboard and rules go in the environment's folder, query
   * its datasource and name its contact points. Without a provider it makes its own of the environment's Grafana settings.
   */
  constructor(name: string, args: WebSocketMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super(WEBSOCKET_MONITORING_TYPE, name, {}, opts);
    const s = settingsOf({ component: `${WEBSOCKET_MONITORING_TYPE} '${name}'`, servicesProperty: "service" }, args.environment, [args.service])[0];
    const after = dependenciesOf(opts);
    const base = serviceBaseName(s);
    // Without Grafana's API (ConfigMap dashboards, alertEngine prometheus) there is no Grafana object, and no provider.
    const provider = usesGrafanaApi(s) ? (this.getProvider("grafana:oss/dashboard:Dashboard") ?? grafanaProvider(`${base}-grafana`, s.grafana, { parent: this })) : undefined;
    const inGrafana = { parent: this, ...(provider && { providers: { grafana: provider } }) };

    const dashboard = new ConnectionsDashboard(`${base}-dashboard`, dashboardArgs(s, after), inGrafana);
    const rules = ruleObjects(s, folderUid(s));
    if (rules) {
      const movedFrom = s.service.listed ? [] : formerRuleParents(s, rules.formerParentType, this);
      new AlertRules(`${base}-alerting`, { rules: rules.objects, dependsOn: [dashboard, ...after], protect: s.protect, movedFrom }, inGrafana);
    }
    const scrape = s.platform === "kubernetes" ? serviceScrapeObjects(s) : [];
    const scrapeConfig = scrape.length ? new ScrapeConfig(`${base}-scrape`, { placement: "kubernetes", objects: scrape, protect: false }, { parent: this, dependsOn: after }) : undefined;

    this.dashboardUrl = dashboard.url;
    this.alertRuleNames = pulumi.output([...new Set(alertsOf(s).map((a) => a.name))]);
    this.scrapeConfigLocation = scrapeConfig?.location ?? pulumi.output("");
    this.registerOutputs({ dashboardUrl: this.dashboardUrl, alertRuleNames: this.alertRuleNames, scrapeConfigLocation: this.scrapeConfigLocation });
  }
}

/** The dashboard through Grafana's API, in the environment's folder, or as a ConfigMap for a Grafana sidecar. */
function dashboardArgs(s: Settings, after: pulumi.Input<pulumi.Resource>[]): ConnectionsDashboardArgs {
  if (usesGrafanaApi(s)) return { placement: "grafana", model: buildDashboard(s), folderUid: folderUid(s), dependsOn: after, protect: s.protect };
  const k = onPlatform(s, "kubernetes");
  return { placement: "kubernetes", configMap: dashboardConfigMap(k), uid: dashboardUid(s), grafanaUrl: s.grafana.url, protect: s.protect };
}

/** The service's rules as objects of their own, by engine and platform, and the component type that held them before; none where a rule file holds them. */
function ruleObjects(s: Settings, folder: string): { objects: RuleObjects; formerParentType: string } | undefined {
  if (s.alerts.engine === "grafana") {
    return { objects: { placement: "grafana", ruleGroups: grafanaRuleGroups(s), folderUid: folder }, formerParentType: "websocket-monitoring:index:ConnectionAlerting" };
  }
  if (s.platform !== "kubernetes") return undefined;
  return { objects: { placement: "kubernetes", objects: [prometheusRule(onPlatform(s, "kubernetes"))] }, formerParentType: "websocket-monitoring:index:PrometheusAlerting" };
}

/**
 * Where a stack of one unlisted service holds its rules from before environments and services were
 * apart: under the alerting component that was this component's child. An upgrade that failed
 * part-way moved that component to the environment (its alias was processed) and, with it, the
 * rules not yet processed: they are recorded there, under the environment's alerting component.
 */
function formerRuleParents(s: Settings, formerParentType: string, self: pulumi.Resource): pulumi.Output<string>[] {
  const name = `${resourceBaseName(s)}-alerting`;
  const environment = pulumi.createUrn(resourceBaseName(s), MONITORING_ENVIRONMENT_TYPE);
  return [pulumi.createUrn(name, formerParentType, self), pulumi.createUrn(name, formerParentType, environment)];
}

/** The component's own `dependsOn`, which its children follow too: a resource or a list of them. */
function dependenciesOf(opts?: pulumi.ComponentResourceOptions): pulumi.Input<pulumi.Resource>[] {
  const d = opts?.dependsOn;
  if (d === undefined) return [];
  return Array.isArray(d) ? d : [d as pulumi.Input<pulumi.Resource>];
}
