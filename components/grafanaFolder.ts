import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { FOLDER_UID } from "../dashboards/ids";

export interface MonitoringFolderArgs {
  title: string;
  protect: boolean;
}

/** The folder users open at /dashboards/f/websocket-monitoring; its uid never changes. */
export class MonitoringFolder extends pulumi.ComponentResource {
  readonly uid: pulumi.Output<string>;

  constructor(name: string, args: MonitoringFolderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:MonitoringFolder", name, {}, opts);
    const folder = new grafana.oss.Folder(
      name,
      // Refuse to delete a folder that still holds dashboards someone else put there.
      { uid: FOLDER_UID, title: args.title, preventDestroyIfNotEmpty: true },
      { parent: this, protect: args.protect },
    );
    this.uid = folder.uid;
    this.registerOutputs({ uid: this.uid });
  }
}
