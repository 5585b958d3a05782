/**
 * alertEngine `prometheus`: the alert rules evaluated by Prometheus and routed by Alertmanager.
 * - local: `rules.yml` beside prometheus.yml and `alertmanager.yml`, each file followed by a
 *   reload of the process that reads it (`npm run up` starts both processes);
 * - docker: an Alertmanager container on the stack's network (the Prometheus container gets the
 *   rule file with its config, see ScrapeConfig);
 * - kubernetes: a PrometheusRule, and an AlertmanagerConfig whose receiver URLs come from a Secret.
 */
import * as path from "node:path";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { alertmanagerYaml } from "../alerts/alertmanager";
import { RECEIVER_SECRET_KEYS, alertReceiverSecretName, alertmanagerConfigObject, prometheusRule } from "../alerts/kubernetes";
import { prometheusRulesYaml } from "../alerts/prometheus";
import { secretInput } from "../config/pulumi";
import { resourceBaseName } from "../lib/naming";
import { RULES_FILE, prometheusReloadUrl } from "../scrape/model";
import { LocalFile } from "./localFile";
import type { PlatformArgs } from "./platformArgs";

export class PrometheusAlerting extends pulumi.ComponentResource {
  /** Where the rules and routing went: files, a container, or Kubernetes object names. */
  readonly location: pulumi.Output<string>;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:PrometheusAlerting", name, {}, opts);
    const s = args.settings;
    const parent = { parent: this };
    // The file holds the receivers' URLs: a Pulumi secret in the program and in the state.
    const alertmanagerFile = pulumi.secret(alertmanagerYaml(s));

    if (s.platform === "local") {
      const l = s.local;
      const rules = new LocalFile(
        `${name}-rules`,
        {
          path: path.join(path.dirname(path.resolve(l.prometheusConfigFile)), RULES_FILE),
          content: prometheusRulesYaml(s),
          reloadUrl: prometheusReloadUrl(s),
        },
        parent,
      );
      const routing = new LocalFile(
        `${name}-alertmanager-config`,
        { path: path.resolve(l.alertmanagerConfigFile), content: alertmanagerFile, reloadUrl: `http://127.0.0.1:${l.alertmanagerPort}/-/reload` },
        { parent: this, additionalSecretOutputs: ["content"] },
      );
      this.location = pulumi.interpolate`${rules.path}, ${routing.path}`;
    } else if (s.platform === "docker") {
      const d = s.docker;
      const base = resourceBaseName(s);
      const image = new docker.RemoteImage(`${name}-alertmanager-image`, { name: d.alertmanagerImage, keepLocally: true }, parent);
      const data = new docker.Volume(`${name}-alertmanager-data`, { name: `${base}-alertmanager-data` }, { parent: this, retainOnDelete: d.keepData });
      const container = new docker.Container(
        `${name}-alertmanager`,
        {
          name: `${base}-alertmanager`,
          image: image.imageId,
          command: ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"],
          uploads: [{ file: "/etc/alertmanager/alertmanager.yml", content: alertmanagerFile }],
          volumes: [{ volumeName: data.name, containerPath: "/alertmanager" }],
          ports: [{ internal: 9093, external: d.alertmanagerPort, ip: "127.0.0.1" }],
          networksAdvanced: [{ name: args.dockerNetwork!.name, aliases: ["alertmanager"] }],
          healthcheck: { tests: ["CMD", "wget", "-q", "-O-", "http://localhost:9093/-/ready"], interval: "5s", retries: 12 },
          wait: true,
          restart: "unless-stopped",
        },
        parent,
      );
      this.location = container.name;
    } else {
      const k = s.kubernetes;
      const urls = s.notifications;
      const secret = new k8s.core.v1.Secret(
        `${name}-receivers`,
        {
          metadata: { name: alertReceiverSecretName(s), namespace: k.namespace, labels: k.monitorLabels },
          stringData: {
            ...(urls.slack && { [RECEIVER_SECRET_KEYS.slack]: secretInput(urls.slack.webhookUrl) }),
            ...(urls.webhook && { [RECEIVER_SECRET_KEYS.webhook]: secretInput(urls.webhook.url) }),
          },
        },
        parent,
      );
      const rule = new k8s.apiextensions.CustomResource(`${name}-rules`, { ...prometheusRule(s) }, parent);
      // The operator reads the Secret when it renders the config: create it first.
      const routing = new k8s.apiextensions.CustomResource(`${name}-routing`, { ...alertmanagerConfigObject(s) }, { parent: this, dependsOn: [secret] });
      this.location = pulumi.interpolate`${k.namespace}/${rule.metadata.name},${routing.metadata.name}`;
    }
    this.registerOutputs({ location: this.location });
  }
}
