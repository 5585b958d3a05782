/**
 * How Prometheus finds and scrapes the service, on each platform:
 * - local: prometheus.yml written for the Prometheus process, which is then reloaded;
 * - docker: Prometheus and blackbox exporter containers with the rendered config uploaded;
 * - kubernetes: a ServiceMonitor + Probe for prometheus-operator, or a Secret with plain scrape
 *   jobs for Prometheus' additionalScrapeConfigs.
 */
import * as path from "node:path";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { DockerStack } from "../config/settings";
import { resourceBaseName } from "../lib/naming";
import type { KubernetesObject } from "../lib/kubernetes";
import { RULES_FILE, healthProbe, kubernetesScrapeJobs, prometheusReloadUrl, prometheusYaml, serviceMonitor } from "../scrape/model";
import { prometheusRulesYaml } from "../alerts/prometheus";
import { BLACKBOX_CONFIG } from "../scrape/blackbox";
import { LocalFile } from "./localFile";
import type { PlatformArgs } from "./platformArgs";

export const SCRAPE_SECRET_KEY = "websocket-scrape.yaml";

export class ScrapeConfig extends pulumi.ComponentResource {
  /** Where it went: a file path, a container, or Kubernetes object names. */
  readonly location: pulumi.Output<string>;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:ScrapeConfig", name, {}, opts);
    const s = args.settings;
    const parent = { parent: this };

    if (s.platform === "kubernetes") {
      const k = s.kubernetes;
      if (k.scrapeMode === "serviceMonitor") {
        const objects: KubernetesObject[] = [serviceMonitor(s), healthProbe(s)];
        const created = objects.map(
          (o) => new k8s.apiextensions.CustomResource(`${name}-${o.kind.toLowerCase()}`, { ...o }, parent),
        );
        this.location = pulumi.interpolate`${k.namespace}/${created.map((c) => c.metadata.name).join(",")}`;
      } else {
        const secret = new k8s.core.v1.Secret(
          `${name}-secret`,
          {
            metadata: { name: `${resourceBaseName(s)}-scrape-config`, namespace: k.namespace, labels: k.monitorLabels },
            stringData: { [SCRAPE_SECRET_KEY]: stringify(kubernetesScrapeJobs(s)) },
          },
          parent,
        );
        this.location = pulumi.interpolate`${k.namespace}/${secret.metadata.name} key ${SCRAPE_SECRET_KEY}`;
      }
    } else if (s.platform === "local") {
      const file = new LocalFile(
        `${name}-file`,
        {
          path: path.resolve(s.local.prometheusConfigFile),
          content: prometheusYaml(s),
          reloadUrl: prometheusReloadUrl(s),
        },
        parent,
      );
      this.location = file.path;
    } else {
      const prometheus = dockerPrometheus(name, s, prometheusYaml(s), args.dockerNetwork!, this);
      this.location = prometheus.name;
    }
    this.registerOutputs({ location: this.location });
  }
}

function dockerPrometheus(name: string, s: DockerStack, prometheusYaml: string, network: docker.Network, parent: pulumi.Resource) {
  const d = s.docker;
  const base = resourceBaseName(s);
  const data = new docker.Volume(`${name}-prometheus-data`, { name: `${base}-prometheus-data` }, { parent, retainOnDelete: d.keepData });
  const image = (key: string, ref: string) => new docker.RemoteImage(`${name}-${key}-image`, { name: ref, keepLocally: true }, { parent });

  new docker.Container(
    `${name}-blackbox-exporter`,
    {
      name: `${base}-blackbox-exporter`,
      image: image("blackbox", d.blackboxImage).imageId,
      command: ["--config.file=/etc/blackbox_exporter/config.yml"],
      uploads: [{ file: "/etc/blackbox_exporter/config.yml", content: BLACKBOX_CONFIG }],
      networksAdvanced: [{ name: network.name, aliases: [s.scrape.blackboxExporter.split(":")[0]] }],
      restart: "unless-stopped",
    },
    { parent },
  );
  return new docker.Container(
    `${name}-prometheus`,
    {
      name: `${base}-prometheus`,
      image: image("prometheus", d.prometheusImage).imageId,
      command: ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus", "--web.enable-lifecycle"],
      uploads: [
        { file: "/etc/prometheus/prometheus.yml", content: prometheusYaml },
        // alertEngine prometheus: the rules its config loads (the Alertmanager is PrometheusAlerting's).
        ...(s.alerts.engine === "prometheus" ? [{ file: `/etc/prometheus/${RULES_FILE}`, content: prometheusRulesYaml(s) }] : []),
      ],
      volumes: [{ volumeName: data.name, containerPath: "/prometheus" }],
      ports: [{ internal: 9090, external: d.prometheusPort, ip: "127.0.0.1" }],
      networksAdvanced: [{ name: network.name, aliases: ["prometheus"] }],
      healthcheck: { tests: ["CMD", "wget", "-q", "-O-", "http://localhost:9090/-/ready"], interval: "5s", retries: 12 },
      wait: true,
      restart: "unless-stopped",
    },
    { parent },
  );
}
