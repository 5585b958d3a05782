/**
 * alertEngine `prometheus` where the stack does not run Prometheus and Alertmanager itself: the
 * environment's alert rules evaluated by Prometheus and routed by Alertmanager.
 * - local: `rules.yml` beside prometheus.yml (every service's rules) and `alertmanager.yml`, each
 *   file followed by a reload of the process that reads it (`npm run up` starts both processes);
 * - kubernetes: the receivers' Secret, with `services` the heartbeat's PrometheusRule, and the
 *   AlertmanagerConfig (alerts/kubernetes.ts); each service's PrometheusRule is its own (components/alertRules.ts).
 * (On docker the Prometheus container gets the rules and an Alertmanager container runs beside
 * it: DockerServices.)
 */
import * as pulumi from "@pulumi/pulumi";
import { manifestLocation, registerManifests, type KubernetesPlacement } from "./kubernetesObjects";
import { LocalFile, type LocalFileArgs } from "./localFile";

/** The rendered rules and routing (alerts/) and where they go. */
export type PrometheusAlertingArgs =
  | {
      placement: "files";
      /** rules.yml, beside prometheus.yml, which loads it; reloads Prometheus. */
      rules: LocalFileArgs;
      /** alertmanager.yml (a Pulumi secret: it holds the receivers' URLs); reloads Alertmanager. */
      alertmanager: LocalFileArgs;
    }
  /** Kubernetes: the objects of kubernetesAlertingObjects. */
  | KubernetesPlacement;

/** The resource names' suffixes, as they were when each kind had its own code (renaming would replace them); the environment's only PrometheusRule is its heartbeat's. */
const SUFFIXES: Record<string, string> = { Secret: "receivers", PrometheusRule: "heartbeat", AlertmanagerConfig: "routing" };

export class PrometheusAlerting extends pulumi.ComponentResource {
  /** Where the rules and routing went: files or Kubernetes object names. */
  readonly location: pulumi.Output<string>;

  constructor(name: string, args: PrometheusAlertingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:PrometheusAlerting", name, {}, opts);

    if (args.placement === "files") {
      const rules = new LocalFile(`${name}-rules`, args.rules, { parent: this });
      const routing = new LocalFile(`${name}-alertmanager-config`, args.alertmanager, { parent: this, additionalSecretOutputs: ["content"] });
      this.location = pulumi.interpolate`${rules.path}, ${routing.path}`;
    } else {
      const created = registerManifests(name, args, (m) => SUFFIXES[m.kind], this);
      this.location = manifestLocation(args.objects, created);
    }
    this.registerOutputs({ location: this.location });
  }
}
