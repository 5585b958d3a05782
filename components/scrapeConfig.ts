/**
 * How a Prometheus the stack does not run finds and scrapes the service:
 * - local: prometheus.yml written for the Prometheus process, which is then reloaded;
 * - kubernetes: a ServiceMonitor + Probe for prometheus-operator, or a Secret with plain scrape
 *   jobs for Prometheus' additionalScrapeConfigs.
 * (On docker the config goes into the Prometheus container: DockerServices.)
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { KubernetesObject } from "../lib/kubernetes";
import type { ScrapeJob } from "../scrape/model";
import { LocalFile } from "./localFile";

const SCRAPE_SECRET_KEY = "websocket-scrape.yaml";

/** The rendered scrape config (scrape/model.ts) and where it goes. */
export type ScrapeConfigArgs =
  /** local: prometheus.yml, then a POST to `reloadUrl` (Prometheus' /-/reload). */
  | { placement: "file"; path: string; content: string; reloadUrl: string }
  /** prometheus-operator: the ServiceMonitor and Probe, in `namespace`. */
  | { placement: "operator"; namespace: string; objects: KubernetesObject[] }
  /** Plain Prometheus on Kubernetes: the jobs in a Secret, under SCRAPE_SECRET_KEY, for additionalScrapeConfigs. */
  | { placement: "secret"; metadata: KubernetesObject["metadata"]; jobs: ScrapeJob[] };

/** Creates the resources of one placement, children of `parent`; resolves to where the config went. */
function place(name: string, args: ScrapeConfigArgs, parent: pulumi.Resource): pulumi.Output<string> {
  switch (args.placement) {
    case "operator": {
      const created = args.objects.map((o) => new k8s.apiextensions.CustomResource(`${name}-${o.kind.toLowerCase()}`, { ...o }, { parent }));
      return pulumi.all(created.map((c) => c.metadata.name)).apply((names) => `${args.namespace}/${names.join(",")}`);
    }
    case "secret": {
      const stringData = { [SCRAPE_SECRET_KEY]: stringify(args.jobs) };
      const secret = new k8s.core.v1.Secret(`${name}-secret`, { metadata: args.metadata, stringData }, { parent });
      return pulumi.interpolate`${args.metadata.namespace}/${secret.metadata.name} key ${SCRAPE_SECRET_KEY}`;
    }
    case "file":
      return new LocalFile(`${name}-file`, { path: args.path, content: args.content, reloadUrl: args.reloadUrl }, { parent }).path;
  }
}

export class ScrapeConfig extends pulumi.ComponentResource {
  /** Where it went: a file path, or Kubernetes object names. */
  readonly location: pulumi.Output<string>;

  constructor(name: string, args: ScrapeConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:ScrapeConfig", name, {}, opts);
    this.location = place(name, args, this);
    this.registerOutputs({ location: this.location });
  }
}
