import type { KubernetesStack } from "../config/settings";

/** A prometheus-operator custom object as `@pulumi/kubernetes`' CustomResource takes it. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}

/** Every object of the stack lives in `k8sNamespace` and carries the labels the operator selects on. */
export function kubernetesMetadata(s: KubernetesStack, name: string): KubernetesObject["metadata"] {
  const k = s.kubernetes;
  return { name, namespace: k.namespace, labels: { ...k.monitorLabels, "app.kubernetes.io/part-of": "websocket-monitoring" } };
}
