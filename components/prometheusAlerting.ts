/**
 * alertEngine `prometheus` where the stack does not run Prometheus and Alertmanager itself: the
 * alert rules evaluated by Prometheus and routed by Alertmanager.
 * - local: `rules.yml` beside prometheus.yml and `alertmanager.yml`, each file followed by a
 *   reload of the process that reads it (`npm run up` starts both processes);
 * - kubernetes: a PrometheusRule, and an AlertmanagerConfig whose receiver URLs come from a Secret.
 * (On docker the Prometheus container gets the rules and an Alertmanager container runs beside
 * it: DockerServices.)
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { RECEIVER_SECRET_KEYS } from "../alerts/kubernetes";
import type { Secret } from "../config/secret";
import { secretInput } from "../config/pulumi";
import type { KubernetesObject } from "../lib/kubernetes";
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
  | {
      placement: "operator";
      namespace: string;
      /** The PrometheusRule. */
      rules: KubernetesObject;
      /** The AlertmanagerConfig; it names its receivers' URLs in `receiverSecret`. */
      routing: KubernetesObject;
      /** The Secret the AlertmanagerConfig reads the Slack and webhook URLs from (RECEIVER_SECRET_KEYS). */
      receiverSecret: { metadata: KubernetesObject["metadata"]; slackWebhookUrl?: Secret; webhookUrl?: Secret };
    };

export class PrometheusAlerting extends pulumi.ComponentResource {
  /** Where the rules and routing went: files or Kubernetes object names. */
  readonly location: pulumi.Output<string>;

  constructor(name: string, args: PrometheusAlertingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:PrometheusAlerting", name, {}, opts);
    const parent = { parent: this };

    if (args.placement === "files") {
      const rules = new LocalFile(`${name}-rules`, args.rules, parent);
      const routing = new LocalFile(`${name}-alertmanager-config`, args.alertmanager, { parent: this, additionalSecretOutputs: ["content"] });
      this.location = pulumi.interpolate`${rules.path}, ${routing.path}`;
    } else {
      const { metadata, slackWebhookUrl, webhookUrl } = args.receiverSecret;
      const secret = new k8s.core.v1.Secret(
        `${name}-receivers`,
        {
          metadata,
          stringData: {
            ...(slackWebhookUrl && { [RECEIVER_SECRET_KEYS.slack]: secretInput(slackWebhookUrl) }),
            ...(webhookUrl && { [RECEIVER_SECRET_KEYS.webhook]: secretInput(webhookUrl) }),
          },
        },
        parent,
      );
      const rule = new k8s.apiextensions.CustomResource(`${name}-rules`, { ...args.rules }, parent);
      // The operator reads the Secret when it renders the config: create it first.
      const routing = new k8s.apiextensions.CustomResource(`${name}-routing`, { ...args.routing }, { parent: this, dependsOn: [secret] });
      this.location = pulumi.interpolate`${args.namespace}/${rule.metadata.name},${routing.metadata.name}`;
    }
    this.registerOutputs({ location: this.location });
  }
}
