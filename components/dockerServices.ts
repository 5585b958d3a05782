/**
 * The docker platform's services, all of them: the network, Prometheus (with the rendered
 * scrape config and, with alertEngine `prometheus`, the rules), the blackbox exporter, Grafana
 * and, with alertEngine `prometheus`, Alertmanager, each with its image and data volume.
 *
 * Existing stacks: these resources used to belong to other components (the network to
 * WebSocketMonitoring, Grafana to DockerGrafana, Prometheus and the blackbox exporter to
 * ScrapeConfig); Alertmanager is new here and has no former place. A URN is
 * `urn:pulumi:<stack>::<project>::<type of each parent>$<type>::<name>`, so a new parent is a new
 * URN, and the engine would delete the old resource and create this one: containers recreated,
 * data volumes deleted. Each moved resource therefore keeps its name and carries
 * `aliases: [{ parent: <old parent's URN> }]`: an Alias lists what changed (here only the parent;
 * name and type are the current ones), and when the engine finds the URN so computed in the
 * state, it takes that resource as this one and only rewrites its URN. The old parents are gone
 * from the program, so their URNs are computed (`createUrn`) from their type and name under the
 * WebSocketMonitoring component they were registered under (`formerParent`; this component has
 * since moved into the MonitoringEnvironment, with an alias of its own). The aliases can go once
 * every docker stack has run `pulumi up` with them.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { Secret } from "../lib/secret";
import type { DockerSettings } from "../config/settings";
import { RULES_FILE } from "../scrape/model";
import { BLACKBOX_CONFIG } from "../scrape/blackbox";

export interface DockerServicesArgs {
  /** Network, images, host ports, data retention (`keepData`) and Grafana's SMTP. */
  docker: DockerSettings;
  /** Grafana's admin account, `user:password` (grafanaAuth): reaches the container only as a Pulumi secret. */
  grafanaAuth: Secret;
  /** The Prometheus container's prometheus.yml (scrape/model.ts). */
  prometheusYaml: string;
  /** How long Prometheus keeps its data: at least the objectives' period (slo/retention.ts). */
  prometheusRetention: string;
  /** The blackbox exporter's name on the network: the host part of the address the probe jobs name. */
  blackboxHost: string;
  /** alertEngine `prometheus`: the rule file prometheus.yml loads, the Alertmanager's config (a Pulumi secret: it holds the receivers' URLs), how often Prometheus re-sends a firing alert (prometheusResendDelay). */
  alerting?: { rulesYaml: string; alertmanagerYaml: pulumi.Input<string>; resendDelay: string };
  /** Where the moved resources were registered, under their old parents (see above); unset: a stack without that history. */
  formerParent?: pulumi.Input<string>;
}

/** Grafana, Prometheus and Alertmanager: each keeps its data in a volume and answers on a port. */
const SERVICES = {
  grafana: { port: 3000, dataPath: "/var/lib/grafana", healthPath: "/api/health", retries: 24 },
  prometheus: { port: 9090, dataPath: "/prometheus", healthPath: "/-/ready", retries: 12 },
  alertmanager: { port: 9093, dataPath: "/alertmanager", healthPath: "/-/ready", retries: 12 },
};

/** Every container, volume and image of a docker stack, on one network. */
export class DockerServices extends pulumi.ComponentResource {
  /** Grafana, healthy once created: the Grafana provider waits for it. */
  readonly grafanaContainer: docker.Container;
  /** The container that holds the scrape config. */
  readonly prometheusContainerName: pulumi.Output<string>;

  /**
   * @param name the stack's base name (`resourceBaseName`): container, volume and resource names
   *   derive from it as they did under the old parents (`<name>-scrape-prometheus`, …), so they stay.
   */
  constructor(name: string, args: DockerServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:DockerServices", name, {}, opts);
    const d = args.docker;
    // Where a moved resource was registered before (see the file comment): under this component's
    // parent, or under a component that stood beside this one.
    const movedFrom = (oldParent: pulumi.Resource | pulumi.Input<string>): pulumi.CustomResourceOptions => ({ parent: this, aliases: [{ parent: oldParent }] });
    const formerParent = args.formerParent ?? opts?.parent;
    const formerComponent = (type: string, componentName: string) => pulumi.createUrn(componentName, `websocket-monitoring:index:${type}`, formerParent);
    const image = (resourceName: string, ref: string, from: pulumi.CustomResourceOptions) =>
      new docker.RemoteImage(resourceName, { name: ref, keepLocally: true }, from);

    const network = new docker.Network(`${name}-network`, { name: d.network }, movedFrom(formerParent ?? pulumi.rootStackResource));
    const onNetwork = (alias: string) => [{ name: network.name, aliases: [alias] }];

    /**
     * One of SERVICES (its network alias, and the `<name>-<service>` of its container and volume),
     * published on the host's loopback, created once healthy. `resourceName`: the container's
     * logical name and its image's and volume's prefix, as under the old parent.
     */
    const service = (
      key: keyof typeof SERVICES,
      resourceName: string,
      ref: string,
      hostPort: number,
      container: Pick<docker.ContainerArgs, "command" | "uploads" | "envs">,
      from: pulumi.CustomResourceOptions,
    ) => {
      const { port, dataPath, healthPath, retries } = SERVICES[key];
      const data = new docker.Volume(`${resourceName}-data`, { name: `${name}-${key}-data` }, { ...from, retainOnDelete: d.keepData });
      return new docker.Container(
        resourceName,
        {
          name: `${name}-${key}`,
          image: image(`${resourceName}-image`, ref, from).imageId,
          ...container,
          volumes: [{ volumeName: data.name, containerPath: dataPath }],
          ports: [{ internal: port, external: hostPort, ip: "127.0.0.1" }],
          networksAdvanced: onNetwork(key),
          healthcheck: { tests: ["CMD", "wget", "-q", "-O-", `http://localhost:${port}${healthPath}`], interval: "5s", retries },
          wait: true,
          restart: "unless-stopped",
        },
        from,
      );
    };

    const grafana = `${name}-grafana`;
    this.grafanaContainer = service(
      "grafana",
      grafana,
      d.grafanaImage,
      d.grafanaPort,
      { envs: pulumi.secret(Object.entries(grafanaEnv(args.grafanaAuth, d)).map(([k, v]) => `${k}=${v}`)) },
      movedFrom(formerComponent("DockerGrafana", grafana)),
    );

    const alertmanager =
      args.alerting &&
      service(
        "alertmanager",
        `${name}-alerting-alertmanager`,
        d.alertmanagerImage,
        d.alertmanagerPort,
        {
          command: ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"],
          uploads: [{ file: "/etc/alertmanager/alertmanager.yml", content: args.alerting.alertmanagerYaml }],
        },
        { parent: this },
      );

    const scrape = `${name}-scrape`;
    const fromScrape = movedFrom(formerComponent("ScrapeConfig", scrape));
    new docker.Container(
      `${scrape}-blackbox-exporter`,
      {
        name: `${name}-blackbox-exporter`,
        image: image(`${scrape}-blackbox-image`, d.blackboxImage, fromScrape).imageId,
        command: ["--config.file=/etc/blackbox_exporter/config.yml"],
        uploads: [{ file: "/etc/blackbox_exporter/config.yml", content: BLACKBOX_CONFIG }],
        networksAdvanced: onNetwork(args.blackboxHost),
        restart: "unless-stopped",
      },
      fromScrape,
    );
    const prometheus = service(
      "prometheus",
      `${scrape}-prometheus`,
      d.prometheusImage,
      d.prometheusPort,
      {
        command: [
          "--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus", `--storage.tsdb.retention.time=${args.prometheusRetention}`, "--web.enable-lifecycle",
          ...(args.alerting ? [`--rules.alert.resend-delay=${args.alerting.resendDelay}`] : []),
        ],
        uploads: [
          { file: "/etc/prometheus/prometheus.yml", content: args.prometheusYaml },
          ...(args.alerting ? [{ file: `/etc/prometheus/${RULES_FILE}`, content: args.alerting.rulesYaml }] : []),
        ],
      },
      // Its config names the Alertmanager: start that first.
      { ...fromScrape, dependsOn: alertmanager ? [alertmanager] : [] },
    );

    this.prometheusContainerName = prometheus.name;
    this.registerOutputs({ grafanaContainer: this.grafanaContainer, prometheusContainerName: this.prometheusContainerName });
  }
}

/** Grafana's admin account from grafanaAuth, SMTP from the smtp* keys, no phoning home. */
function grafanaEnv(auth: Secret, d: DockerSettings): Record<string, string> {
  const [user, ...password] = auth.plain("the Grafana container's environment").split(":");
  return {
    GF_SECURITY_ADMIN_USER: user,
    GF_SECURITY_ADMIN_PASSWORD: password.join(":"),
    GF_ANALYTICS_REPORTING_ENABLED: "false",
    GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
    ...(d.smtp && {
      GF_SMTP_ENABLED: "true",
      GF_SMTP_HOST: d.smtp.host,
      GF_SMTP_FROM_ADDRESS: d.smtp.fromAddress,
      ...(d.smtp.user ? { GF_SMTP_USER: d.smtp.user } : {}),
      ...(d.smtp.password ? { GF_SMTP_PASSWORD: d.smtp.password.plain("the Grafana container's environment") } : {}),
    }),
  };
}
