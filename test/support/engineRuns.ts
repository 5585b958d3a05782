/**
 * The stack's own program through the real engine: what index.ts runs (or a release's index.ts,
 * from a worktree of that commit), as an inline program, with a committed stack's config and the
 * tests' secrets, into the test's control plane; and what a run changed, from its summary.
 */
import * as path from "node:path";
import type { PulumiFn, Stack, UpResult } from "@pulumi/pulumi/automation";
import { PROJECT_DIR } from "../../config/stackFile";
import { validateServices } from "../../config/validate";
import type { KubernetesStack } from "../../config/settings";
import { onPlatform } from "../../config/settings";
import { after, before } from "node:test";
import { engineConfig, startEngine, type Engine } from "../../harness/engine/engine";
import { standInGrafana, type GrafanaStandIn } from "../../harness/engine/grafana";
import { startControlPlane, type ControlPlane } from "../../harness/kubernetes/controlPlane";
import { clusterObjects, type MatcherStrategy } from "../../harness/kubernetes/monitoringCluster";
import { stackRawConfig, TEST_SECRETS } from "./stacks";

/** The program of the checkout at `dir` (this one by default): its index.ts' exported function. */
export function programOf(dir = PROJECT_DIR): PulumiFn {
  return async () => (require(path.join(dir, "index.ts")) as () => Promise<Record<string, unknown>>)();
}

export interface EngineStack {
  stack: Stack;
  /** The settings the program validates, one per service. */
  services: KubernetesStack[];
  overrides: Record<string, string | undefined>;
  /** The config again with more overrides (a rotated secret, another engine): the next up deploys it. */
  reconfigure(more: Record<string, string | undefined>): Promise<void>;
}

/**
 * Stack `stack`'s committed config with `overrides`, in a namespace of its own (`namespace`), with
 * the cluster's side (the admin's Prometheus and Alertmanager) applied first.
 */
export async function engineStack(
  { engine, cluster }: { engine: Engine; cluster: ControlPlane },
  { stack, namespace, overrides, strategy, program = programOf(), name = stack }: { stack: string; namespace: string; overrides: Record<string, string | undefined>; strategy: MatcherStrategy; program?: PulumiFn; name?: string },
): Promise<EngineStack> {
  // The environment is the committed stack's whatever the engine's stack is named: the objects keep their names, each stack in its namespace.
  const configOf = (o: Record<string, string | undefined>) => stackRawConfig(stack, { k8sNamespace: namespace, environment: stack, ...o });
  const services = validateServices(configOf(overrides), name).map((s) => onPlatform(s, "kubernetes"));
  for (const o of clusterObjects(services[0], strategy)) await cluster.api.apply(o);
  const created = await engine.stack(name, program, engineConfig(configOf(overrides)));
  const result: EngineStack = {
    stack: created,
    services,
    overrides,
    async reconfigure(more) {
      result.overrides = { ...result.overrides, ...more };
      result.services = validateServices(configOf(result.overrides), name).map((s) => onPlatform(s, "kubernetes"));
      await created.setAllConfig(engineConfig(configOf(result.overrides)));
      // Keys unset by the overrides stay set in the workspace otherwise.
      for (const [key, value] of Object.entries(more)) if (value === undefined) await created.removeConfig(`websocket-monitoring:${key}`).catch(() => undefined);
    },
  };
  return result;
}

/** What an up or preview changed, by operation, leaving out what stayed the same. */
export function changes(summary: UpResult["summary"] | { resourceChanges?: Record<string, number> }): Record<string, number> {
  return Object.fromEntries(Object.entries(summary.resourceChanges ?? {}).filter(([op, n]) => op !== "same" && n > 0));
}

/** The test secrets of `stack` that must never appear in plain text in its state. */
export function secretValues(stack: string): string[] {
  return Object.values(TEST_SECRETS[stack] ?? {});
}

export interface EngineFixture {
  cluster: ControlPlane;
  engine: Engine;
  /** Only with `grafana`. */
  grafana: GrafanaStandIn;
}

/**
 * A test file's engine: before its tests a control plane with the controller manager and a real
 * engine on it (and with `grafana`, Grafana stood in); after them, all stopped. The fields are set once `before` has run.
 */
export function engineFixture(options: { grafana?: boolean } = {}): EngineFixture {
  const fixture = {} as EngineFixture;
  before(async () => {
    fixture.cluster = await startControlPlane({ controllerManager: true });
    fixture.engine = await startEngine(fixture.cluster.kubeconfig);
    if (options.grafana) fixture.grafana = await standInGrafana(fixture.engine);
  });
  after(async () => {
    await fixture.grafana?.close();
    fixture.engine?.close();
    await fixture.cluster?.stop();
  });
  return fixture;
}
