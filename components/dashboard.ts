import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../config/settings";
import { dashboardJson } from "../dashboards/render";

export interface ConnectionsDashboardArgs {
  settings: Settings;
  folderUid: pulumi.Input<string>;
  /** The datasource must exist before panels reference it. */
  datasourceUid: pulumi.Input<string>;
}

/** The WebSocket dashboard (model in dashboards/websocket.ts) in the monitoring folder. */
export class ConnectionsDashboard extends pulumi.ComponentResource {
  readonly uid: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: ConnectionsDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:ConnectionsDashboard", name, {}, opts);
    const s = args.settings;
    const dashboard = new grafana.oss.Dashboard(
      name,
      {
        folder: args.folderUid,
        // Waits for the datasource uid, so the datasource exists first.
        configJson: pulumi.output(args.datasourceUid).apply(() => dashboardJson(s)),
        overwrite: true,
        message: "Updated by Pulumi (websocket-monitoring)",
      },
      { parent: this, protect: s.protect },
    );
    this.uid = dashboard.uid;
    this.url = dashboard.url;
    this.registerOutputs({ uid: this.uid, url: this.url });
  }
}
