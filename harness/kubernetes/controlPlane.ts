/**
 * A real, throwaway Kubernetes control plane on free 127.0.0.1 ports: Debian's etcd, the
 * kube-apiserver and prometheus-operator built by build.sh (cached by version), the operator's
 * CRDs installed, and the operator running out of cluster against it. No kubelet: the operator's
 * StatefulSets never run, but it generates and stores every configuration (Prometheus config, rule
 * files, Alertmanager config), which is what the tests read. With `controllerManager`, also
 * kube-controller-manager, whose garbage collector ends the foreground deletions pulumi-kubernetes
 * makes (without it every `pulumi destroy` waits on the `foregroundDeletion` finalizer, then fails).
 */
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { tempDir } from "../tempDir";
import { parseAllDocuments } from "yaml";
import { PROJECT_DIR } from "../../config/stackFile";
import { fetchWithin } from "../bounds";
import { pollUntil } from "../poll";
import { ServerProcess, freePort, runCommand } from "../processes";
import { KubernetesApi, type KubeObject } from "./api";
import { makeCertificates, type Certificates } from "./certificates";

const KUBERNETES_VERSION = "v1.34.2";
const OPERATOR_VERSION = "v0.85.0";

/** The cache directory with bin/ and crds/; builds them first when they are missing (about 20 minutes cold). */
export async function controlPlaneBinaries(): Promise<string> {
  const result = await runCommand("bash", [path.join(PROJECT_DIR, "harness/kubernetes/build.sh")], {
    timeoutMs: 60 * 60_000,
    env: { ...process.env, KUBERNETES_VERSION, OPERATOR_VERSION },
  });
  if (result.code !== 0) throw new Error(`harness/kubernetes/build.sh failed:\n${result.stderr.split("\n").slice(-30).join("\n")}`);
  return result.stdout.trim().split("\n").pop()!;
}

export interface ControlPlane {
  api: KubernetesApi;
  /** The CA and the `system:masters` client certificate, for other clients of the API server. */
  certificates: Certificates;
  /** bin/ of the cache: kube-apiserver, operator, promtool. */
  binDir: string;
  operator: ServerProcess;
  /** A kubeconfig of the API server with the `system:masters` client certificate, for kubectl-like clients (the Pulumi provider). */
  kubeconfig: string;
  stop(): Promise<void>;
}

/** The kubeconfig clients other than the tests' own use. */
function writeKubeconfig(dir: string, url: string, certs: Certificates): string {
  const file = path.join(dir, "kubeconfig");
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "test", cluster: { server: url, "certificate-authority": certs.caCert } }],
    users: [{ name: "admin", user: { "client-certificate": certs.clientCert, "client-key": certs.clientKey } }],
    contexts: [{ name: "test", context: { cluster: "test", user: "admin" } }],
    "current-context": "test",
  };
  writeFileSync(file, JSON.stringify(config));
  return file;
}

function controllerManager(binDir: string, kubeconfig: string, certs: Certificates, port: number): ServerProcess {
  return new ServerProcess("kube-controller-manager", path.join(binDir, "kube-controller-manager"), [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    "--controllers=*",
    `--service-account-private-key-file=${certs.serviceAccountKey}`,
    `--root-ca-file=${certs.caCert}`,
    "--leader-elect=false",
    "--bind-address=127.0.0.1",
    `--secure-port=${port}`,
  ]);
}

const READY_TIMEOUT_MS = 60_000;

async function startEtcd(dir: string): Promise<{ process: ServerProcess; url: string }> {
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const etcd = new ServerProcess("etcd", "etcd", [
    `--data-dir=${path.join(dir, "etcd")}`,
    `--listen-client-urls=${url}`,
    `--advertise-client-urls=${url}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=default=${peerUrl}`,
  ]);
  await pollUntil("etcd ready", async () => (await fetchWithin(`${url}/health`)).ok, (ok) => ok, { timeoutMs: READY_TIMEOUT_MS }).catch((err) => {
    throw new Error(`${(err as Error).message}\n${etcd.output()}`);
  });
  return { process: etcd, url };
}

/** Every CustomResourceDefinition of the operator, applied and established. */
async function installCrds(api: KubernetesApi, crdDir: string): Promise<void> {
  const crds = readdirSync(crdDir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(readFileSync(path.join(crdDir, f), "utf8")).map((d) => d.toJSON() as KubeObject | null))
    .filter((o): o is KubeObject => o?.kind === "CustomResourceDefinition");
  await Promise.all(crds.map((crd) => api.apply(crd)));
  for (const crd of crds) {
    await pollUntil(`CRD ${crd.metadata.name} established`, () => api.get(crd), (o) => conditionTrue(o, "Established"), { timeoutMs: READY_TIMEOUT_MS });
  }
}

/** Whether the object's status has condition `type` with status True. */
export function conditionTrue(o: KubeObject, type: string): boolean {
  const conditions = ((o.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
  return conditions.some((c) => c.type === type && c.status === "True");
}

export async function startControlPlane(options: { controllerManager?: boolean } = {}): Promise<ControlPlane> {
  const cache = await controlPlaneBinaries();
  const binDir = path.join(cache, "bin");
  const dir = tempDir("websocket-monitoring-kubernetes-");
  const started: ServerProcess[] = [];
  const stop = async () => {
    for (const p of started.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const certs = await makeCertificates(dir);
    const etcd = await startEtcd(dir);
    started.push(etcd.process);

    const port = await freePort();
    const apiserver = new ServerProcess("kube-apiserver", path.join(binDir, "kube-apiserver"), [
      `--etcd-servers=${etcd.url}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      // The `kubernetes` Service's endpoint would be 127.0.0.1, which the API server itself refuses.
      "--endpoint-reconciler-type=none",
      `--secure-port=${port}`,
      `--cert-dir=${path.join(dir, "apiserver-certs")}`,
      `--tls-cert-file=${certs.serverCert}`,
      `--tls-private-key-file=${certs.serverKey}`,
      `--client-ca-file=${certs.caCert}`,
      `--service-account-key-file=${certs.serviceAccountKey}`,
      `--service-account-signing-key-file=${certs.serviceAccountKey}`,
      "--service-account-issuer=https://kubernetes.default.svc",
      "--service-cluster-ip-range=10.96.0.0/24",
      "--authorization-mode=RBAC",
    ]);
    started.push(apiserver);
    const api = new KubernetesApi(`https://127.0.0.1:${port}`, certs);
    await pollUntil("kube-apiserver ready", () => api.request("GET", "/readyz"), () => true, { timeoutMs: READY_TIMEOUT_MS, intervalMs: 250 }).catch((err) => {
      throw new Error(`${(err as Error).message}\n${apiserver.output()}`);
    });
    await installCrds(api, path.join(cache, "crds"));
    const kubeconfig = writeKubeconfig(dir, api.url, certs);
    if (options.controllerManager) {
      const manager = controllerManager(binDir, kubeconfig, certs, await freePort());
      started.push(manager);
      await manager.waitForOutput(/Started controller|Starting controller|"Starting"/, READY_TIMEOUT_MS);
    }

    const operator = new ServerProcess("prometheus-operator", path.join(binDir, "operator"), [
      `--apiserver=${api.url}`,
      `--ca-file=${certs.caCert}`,
      `--cert-file=${certs.clientCert}`,
      `--key-file=${certs.clientKey}`,
      `--web.listen-address=127.0.0.1:${await freePort()}`,
      "--log-level=info",
    ]);
    started.push(operator);
    await operator.waitForOutput(/Starting|starting/, READY_TIMEOUT_MS);
    return {
      api,
      certificates: certs,
      binDir,
      operator,
      kubeconfig,
      stop: async () => {
        api.close();
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
