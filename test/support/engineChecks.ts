/** How the engine tests bound a Pulumi operation and look at the cluster while and after it runs. */
import { ENGINE_OPERATION_TIMEOUT_MS } from "../../harness/bounds";
import type { KubeObject, KubernetesApi } from "../../harness/kubernetes/api";
import { generatedAlertmanagerConfig } from "../../harness/kubernetes/monitoringCluster";
import { contactPoints } from "../../alerts/notifications";
import type { Settings } from "../../config/settings";

/**
 * An Automation API operation, aborted after its bound; a failure says what ran and what the CLI
 * printed. The result carries that output too (`stdout` of up/preview/refresh/destroy).
 */
export async function bounded<T>(what: string, run: (options: { onOutput: (out: string) => void; signal: AbortSignal }) => Promise<T>, ms = ENGINE_OPERATION_TIMEOUT_MS): Promise<T> {
  let output = "";
  try {
    return await run({ onOutput: (out) => (output += out), signal: AbortSignal.timeout(ms) });
  } catch (err) {
    const reason = (err as Error).name === "AbortError" || /abort/i.test((err as Error).message) ? `not done within ${ms} ms, aborted` : (err as Error).message;
    throw new Error(`pulumi ${what}: ${reason}\n--- output ---\n${output.slice(-6000)}`);
  }
}

/**
 * Samples the operator's generated Alertmanager config until stopped: the instants at which it
 * lacked the stack's receivers (its routes went with them), or was not there at all.
 */
export function receiverRoutesHeld(api: KubernetesApi, namespace: string, s: Settings): { stop(): Promise<{ missing: string[] }> } {
  const missing: string[] = [];
  // The critical receiver is the first; the operator names it <namespace>/<AlertmanagerConfig>/<receiver>.
  const wanted = contactPoints(s)[0].name;
  let running = true;
  const loop = (async () => {
    while (running) {
      const config = await generatedAlertmanagerConfig(api, namespace);
      if (!config?.includes(wanted)) missing.push(new Date().toISOString());
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { missing };
    },
  };
}

/** The kinds the stack creates, by their API path. */
const STACK_KINDS = [
  "/api/v1/secrets",
  "/api/v1/configmaps",
  "/apis/monitoring.coreos.com/v1/servicemonitors",
  "/apis/monitoring.coreos.com/v1/probes",
  "/apis/monitoring.coreos.com/v1/prometheusrules",
  "/apis/monitoring.coreos.com/v1alpha1/alertmanagerconfigs",
];

/** Every object in `namespace` that carries the stack's `part-of` label, as `Kind/name`. */
export async function stackObjects(api: KubernetesApi, namespace: string): Promise<string[]> {
  const found: string[] = [];
  for (const kinds of STACK_KINDS) {
    const at = kinds.replace(/\/([a-z]+)$/, `/namespaces/${namespace}/$1`);
    const list = (await api.request("GET", `${at}?labelSelector=${encodeURIComponent("app.kubernetes.io/part-of=websocket-monitoring")}`)) as { items: { metadata: { name: string } }[] };
    found.push(...list.items.map((o) => `${kinds.split("/").pop()}/${o.metadata.name}`));
  }
  return found;
}

/** The object's uid in the cluster (undefined while it is missing): the same uid before and after means the same object, not one deleted and created again. */
export async function objectUid(api: KubernetesApi, o: KubeObject): Promise<string | undefined> {
  return ((await api.find(o))?.metadata as { uid?: string } | undefined)?.uid;
}
