/**
 * Registers the rendered Kubernetes manifests (scrape/model.ts, alerts/kubernetes.ts) as Pulumi
 * resources: Secrets as core/v1 Secrets whose secret values become Pulumi secrets, everything else
 * as prometheus-operator custom resources.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { secretInput } from "../config/pulumi";
import { Secret } from "../config/secret";
import { isConfigMap, isSecret, type KubernetesManifest } from "../lib/kubernetes";

type KubernetesResource = k8s.apiextensions.CustomResource | k8s.core.v1.Secret | k8s.core.v1.ConfigMap;

/** Kubernetes objects to register. */
export interface KubernetesPlacement {
  placement: "kubernetes";
  objects: KubernetesManifest[];
  /** Refuse to delete the rule groups and routing among them (`protect`), as the Grafana engine's rule groups. */
  protect: boolean;
}

/** alertEngine prometheus' rule groups and routing, and the dashboards' ConfigMaps: what `protect` covers, as it covers the Grafana engine's rule groups and dashboards. */
const PROTECTED_KINDS: ReadonlySet<string> = new Set(["PrometheusRule", "AlertmanagerConfig", "ConfigMap"]);

/**
 * One resource per manifest, named `<name>-<suffix(manifest)>`, in order: each object depends on
 * the Secrets before it, because the operator reads them when it renders the object, and on `more.dependsOn`.
 */
export function registerManifests(
  name: string,
  { objects, protect }: KubernetesPlacement,
  suffix: (m: KubernetesManifest) => string,
  parent: pulumi.Resource,
  more: { dependsOn?: pulumi.Input<pulumi.Resource>[]; aliases?: pulumi.Input<pulumi.Alias>[] } = {},
): KubernetesResource[] {
  const secrets: KubernetesResource[] = [];
  return objects.map((m) => {
    const opts = { parent, dependsOn: [...secrets, ...(more.dependsOn ?? [])], protect: protect && PROTECTED_KINDS.has(m.kind), aliases: more.aliases };
    const resourceName = `${name}-${suffix(m)}`;
    if (isConfigMap(m)) return new k8s.core.v1.ConfigMap(resourceName, { metadata: m.metadata, data: m.data }, opts);
    if (!isSecret(m)) return new k8s.apiextensions.CustomResource(resourceName, { ...m }, opts);
    const stringData = Object.fromEntries(Object.entries(m.stringData).map(([key, value]) => [key, value instanceof Secret ? secretInput(value) : value]));
    const secret = new k8s.core.v1.Secret(resourceName, { metadata: m.metadata, type: m.type, stringData }, opts);
    secrets.push(secret);
    return secret;
  });
}

/** `namespace/name,name…` of the registered objects, for the stack's outputs. */
export function manifestLocation(manifests: readonly KubernetesManifest[], resources: KubernetesResource[]): pulumi.Output<string> {
  return pulumi.all(resources.map((r) => r.metadata.name)).apply((n) => `${manifests[0].metadata.namespace}/${n.join(",")}`);
}
