import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import type { PrometheusDatasourceModel } from "../dashboards/datasource";
import { stableJson } from "../lib/stableJson";

/**
 * The Prometheus datasource the dashboard and rules query: created where the stack runs
 * Prometheus itself, looked up by uid where it already exists (so a wrong uid fails the
 * preview instead of producing empty panels).
 */
export type PrometheusDatasourceArgs =
  /** createDatasource: the datasource to create (dashboards/datasource.ts), protected from deletion with `protect`. */
  | { create: PrometheusDatasourceModel; protect: boolean }
  /** An existing datasource, by uid. */
  | { existingUid: string };

export class PrometheusDatasource extends pulumi.ComponentResource {
  readonly uid: pulumi.Output<string>;

  constructor(name: string, args: PrometheusDatasourceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:PrometheusDatasource", name, {}, opts);
    if ("create" in args) {
      const { jsonData, ...datasource } = args.create;
      const ds = new grafana.oss.DataSource(name, { ...datasource, jsonDataEncoded: stableJson(jsonData) }, { parent: this, protect: args.protect });
      this.uid = ds.uid;
    } else {
      const found = grafana.oss.getDataSourceOutput({ uid: args.existingUid }, { parent: this });
      this.uid = found.uid;
    }
    this.registerOutputs({ uid: this.uid });
  }
}
