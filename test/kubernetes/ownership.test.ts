/**
 * Between two `pulumi up`s, on the real API server and operator: a hand edit of an object the
 * stack owns (another field manager, as kubectl edit) is taken back by the stack's next apply,
 * which the objects' `pulumi.com/patchForce` annotation makes the Kubernetes provider force; and
 * the admin's `Prometheus` that names staging's scrape-config Secret with `optional: true` stays
 * reconciled while that Secret is missing, before the stack's first up and after its destroy.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { prometheusRule } from "../../alerts/kubernetes";
import { PATCH_FORCE } from "../../lib/kubernetes";
import { ApiError, type KubeObject } from "../../harness/kubernetes/api";
import { startControlPlane, type ControlPlane } from "../../harness/kubernetes/controlPlane";
import { clusterObjects, generatedPrometheusConfig, revealed } from "../../harness/kubernetes/monitoringCluster";
import { pollUntil } from "../../harness/poll";
import { kubernetesManifests } from "../../render/renderedFiles";
import { scrapeConfigSecret } from "../../scrape/model";
import { GENERATED_TIMEOUT_MS, jobLabels, strategyOf, variantServices, type Variant } from "../support/operatorChecks";

let cluster: ControlPlane;
before(async () => {
  cluster = await startControlPlane();
});
after(async () => {
  await cluster?.stop();
});

describe("a hand edit of the stack's PrometheusRule (prod, alertEngine prometheus)", () => {
  const v: Variant = { stack: "prod", engine: "prometheus", mode: "serviceMonitor" };
  const [s] = variantServices(v);
  const rule = revealed(prometheusRule(s));
  const edited = structuredClone(rule) as unknown as { spec: { groups: { rules: { for?: string }[] }[] } };

  before(async () => {
    for (const o of clusterObjects(s, strategyOf(v))) await cluster.api.apply(o);
    for (const m of kubernetesManifests(s)) await cluster.api.apply(revealed(m));
    edited.spec.groups[0].rules[0].for = "59m";
    await cluster.api.apply(edited as never, { fieldManager: "kubectl-edit" });
  });

  test("every object the stack owns carries pulumi.com/patchForce", () => {
    for (const m of kubernetesManifests(s)) assert.deepEqual(m.metadata.annotations, PATCH_FORCE, `${m.kind} ${m.metadata.name}`);
  });

  test("unforced, the stack's apply conflicts with the other manager (what every preview and up would hit without the annotation)", async () => {
    await assert.rejects(cluster.api.apply(rule, { force: false }), (e: Error) => e instanceof ApiError && e.status === 409 && /conflict/i.test(e.message));
  });

  test("forced, as the annotation makes the provider apply, it takes the rule back", async () => {
    await cluster.api.apply(rule);
    const back = (await cluster.api.get(rule)) as unknown as { spec: unknown };
    assert.deepEqual(back.spec, rule.spec as unknown);
  });
});

/** The operator's Reconciled condition of `o`, once it has reported one. */
async function reconciledCondition(o: KubeObject): Promise<{ status: string; message?: string }> {
  const { value } = await pollUntil(`${o.kind} ${o.metadata.name}: a Reconciled condition`, async () => {
    const conditions = ((await cluster.api.get(o)).status as { conditions?: { type: string; status: string; message?: string }[] } | undefined)?.conditions;
    return conditions?.find((c) => c.type === "Reconciled");
  }, (c) => c !== undefined, { timeoutMs: GENERATED_TIMEOUT_MS, intervalMs: 250 });
  return value!;
}

describe("staging's scrape-config Secret missing (before the first up, after destroy): the admin's Prometheus with optional: true stays reconciled", () => {
  const v: Variant = { stack: "staging", engine: "grafana", mode: "additionalScrapeConfig" };
  const [s] = variantServices(v);
  const namespace = s.kubernetes.namespace;
  const prometheus = clusterObjects(s, strategyOf(v))[2];
  const secret = revealed(scrapeConfigSecret(s));
  const hasOurJobs = async () => jobLabels((await generatedPrometheusConfig(cluster.api, namespace))?.config ?? {}).has(s.scrape.jobName);

  before(async () => {
    for (const o of clusterObjects(s, strategyOf(v))) await cluster.api.apply(o);
  });

  test("before the stack's first up: reconciled, without the stack's jobs; the same Prometheus without optional is not (the check can fail)", async () => {
    assert.equal(await cluster.api.find(secret), undefined);
    const condition = await reconciledCondition(prometheus);
    assert.equal(condition.status, "True", JSON.stringify(condition));
    assert.equal(await hasOurJobs(), false);
    const required = structuredClone(prometheus) as KubeObject & { spec: { additionalScrapeConfigs: { optional?: boolean } } };
    delete required.spec.additionalScrapeConfigs.optional;
    required.metadata.name = "prometheus-requiring-the-secret";
    await cluster.api.apply(required);
    const refused = await reconciledCondition(required);
    assert.equal(refused.status, "False", JSON.stringify(refused));
    assert.match(refused.message ?? "", /not found/);
  });

  test("after the stack's destroy: the jobs go with the Secret, and it stays reconciled", async () => {
    await cluster.api.apply(secret);
    await pollUntil("the stack's jobs in the generated config", hasOurJobs, (yes) => yes, { timeoutMs: GENERATED_TIMEOUT_MS, intervalMs: 250 });
    await cluster.api.delete(secret);
    await pollUntil("the stack's jobs gone from the generated config", hasOurJobs, (yes) => !yes, { timeoutMs: GENERATED_TIMEOUT_MS, intervalMs: 250 });
    assert.equal((await reconciledCondition(prometheus)).status, "True");
  });
});
