/**
 * The whole monitoring of one environment: scrape config, Grafana folder, datasource, dashboard
 * and alerting (Grafana-managed, or Prometheus + Alertmanager by `alertEngine`), all children of
 * this component and named from one prefix.
 */
import * as docker from "@pulumi/docker";
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../config/settings";
import { secretInput } from "../config/pulumi";
import { folderUid } from "../dashboards/ids";
import { resourceBaseName } from "../lib/naming";
import { alertDefinitions } from "../alerts/definitions";
import { contactPoints } from "../alerts/notifications";
import { ConnectionAlerting } from "./alerting";
import { ConnectionsDashboard } from "./dashboard";
import { PrometheusDatasource } from "./datasource";
import { DockerGrafana } from "./dockerGrafana";
import { MonitoringFolder } from "./grafanaFolder";
import { PrometheusAlerting } from "./prometheusAlerting";
import { ScrapeConfig } from "./scrapeConfig";

export interface WebSocketMonitoringArgs {
  settings: Settings;
}

export class WebSocketMonitoring extends pulumi.ComponentResource {
  readonly dashboardUrl: pulumi.Output<string>;
  readonly folderUrl: pulumi.Output<string>;
  readonly alertRuleNames: pulumi.Output<string[]>;
  readonly contactPointNames: pulumi.Output<string[]>;
  readonly scrapeConfigLocation: pulumi.Output<string>;

  constructor(name: string, args: WebSocketMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:WebSocketMonitoring", name, {}, opts);
    const s = args.settings;
    const base = resourceBaseName(s);

    let network: docker.Network | undefined;
    let grafanaContainer: docker.Container | undefined;
    if (s.platform === "docker") {
      network = new docker.Network(`${base}-network`, { name: s.docker.network }, { parent: this });
      grafanaContainer = new DockerGrafana(`${base}-grafana`, { settings: s, network }, { parent: this }).container;
    }

    // Prometheus loads the rule file its config names: place the rules first.
    const prometheusAlerting =
      s.alerts.engine === "prometheus"
        ? new PrometheusAlerting(`${base}-alerting`, { settings: s, dockerNetwork: network }, { parent: this })
        : undefined;
    const scrape = new ScrapeConfig(
      `${base}-scrape`,
      { settings: s, dockerNetwork: network },
      { parent: this, dependsOn: prometheusAlerting ? [prometheusAlerting] : [] },
    );

    // Every Grafana object goes through this provider; on docker it waits for the container.
    const provider = new grafana.Provider(
      `${base}-grafana`,
      { url: s.grafana.url, auth: secretInput(s.grafana.auth), retries: 3 },
      { parent: this, dependsOn: grafanaContainer ? [grafanaContainer] : [] },
    );
    const inGrafana = { parent: this, providers: { grafana: provider } };

    const folder = new MonitoringFolder(`${base}-folder`, { uid: folderUid(s), title: s.grafana.folderTitle, protect: s.protect }, inGrafana);
    const datasource = new PrometheusDatasource(`${base}-datasource`, { settings: s }, inGrafana);
    const dashboard = new ConnectionsDashboard(
      `${base}-dashboard`,
      { settings: s, folderUid: folder.uid, datasource },
      inGrafana,
    );
    if (s.alerts.engine === "grafana") {
      new ConnectionAlerting(
        `${base}-alerting`,
        { settings: s, folderUid: folder.uid, rulesDependOn: [datasource, dashboard] },
        inGrafana,
      );
    }

    this.dashboardUrl = dashboard.url;
    this.folderUrl = pulumi.output(`${s.grafana.url}/dashboards/f/${folderUid(s)}`);
    this.alertRuleNames = pulumi.output(alertDefinitions(s).map((a) => a.name));
    // Grafana contact points or Alertmanager receivers: the same names either way.
    this.contactPointNames = pulumi.output(contactPoints(s).map((c) => c.name));
    this.scrapeConfigLocation = scrape.location;
    this.registerOutputs({
      dashboardUrl: this.dashboardUrl,
      folderUrl: this.folderUrl,
      alertRuleNames: this.alertRuleNames,
      contactPointNames: this.contactPointNames,
      scrapeConfigLocation: this.scrapeConfigLocation,
    });
  }
}
