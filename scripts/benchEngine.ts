/**
 * Figure 7 of `npm run bench`: what the stack's program costs the real engine. A no-op
 * `pulumi preview` of a committed Kubernetes stack (staging, alerting with Prometheus, dashboards
 * as ConfigMaps: what runs here without Grafana) after its `up`, against the same preview of an
 * empty inline program and of one that holds a single ConfigMap (the Kubernetes provider started
 * on both sides), alternated in one run, as ratios of medians; and how long the program itself runs.
 */
import * as k8s from "@pulumi/kubernetes";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEngine } from "../harness/engine/engine";
import { startControlPlane } from "../harness/kubernetes/controlPlane";
import { engineStack, programOf } from "../test/support/engineRuns";
import { CONFIG_MAP_DELIVERY } from "../test/support/stacks";
import { bounded } from "../test/support/engineChecks";
import { RUNS, median, seconds } from "./benchCommon";

const NAMESPACE = "bench";

async function previewMs(name: string, stack: Stack): Promise<number> {
  const started = Date.now();
  await bounded(`preview of ${name}`, (o) => stack.preview({ ...o, expectNoChanges: true }));
  return Date.now() - started;
}

export async function engineCost(): Promise<void> {
  console.log("7. the real engine's no-op preview of staging (dashboards as ConfigMaps) against an empty program's and a one-ConfigMap program's");
  const cluster = await startControlPlane({ controllerManager: true });
  const engine = await startEngine(cluster.kubeconfig);
  try {
    const program = programOf();
    const bodyMs: number[] = [];
    const timedProgram = async () => {
      const started = Date.now();
      const outputs = await program();
      bodyMs.push(Date.now() - started);
      return outputs;
    };
    const staging = await engineStack({ engine, cluster }, { stack: "staging", namespace: NAMESPACE, overrides: CONFIG_MAP_DELIVERY, strategy: "OnNamespaceExceptForAlertmanagerNamespace", program: timedProgram });
    const stacks: Record<string, Stack> = {
      staging: staging.stack,
      empty: await engine.stack("empty", async () => ({}), {}),
      "one ConfigMap": await engine.stack("one", async () => void new k8s.core.v1.ConfigMap("one", { metadata: { namespace: NAMESPACE }, data: { a: "b" } }), {}),
    };
    for (const [name, stack] of Object.entries(stacks)) await bounded(`up of ${name}`, (o) => stack.up(o));
    const ms: Record<string, number[]> = Object.fromEntries(Object.keys(stacks).map((name) => [name, []]));
    // One preview of each first: the program's modules load once per process.
    for (let run = 0; run <= RUNS; run++) {
      for (const [name, stack] of Object.entries(stacks)) {
        const took = await previewMs(name, stack);
        if (run > 0) ms[name].push(took);
      }
      if (run > 0) console.log(`   run ${run}: ${Object.entries(ms).map(([name, xs]) => `${name} ${seconds(xs[run - 1])}`).join(", ")}`);
    }
    const ratio = (baseline: string) => (median(ms.staging) / median(ms[baseline])).toFixed(2);
    console.log(`   median ratio to the empty program ${ratio("empty")} (goal: at most 1.5), to the one-ConfigMap program ${ratio("one ConfigMap")}; the program itself ran ${median(bodyMs)} ms (median)`);
  } finally {
    engine.close();
    await cluster.stop();
  }
}
