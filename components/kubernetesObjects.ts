/**
 * Registers the rendered Kubernetes manifests (scrape/model.ts, alerts/kubernetes.ts) as Pulumi
 * resources: Secrets as core/v1 Secrets whose secret values become Pulumi secrets, everything else
 * as prometheus-operator custom resources.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { secretInput } from "../config/pulumi";
import { Secret } from "../lib/secret";
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
 * pulumi-kubernetes replaces a Secret or ConfigMap whose data changes (so that pods mounting it
 * roll). The stack's have fixed names (the admin's Prometheus names the scrape Secret, the sidecar
 * writes a dashboard per ConfigMap), so that replacement deletes before it creates, and meanwhile
 * the operator drops the stack's routes or scrape jobs, or the sidecar the dashboard. The
 * provider's enableSecretMutable and enableConfigMapMutable make it an update in place. A provider
 * the caller gives is theirs to set (README says so); the default one reads the stack's config.
 */
function requireUpdatesInPlace(objects: KubernetesManifest[], parent: pulumi.Resource): void {
  if (parent.getProvider("kubernetes:core/v1:Secret")) return;
  const config = new pulumi.Config("kubernetes");
  const needed = [
    { setting: "enableSecretMutable", kind: "Secret", objects: objects.filter(isSecret) },
    { setting: "enableConfigMapMutable", kind: "ConfigMap", objects: objects.filter(isConfigMap) },
  ].filter((x) => x.objects.length > 0 && config.getBoolean(x.setting) !== true);
  if (needed.length === 0) return;
  throw new pulumi.RunError(
    needed
      .map(
        (x) =>
          `kubernetes:${x.setting}: required 'true' where the stack creates a ${x.kind} (${x.objects.map((o) => o.metadata.name).join(", ")}): otherwise pulumi-kubernetes replaces it ` +
          `whenever its data changes, deleting it before creating it again under the same name, and in between its readers lose it. ` +
          `Run 'pulumi config set kubernetes:${x.setting} true', or give the components a Kubernetes provider with ${x.setting}: true.`,
      )
      .join("\n"),
  );
}

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
  requireUpdatesInPlace(objects, parent);
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
