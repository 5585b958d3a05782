import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import type { KubernetesConfigMap } from "../lib/kubernetes";
import { stableJson } from "../lib/stableJson";
import { registerManifests } from "./kubernetesObjects";

export type ConnectionsDashboardArgs =
  | {
      placement: "grafana";
      /** The dashboard model (dashboards/websocket.ts), serialized here. */
      model: Dashboard;
      folderUid: pulumi.Input<string>;
      /** What it names and must follow: the folder, the datasource the panels name by uid (the environment). */
      dependsOn: pulumi.Input<pulumi.Resource>[];
      /** Refuse to delete it (`protect`). */
      protect: boolean;
    }
  | {
      /** The same model in a ConfigMap for a Grafana sidecar (dashboards/configMap.ts). */
      placement: "kubernetes";
      configMap: KubernetesConfigMap;
      uid: string;
      /** Where users open it: `<url>/d/<uid>`. */
      grafanaUrl: string;
      protect: boolean;
    };

/** The WebSocket dashboard (model in dashboards/websocket.ts): in the monitoring folder through Grafana's API, or as a ConfigMap. */
export class ConnectionsDashboard extends pulumi.ComponentResource {
  readonly uid: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: ConnectionsDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:ConnectionsDashboard", name, {}, opts);
    if (args.placement === "kubernetes") {
      registerManifests(name, { placement: "kubernetes", objects: [args.configMap], protect: args.protect }, () => "configmap", this);
      this.uid = pulumi.output(args.uid);
      this.url = pulumi.output(`${args.grafanaUrl}/d/${args.uid}`);
    } else {
      const dashboard = new grafana.oss.Dashboard(
        name,
        {
          folder: args.folderUid,
          // Plain, so that it is known at preview (policy pack); dependsOn orders it after the datasource.
          // Sorted keys, as Grafana hands the model back: no spurious diffs.
          configJson: stableJson(args.model),
          overwrite: true,
          message: "Updated by Pulumi (websocket-monitoring)",
        },
        { parent: this, protect: args.protect, dependsOn: args.dependsOn },
      );
      this.uid = dashboard.uid;
      this.url = dashboard.url;
    }
    this.registerOutputs({ uid: this.uid, url: this.url });
  }
}
