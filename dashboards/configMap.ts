/**
 * The dashboard as a Grafana sidecar loads it (kube-prometheus-stack's, `dashboardDelivery`
 * `configMap`): the same model in a ConfigMap with the labels the sidecar selects, its folder named
 * by an annotation. The sidecar writes each data key as a file, so the key is the dashboard's uid:
 * one file per dashboard, whatever else the namespace holds.
 */
import type { KubernetesStack } from "../config/settings";
import { kubernetesMetadata, type KubernetesConfigMap } from "../lib/kubernetes";
import { serviceBaseName } from "../lib/naming";
import { stableJson } from "../lib/stableJson";
import { dashboardUid } from "./ids";
import { buildDashboard } from "./websocket";

export function dashboardConfigMap(s: KubernetesStack): KubernetesConfigMap {
  const delivery = s.kubernetes.dashboards;
  if (delivery.delivery !== "configMap") throw new Error(`stack '${s.stack}' delivers its dashboards through Grafana's API, not as ConfigMaps`);
  const metadata = kubernetesMetadata(s, `${serviceBaseName(s)}-dashboard`);
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { ...metadata, labels: { ...metadata.labels, ...delivery.labels }, annotations: { ...metadata.annotations, [delivery.folderAnnotation]: s.grafana.folderTitle } },
    // Sorted keys, as the Grafana API delivery sends it.
    data: { [`${dashboardUid(s)}.json`]: stableJson(buildDashboard(s)) },
  };
}
