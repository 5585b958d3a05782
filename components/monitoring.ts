/**
 * The whole monitoring of one environment and its services: scrape config, Grafana folder,
 * datasource, a dashboard per service and alerting (Grafana-managed, or Prometheus + Alertmanager
 * by `alertEngine`), all children of this component and named from one prefix (a listed service's
 * own objects with its name). The one place that reads the settings by platform: the components
 * below get the rendered models and the values they need.
 */
import * as path from "node:path";
import type * as docker from "@pulumi/docker";
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { eachService, onPlatform, type KubernetesStack, type LocalStack, type Services } from "../config/settings";
import { secretInput } from "../config/pulumi";
import { prometheusDatasource } from "../dashboards/datasource";
import { folderUid } from "../dashboards/ids";
import { buildDashboard } from "../dashboards/websocket";
import type { KubernetesManifest } from "../lib/kubernetes";
import { resourceBaseName, serviceBaseName } from "../lib/naming";
import { alertmanagerAddress, alertmanagerYaml } from "../alerts/alertmanager";
import { alertsOf } from "../alerts/definitions";
import { grafanaRuleGroups } from "../alerts/grafana";
import { kubernetesAlertingObjects, prometheusRule } from "../alerts/kubernetes";
import { grafanaMessageTemplate } from "../alerts/messages";
import { contactPoints, notificationPolicy, operationalHours } from "../alerts/notifications";
import { prometheusRulesYaml } from "../alerts/prometheus";
import { RULES_FILE, healthProbe, kubernetesScrapeObjects, prometheusReloadUrl, prometheusYaml, serviceMonitor } from "../scrape/model";
import { ConnectionAlerting } from "./alerting";
import { ConnectionsDashboard } from "./dashboard";
import { PrometheusDatasource } from "./datasource";
import { DockerServices } from "./dockerServices";
import { MonitoringFolder } from "./grafanaFolder";
import { PrometheusAlerting, type PrometheusAlertingArgs } from "./prometheusAlerting";
import { ScrapeConfig, type ScrapeConfigArgs } from "./scrapeConfig";
import { prometheusRetention } from "../slo/retention";

export interface WebSocketMonitoringArgs {
  /** The stack's services (config/validate.ts' validateServices), at least one; the environment's settings are the same in each. */
  services: Services;
}

export class WebSocketMonitoring extends pulumi.ComponentResource {
  readonly dashboardUrl: pulumi.Output<string>;
  readonly folderUrl: pulumi.Output<string>;
  readonly alertRuleNames: pulumi.Output<string[]>;
  readonly contactPointNames: pulumi.Output<string[]>;
  readonly scrapeConfigLocation: pulumi.Output<string>;

  constructor(name: string, args: WebSocketMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:WebSocketMonitoring", name, {}, opts);
    const services = eachService(args.services);
    const s = services[0];
    const base = resourceBaseName(s);
    const prometheusAlerts = s.alerts.engine === "prometheus";

    let grafanaContainer: docker.Container | undefined;
    if (s.platform === "docker") {
      const containers = new DockerServices(
        base,
        {
          docker: s.docker,
          grafanaAuth: s.grafana.auth,
          prometheusYaml: prometheusYaml(services),
          prometheusRetention: prometheusRetention(s.alerts.objectives.period).text,
          blackboxHost: s.scrape.blackboxExporter.split(":")[0],
          alerting: prometheusAlerts ? { rulesYaml: prometheusRulesYaml(services), alertmanagerYaml: alertmanagerFile(services) } : undefined,
        },
        { parent: this },
      );
      grafanaContainer = containers.grafanaContainer;
      this.scrapeConfigLocation = containers.prometheusContainerName;
    } else {
      const placement = s.platform === "local" ? localPlacement(services.map((x) => onPlatform(x, "local"))) : kubernetesPlacement(services.map((x) => onPlatform(x, "kubernetes")));
      // Prometheus loads the rule file its config names: place the rules first.
      const rules = prometheusAlerts ? new PrometheusAlerting(`${base}-alerting`, placement.alerting(), { parent: this }) : undefined;
      const scrape = new ScrapeConfig(`${base}-scrape`, placement.scrape, { parent: this, dependsOn: rules ? [rules] : [] });
      this.scrapeConfigLocation = scrape.location;
    }

    // Every Grafana object goes through this provider; on docker it waits for the container.
    const provider = new grafana.Provider(
      `${base}-grafana`,
      { url: s.grafana.url, auth: secretInput(s.grafana.auth), retries: 3 },
      { parent: this, dependsOn: grafanaContainer ? [grafanaContainer] : [] },
    );
    const inGrafana = { parent: this, providers: { grafana: provider } };

    const folder = new MonitoringFolder(`${base}-folder`, { uid: folderUid(s), title: s.grafana.folderTitle, protect: s.protect }, inGrafana);
    const datasource = new PrometheusDatasource(
      `${base}-datasource`,
      s.grafana.createDatasource ? { create: prometheusDatasource(s), protect: s.protect } : { existingUid: s.grafana.datasourceUid },
      inGrafana,
    );
    const dashboards = services.map(
      (service) =>
        new ConnectionsDashboard(
          `${serviceBaseName(service)}-dashboard`,
          { model: buildDashboard(service), folderUid: folder.uid, datasource, protect: s.protect },
          inGrafana,
        ),
    );
    const points = contactPoints(s);
    if (s.alerts.engine === "grafana") {
      new ConnectionAlerting(
        `${base}-alerting`,
        {
          ruleGroups: services.flatMap(grafanaRuleGroups),
          contactPoints: points,
          messageTemplate: grafanaMessageTemplate(services),
          operationalHours: operationalHours(s),
          notificationPolicy: s.grafana.routing === "policyTree" ? notificationPolicy(s) : undefined,
          folderUid: folder.uid,
          rulesDependOn: [datasource, ...dashboards],
          protect: s.protect,
        },
        inGrafana,
      );
    }

    // The first service's: the stack's output keeps its single-service shape.
    this.dashboardUrl = dashboards[0].url;
    this.folderUrl = pulumi.output(`${s.grafana.url}/dashboards/f/${folderUid(s)}`);
    this.alertRuleNames = pulumi.output([...new Set(services.flatMap((x) => alertsOf(x)).map((a) => a.name))]);
    // Grafana contact points or Alertmanager receivers: the same names either way.
    this.contactPointNames = pulumi.output(points.map((c) => c.name));
    this.registerOutputs({
      dashboardUrl: this.dashboardUrl,
      folderUrl: this.folderUrl,
      alertRuleNames: this.alertRuleNames,
      contactPointNames: this.contactPointNames,
      scrapeConfigLocation: this.scrapeConfigLocation,
    });
  }
}

/** alertmanager.yml holds the receivers' URLs: a Pulumi secret in the program and in the state. */
function alertmanagerFile(services: Services): pulumi.Output<string> {
  return pulumi.secret(alertmanagerYaml(services));
}

/** Where the scrape config and (alertEngine prometheus) the rules and routing of a Prometheus the stack does not run go. */
interface Placement {
  scrape: ScrapeConfigArgs;
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

/** prometheus-operator objects (scrape/model.ts, alerts/kubernetes.ts), Secrets included. */
function kubernetesPlacement(services: KubernetesStack[]): Placement {
  // A listed service's own objects, by kind and name: their resource names carry the service's.
  const owners = new Map(
    services.filter((s) => s.service.listed).flatMap((s) => [serviceMonitor(s), healthProbe(s), prometheusRule(s)].map((m) => [key(m), s.service.name] as const)),
  );
  const serviceOf = (m: KubernetesManifest) => owners.get(key(m));
  return {
    scrape: { placement: "kubernetes", objects: kubernetesScrapeObjects(services), serviceOf, protect: false },
    alerting: () => ({ placement: "kubernetes", objects: kubernetesAlertingObjects(services), serviceOf, protect: services[0].protect }),
  };
}

const key = (m: KubernetesManifest) => `${m.kind}/${m.metadata.name}`;
