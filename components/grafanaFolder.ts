import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";

export interface MonitoringFolderArgs {
  /** Part of the URL users open (`/dashboards/f/<uid>`): changing it replaces the folder. */
  uid: string;
  title: string;
  protect: boolean;
}

/** The folder users open at /dashboards/f/<uid>. */
export class MonitoringFolder extends pulumi.ComponentResource {
  readonly uid: pulumi.Output<string>;

  constructor(name: string, args: MonitoringFolderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:MonitoringFolder", name, {}, opts);
    const folder = new grafana.oss.Folder(
      name,
      // Refuse to delete a folder that still holds dashboards someone else put there.
      { uid: args.uid, title: args.title, preventDestroyIfNotEmpty: true },
      { parent: this, protect: args.protect },
    );
    this.uid = folder.uid;
    this.registerOutputs({ uid: this.uid });
  }
}
