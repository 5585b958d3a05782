import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { DockerStack } from "../config/settings";
import { resourceBaseName } from "../lib/naming";

/**
 * Grafana as a container on the monitoring network (docker platform). Its admin account comes
 * from grafanaAuth (user:password) and SMTP from the smtp* keys; both reach the container only
 * as Pulumi secrets.
 */
export class DockerGrafana extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: { settings: DockerStack; network: docker.Network }, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-monitoring:index:DockerGrafana", name, {}, opts);
    const s = args.settings;
    const d = s.docker;
    const base = resourceBaseName(s);
    const data = new docker.Volume(`${name}-data`, { name: `${base}-grafana-data` }, { parent: this, retainOnDelete: d.keepData });
    const image = new docker.RemoteImage(`${name}-image`, { name: d.grafanaImage, keepLocally: true }, { parent: this });

    const [user, ...password] = s.grafana.auth.reveal().split(":");
    const env: Record<string, string> = {
      GF_SECURITY_ADMIN_USER: user,
      GF_SECURITY_ADMIN_PASSWORD: password.join(":"),
      GF_ANALYTICS_REPORTING_ENABLED: "false",
      GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
    };
    if (d.smtp) {
      Object.assign(env, {
        GF_SMTP_ENABLED: "true",
        GF_SMTP_HOST: d.smtp.host,
        GF_SMTP_FROM_ADDRESS: d.smtp.fromAddress,
        ...(d.smtp.user ? { GF_SMTP_USER: d.smtp.user } : {}),
        ...(d.smtp.password ? { GF_SMTP_PASSWORD: d.smtp.password.reveal() } : {}),
      });
    }

    this.container = new docker.Container(
      name,
      {
        name: `${base}-grafana`,
        image: image.imageId,
        envs: pulumi.secret(Object.entries(env).map(([k, v]) => `${k}=${v}`)),
        volumes: [{ volumeName: data.name, containerPath: "/var/lib/grafana" }],
        ports: [{ internal: 3000, external: d.grafanaPort, ip: "127.0.0.1" }],
        networksAdvanced: [{ name: args.network.name, aliases: ["grafana"] }],
        healthcheck: { tests: ["CMD", "wget", "-q", "-O-", "http://localhost:3000/api/health"], interval: "5s", retries: 24 },
        wait: true,
        restart: "unless-stopped",
      },
      { parent: this },
    );
    this.registerOutputs({ container: this.container.name });
  }
}
