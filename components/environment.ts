/**
 * What the services of one environment share, once: the Grafana provider, folder and datasource;
 * the contact points, message templates and routing (Grafana's, or Alertmanager's config and its
 * Kubernetes AlertmanagerConfig); and, where the stack runs Prometheus or writes its files, the
 * containers and files that hold every service's scrape jobs and rules. Each service's own objects
 * are its WebSocketMonitoring's (components/monitoring.ts). The one place that reads the
 * environment's settings by platform: the components below get the rendered models they need.
 */
import * as path from "node:path";
import type * as docker from "@pulumi/docker";
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { alertmanagerAddress, alertmanagerYaml, prometheusResendDelay } from "../alerts/alertmanager";
import { kubernetesRoutingObjects } from "../alerts/kubernetes";
import { grafanaMessageTemplate } from "../alerts/messages";
import { contactPoints, notificationPolicy, operationalHours } from "../alerts/notifications";
import { prometheusRulesYaml } from "../alerts/prometheus";
import { onPlatform, usesGrafanaApi, type KubernetesStack, type LocalStack, type Settings } from "../config/settings";
import { prometheusDatasource } from "../dashboards/datasource";
import { folderUid } from "../dashboards/ids";
import { resourceBaseName } from "../lib/naming";
import { RULES_FILE, environmentScrapeObjects, prometheusReloadUrl, prometheusYaml } from "../scrape/model";
import { prometheusRetention } from "../slo/retention";
import { grafanaHeartbeatGroups } from "../alerts/grafana";
import { ConnectionAlerting } from "./alerting";
import { AlertRules } from "./alertRules";
import type { EnvironmentArgs, ServiceArgs } from "./args";
import { PrometheusDatasource } from "./datasource";
import { DockerServices } from "./dockerServices";
import { settingsOf } from "./fromArgs";
import { MonitoringFolder } from "./grafanaFolder";
import { grafanaProvider } from "./grafanaProvider";
import { PrometheusAlerting, type PrometheusAlertingArgs } from "./prometheusAlerting";
import { ScrapeConfig, type ScrapeConfigArgs } from "./scrapeConfig";

export interface MonitoringEnvironmentArgs {
  /** The environment: the stack-wide settings, as each of its WebSocketMonitorings is given them. */
  environment: EnvironmentArgs;
  /** Every service of the environment, as each WebSocketMonitoring is given it: the shared scrape config, rule file and routing hold them all. */
  services: ServiceArgs[];
}

/** Each environment's Grafana provider: not a property, which schema inference would take for an output. */
const grafanaProviders = new WeakMap<MonitoringEnvironment, grafana.Provider>();

/** The type of the component that held everything before environments and services were apart. */
export const WEBSOCKET_MONITORING_TYPE = "websocket-monitoring:index:WebSocketMonitoring";
export const MONITORING_ENVIRONMENT_TYPE = "websocket-monitoring:index:MonitoringEnvironment";

export class MonitoringEnvironment extends pulumi.ComponentResource {
  /** The folder of the services' dashboards and rules: `<grafanaUrl>/dashboards/f/<uid>`. */
  readonly folderUrl: pulumi.Output<string>;
  /** Grafana contact points or Alertmanager receivers: the same names either way. */
  readonly contactPointNames: pulumi.Output<string[]>;
  /** Where the shared scrape config went (a file, the Prometheus container, a Secret); empty where each service has its own (ServiceMonitor and Probe). */
  readonly scrapeConfigLocation: pulumi.Output<string>;

  constructor(name: string, args: MonitoringEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(MONITORING_ENVIRONMENT_TYPE, name, {}, opts);
    const services = settingsOf({ component: `${MONITORING_ENVIRONMENT_TYPE} '${name}'`, servicesProperty: "services" }, args.environment, args.services);
    const s = services[0];
    const base = resourceBaseName(s);
    // A stack of one unlisted service held all of this under its WebSocketMonitoring of the same name: the aliases keep it from being replaced.
    const formerParent = s.service.listed ? undefined : pulumi.createUrn(name, WEBSOCKET_MONITORING_TYPE);
    const here = { parent: this, ...(formerParent && { aliases: [{ parent: formerParent }] }) };

    let grafanaContainer: docker.Container | undefined;
    let scrapeLocation: pulumi.Output<string> = pulumi.output("");
    if (s.platform === "docker") {
      const alerting = s.alerts.engine === "prometheus" && { rulesYaml: prometheusRulesYaml(services), alertmanagerYaml: alertmanagerFile(services), resendDelay: prometheusResendDelay(s).text };
      const containers = new DockerServices(
        base,
        {
          docker: s.docker,
          grafanaAuth: onPlatform(s, "docker").grafana.auth!,
          prometheusYaml: prometheusYaml(services),
          prometheusRetention: prometheusRetention(s.alerts.objectives.period).text,
          blackboxHost: s.scrape.blackboxExporter.split(":")[0],
          alerting: alerting || undefined,
          formerParent,
        },
        here,
      );
      grafanaContainer = containers.grafanaContainer;
      scrapeLocation = containers.prometheusContainerName;
    } else {
      const placement = s.platform === "local" ? localPlacement(services.map((x) => onPlatform(x, "local"))) : kubernetesPlacement(services.map((x) => onPlatform(x, "kubernetes")));
      // Prometheus loads the rule file its config names: place the rules first.
      const rules = s.alerts.engine === "prometheus" ? new PrometheusAlerting(`${base}-alerting`, placement.alerting(), here) : undefined;
      if (placement.scrape) scrapeLocation = new ScrapeConfig(`${base}-scrape`, placement.scrape, { ...here, dependsOn: rules ? [rules] : [] }).location;
    }

    const points = contactPoints(s);
    if (usesGrafanaApi(s)) {
      // Every Grafana object goes through this provider; on docker it waits for the container.
      const provider = grafanaProvider(`${base}-grafana`, s.grafana, { ...here, dependsOn: grafanaContainer ? [grafanaContainer] : [] });
      grafanaProviders.set(this, provider);
      grafanaObjects(base, services, { ...here, providers: { grafana: provider } });
    }

    // A sidecar's folder has no uid of the stack's: its title finds it.
    this.folderUrl = pulumi.output(usesGrafanaApi(s) ? `${s.grafana.url}/dashboards/f/${folderUid(s)}` : `${s.grafana.url}/dashboards?query=${encodeURIComponent(s.grafana.folderTitle)}`);
    this.contactPointNames = pulumi.output(points.map((c) => c.name));
    this.scrapeConfigLocation = scrapeLocation;
    this.registerOutputs({ folderUrl: this.folderUrl, contactPointNames: this.contactPointNames, scrapeConfigLocation: this.scrapeConfigLocation });
  }

  /** The Grafana provider of the environment: give it to each of its WebSocketMonitorings (`providers`), so that all its Grafana objects go through one. None where the stack calls no Grafana API. */
  grafanaProvider(): grafana.Provider | undefined {
    return grafanaProviders.get(this);
  }

  /** The `providers` to give each of its WebSocketMonitorings: the Grafana provider, where the stack calls Grafana's API. */
  providers(): Record<string, pulumi.ProviderResource> {
    const provider = this.grafanaProvider();
    return provider ? { grafana: provider } : {};
  }
}

/** The environment's objects in Grafana: the folder, the datasource, and with alertEngine grafana the contact points, routing and (with `services`) the heartbeat. */
function grafanaObjects(base: string, services: Settings[], inGrafana: pulumi.ComponentResourceOptions): void {
  const s = services[0];
  const folder = new MonitoringFolder(`${base}-folder`, { uid: folderUid(s), title: s.grafana.folderTitle, protect: s.protect }, inGrafana);
  new PrometheusDatasource(
    `${base}-datasource`,
    s.grafana.createDatasource ? { create: prometheusDatasource(s), protect: s.protect } : { existingUid: s.grafana.datasourceUid },
    inGrafana,
  );
  if (s.alerts.engine !== "grafana") return;
  const routing = {
    contactPoints: contactPoints(s),
    messageTemplate: grafanaMessageTemplate(services),
    operationalHours: services.map(operationalHours),
    notificationPolicy: s.grafana.routing === "policyTree" ? notificationPolicy(services) : undefined,
  };
  const alerting = new ConnectionAlerting(`${base}-alerting`, routing, inGrafana);
  // With `services`, the heartbeat is the environment's, in a group of its own (it names the heartbeat's contact point).
  const heartbeat = grafanaHeartbeatGroups(services);
  if (heartbeat.length) {
    const rules = { placement: "grafana" as const, ruleGroups: heartbeat, folderUid: folderUid(s) };
    new AlertRules(`${base}-heartbeat`, { rules, dependsOn: [folder, alerting], protect: s.protect }, inGrafana);
  }
}

/** alertmanager.yml holds the receivers' URLs: a Pulumi secret in the program and in the state. */
function alertmanagerFile(services: Settings[]): pulumi.Output<string> {
  return pulumi.secret(alertmanagerYaml(services));
}

/** Where the shared scrape config and (alertEngine prometheus) the rules and routing go, on a Prometheus the stack does not run. */
interface Placement {
  /** None where each service has its own (ServiceMonitor and Probe). */
  scrape?: ScrapeConfigArgs;
  /** Rendered only with alertEngine prometheus. */
  alerting(): PrometheusAlertingArgs;
}

/**
 * Files for the processes `npm run up` starts, each reloaded after a write; prometheus.yml and
 * rules.yml reload Prometheus only once both exist, whichever the engine writes last.
 */
function localPlacement(services: LocalStack[]): Placement {
  const s = services[0];
  const l = s.local;
  const prometheusFile = path.resolve(l.prometheusConfigFile);
  const rulesFile = path.join(path.dirname(prometheusFile), RULES_FILE);
  const prometheus = { reloadUrl: prometheusReloadUrl(s), reloadProcess: "Prometheus" };
  return {
    scrape: {
      placement: "file",
      path: prometheusFile,
      content: prometheusYaml(services),
      ...prometheus,
      ...(s.alerts.engine === "prometheus" && { readWith: [rulesFile] }),
    },
    alerting: () => ({
      placement: "files",
      rules: { path: rulesFile, content: prometheusRulesYaml(services), ...prometheus, readWith: [prometheusFile] },
      alertmanager: {
        path: path.resolve(l.alertmanagerConfigFile),
        content: alertmanagerFile(services),
        reloadUrl: `http://${alertmanagerAddress(s)}/-/reload`,
        reloadProcess: "Alertmanager",
      },
    }),
  };
}

/** prometheus-operator objects of the environment (scrape/model.ts, alerts/kubernetes.ts), Secrets included. */
function kubernetesPlacement(services: KubernetesStack[]): Placement {
  const scrape = environmentScrapeObjects(services);
  return {
    scrape: scrape.length ? { placement: "kubernetes", objects: scrape, protect: false } : undefined,
    alerting: () => ({ placement: "kubernetes", objects: kubernetesRoutingObjects(services), protect: services[0].protect }),
  };
}
