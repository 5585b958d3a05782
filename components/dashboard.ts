import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../config/settings";
import { buildDashboard } from "../dashboards/websocket";
import { stableJson } from "../lib/stableJson";

export interface ConnectionsDashboardArgs {
  settings: Settings;
  folderUid: pulumi.Input<string>;
  /** The datasource the panels name by uid: created first. */
  datasource: pulumi.Resource;
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
        // Plain, so that it is known at preview (policy pack); dependsOn orders it after the datasource.
        // Sorted keys, as Grafana hands the model back: no spurious diffs.
        configJson: stableJson(buildDashboard(s)),
        overwrite: true,
        message: "Updated by Pulumi (websocket-monitoring)",
      },
      { parent: this, protect: s.protect, dependsOn: [args.datasource] },
    );
    this.uid = dashboard.uid;
    this.url = dashboard.url;
    this.registerOutputs({ uid: this.uid, url: this.url });
  }
}
