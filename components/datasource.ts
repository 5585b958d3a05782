import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../config/settings";
import { prometheusDatasource } from "../dashboards/datasource";
import { stableJson } from "../lib/stableJson";

/**
 * The Prometheus datasource the dashboard and rules query: created where the stack runs
 * Prometheus itself, looked up by uid where it already exists (so a wrong uid fails the
 * preview instead of producing empty panels).
 */
export class PrometheusDatasource extends pulumi.ComponentResource {
  readonly uid: pulumi.Output<string>;

  constructor(name: string, args: { settings: Settings }, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:PrometheusDatasource", name, {}, opts);
    const s = args.settings;
    if (s.grafana.createDatasource) {
      const { jsonData, ...datasource } = prometheusDatasource(s);
      const ds = new grafana.oss.DataSource(name, { ...datasource, jsonDataEncoded: stableJson(jsonData) }, { parent: this, protect: s.protect });
      this.uid = ds.uid;
    } else {
      const found = grafana.oss.getDataSourceOutput({ uid: s.grafana.datasourceUid }, { parent: this });
      this.uid = found.uid;
    }
    this.registerOutputs({ uid: this.uid });
  }
}
