import type { Secret } from "./secret";

type Metadata = { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };

/**
 * The stack owns its objects: a field someone else changed since (kubectl edit, another
 * controller) is taken back on the next `pulumi up`, which the Kubernetes provider does with a
 * forced server-side apply for objects with this annotation, instead of failing every preview
 * and up with a field-manager conflict.
 */
export const PATCH_FORCE = { "pulumi.com/patchForce": "true" };

/** A prometheus-operator custom object as `@pulumi/kubernetes`' CustomResource takes it. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  spec: Record<string, unknown>;
}

/**
 * A Secret the stack creates. Its values stay `Secret`s (shown as "[secret]") until the Pulumi
 * wiring makes them Pulumi secrets; what is not secret (a scrape config) is a plain string.
 */
export interface KubernetesSecret {
  apiVersion: "v1";
  kind: "Secret";
  metadata: Metadata;
  type: "Opaque";
  stringData: Record<string, string | Secret>;
}

/** A ConfigMap the stack creates: a dashboard for a Grafana sidecar to load (dashboardDelivery configMap). */
export interface KubernetesConfigMap {
  apiVersion: "v1";
  kind: "ConfigMap";
  metadata: Metadata;
  data: Record<string, string>;
}

/** Every object of a Kubernetes stack, in the order it is applied (a Secret before what reads it). */
export type KubernetesManifest = KubernetesObject | KubernetesSecret | KubernetesConfigMap;

/** What the objects' metadata needs of a Kubernetes stack's settings (config/settings.ts' KubernetesStack has it). */
interface KubernetesPlace {
  kubernetes: { namespace: string; monitorLabels: Record<string, string> };
}

/** Every object of the stack lives in `k8sNamespace` and carries the labels the operator selects on. */
export function kubernetesMetadata(s: KubernetesPlace, name: string): Metadata {
  const k = s.kubernetes;
  return { name, namespace: k.namespace, labels: { ...k.monitorLabels, "app.kubernetes.io/part-of": "websocket-monitoring" }, annotations: PATCH_FORCE };
}

export function kubernetesSecret(s: KubernetesPlace, name: string, stringData: KubernetesSecret["stringData"]): KubernetesSecret {
  return { apiVersion: "v1", kind: "Secret", metadata: kubernetesMetadata(s, name), type: "Opaque", stringData };
}

export function isSecret(m: KubernetesManifest): m is KubernetesSecret {
  return m.kind === "Secret" && m.apiVersion === "v1";
}

export function isConfigMap(m: KubernetesManifest): m is KubernetesConfigMap {
  return m.kind === "ConfigMap" && m.apiVersion === "v1";
}
