import * as grafana from "@pulumiverse/grafana";
import type * as pulumi from "@pulumi/pulumi";
import { secretInput } from "../config/pulumi";
import type { GrafanaSettings } from "../config/settings";

/** A Grafana provider of the stack's settings: validation requires grafanaAuth wherever the stack calls Grafana's API. */
export function grafanaProvider(name: string, g: GrafanaSettings, opts: pulumi.CustomResourceOptions): grafana.Provider {
  if (!g.auth) throw new Error(`${name}: no grafanaAuth, but the stack calls Grafana's API at ${g.url}`);
  return new grafana.Provider(name, { url: g.url, auth: secretInput(g.auth), retries: 3 }, opts);
}
