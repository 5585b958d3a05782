import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";

export interface ConnectionsDashboardArgs {
  /** The dashboard model as JSON (dashboards/render.ts): plain, so that it is known at preview (policy pack). */
  configJson: string;
  folderUid: pulumi.Input<string>;
  /** The datasource the panels name by uid: created first. */
  datasource: pulumi.Resource;
  /** Refuse to delete it (`protect`). */
  protect: boolean;
}

/** The WebSocket dashboard (model in dashboards/websocket.ts) in the monitoring folder. */
export class ConnectionsDashboard extends pulumi.ComponentResource {
  readonly uid: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: ConnectionsDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:ConnectionsDashboard", name, {}, opts);
    const dashboard = new grafana.oss.Dashboard(
      name,
      {
        folder: args.folderUid,
        // dependsOn, not an output, orders it after the datasource: configJson stays known at preview.
        configJson: args.configJson,
        overwrite: true,
        message: "Updated by Pulumi (websocket-monitoring)",
      },
      { parent: this, protect: args.protect, dependsOn: [args.datasource] },
    );
    this.uid = dashboard.uid;
    this.url = dashboard.url;
    this.registerOutputs({ uid: this.uid, url: this.url });
  }
}
