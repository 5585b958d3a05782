/**
 * How a Prometheus the stack does not run finds and scrapes the service:
 * - local: prometheus.yml written for the Prometheus process, which is then reloaded;
 * - kubernetes: a ServiceMonitor + Probe for prometheus-operator, or a Secret with plain scrape
 *   jobs for the `Prometheus` resource's additionalScrapeConfigs (scrape/model.ts).
 * (On docker the config goes into the Prometheus container: DockerServices.)
 */
import * as pulumi from "@pulumi/pulumi";
import { manifestLocation, registerManifests, type KubernetesPlacement } from "./kubernetesObjects";
import { LocalFile, type LocalFileArgs } from "./localFile";

/** The rendered scrape config (scrape/model.ts) and where it goes. */
export type ScrapeConfigArgs =
  /** local: prometheus.yml, then a POST to `reloadUrl` (Prometheus' /-/reload). */
  | ({ placement: "file" } & LocalFileArgs)
  /** Kubernetes: the objects of kubernetesScrapeObjects. */
  | KubernetesPlacement;

export class ScrapeConfig extends pulumi.ComponentResource {
  /** Where it went: a file path, or Kubernetes object names. */
  readonly location: pulumi.Output<string>;

  constructor(name: string, args: ScrapeConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:ScrapeConfig", name, {}, opts);
    if (args.placement === "file") {
      const { placement: _, ...file } = args;
      this.location = new LocalFile(`${name}-file`, file, { parent: this }).path;
    } else {
      const created = registerManifests(name, args, (m) => m.kind.toLowerCase(), this);
      this.location = manifestLocation(args.objects, created);
    }
    this.registerOutputs({ location: this.location });
  }
}
