/**
 * Figure 7 of `npm run bench`: what the stack's program costs the real engine. A no-op
 * `pulumi preview` of a committed Kubernetes stack (staging, alerting with Prometheus, dashboards
 * as ConfigMaps: what runs here without Grafana) after its `up`, against the same preview of an
 * empty inline program, alternated in one run, as a ratio of medians.
 */
import { startEngine } from "../harness/engine/engine";
import { startControlPlane } from "../harness/kubernetes/controlPlane";
import { CONFIG_MAP_DELIVERY, engineStack } from "../test/support/engineRuns";
import { bounded } from "../test/support/engineChecks";
import { RUNS, median, seconds } from "./benchCommon";

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await run();
  return Date.now() - started;
}

export async function engineCost(): Promise<void> {
  console.log("7. the real engine's no-op preview of staging (dashboards as ConfigMaps) against an empty program's");
  const cluster = await startControlPlane({ controllerManager: true });
  const engine = await startEngine(cluster.kubeconfig);
  try {
    const staging = await engineStack(engine, cluster, { stack: "staging", namespace: "bench", overrides: CONFIG_MAP_DELIVERY, strategy: "OnNamespaceExceptForAlertmanagerNamespace" });
    const empty = await engine.stack("empty", async () => ({}), {});
    await bounded("up of staging", (o) => staging.stack.up(o));
    await bounded("up of the empty program", (o) => empty.up(o));
    const previews = { staging: [] as number[], empty: [] as number[] };
    // One preview of each first: the program's modules load once per process, as in a CLI run they would not.
    for (let run = 0; run <= RUNS; run++) {
      const stagingMs = await timed(() => bounded("preview of staging", (o) => staging.stack.preview({ ...o, expectNoChanges: true })));
      const emptyMs = await timed(() => bounded("preview of the empty program", (o) => empty.preview({ ...o, expectNoChanges: true })));
      if (run === 0) continue;
      previews.staging.push(stagingMs);
      previews.empty.push(emptyMs);
      console.log(`   run ${run}: staging ${seconds(stagingMs)}, empty program ${seconds(emptyMs)}, ratio ${(stagingMs / emptyMs).toFixed(2)}`);
    }
    console.log(`   median ratio ${(median(previews.staging) / median(previews.empty)).toFixed(2)} (goal: at most 1.5)`);
    await bounded("destroy of staging", (o) => staging.stack.destroy(o));
  } finally {
    engine.close();
    await cluster.stop();
  }
}
