/**
 * Upgrades through the real engine: staging (alerting with Prometheus) and prod (alerting with
 * Grafana, protected), their dashboards through Grafana's API (Grafana stood in:
 * harness/engine/grafana.ts), deployed by an earlier release
 * (a worktree of its commit, test/support/releases.ts), then by this checkout. Nothing is replaced
 * or deleted, and every Kubernetes object is the same object (its uid); also when this checkout's
 * first up fails part-way (Grafana answers one write with HTTP 500): the next up neither deletes
 * nor recreates anything (a protected rule group planned for deletion would block every later up).
 */
import assert from "node:assert/strict";
import { before, after, describe, test } from "node:test";
import type { KubeObject } from "../../harness/kubernetes/api";
import { revealed } from "../../harness/kubernetes/monitoringCluster";
import { kubernetesManifests } from "../../render/renderedFiles";
import { bounded, objectUid } from "../support/engineChecks";
import { changes, engineStack, programOf, engineFixture } from "../support/engineRuns";
import { RELEASES, checkout, type Checkout } from "../support/releases";

const fixture = engineFixture({ grafana: true });

/** What must never happen to an existing object on an upgrade. */
const DESTRUCTIVE = ["delete", "replace", "create-replacement", "delete-replaced", "discard"];
const destructive = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([op]) => DESTRUCTIVE.includes(op)));

const STACKS = [
  { stack: "staging", strategy: "OnNamespaceExceptForAlertmanagerNamespace", overrides: { alertEngine: "prometheus", operationalTimezone: "UTC" } },
  { stack: "prod", strategy: "OnNamespace", overrides: {} },
] as const;

const CASES = RELEASES.flatMap((release) => STACKS.flatMap((s) => ((release.writes as readonly string[]).includes(s.stack) ? [false, true] : [false]).map((interrupted) => ({ ...s, release, interrupted }))));

for (const { release, stack, strategy, overrides: more, interrupted } of CASES) {
  describe(`${stack} deployed by ${release.commit.slice(0, 7)} (${release.what}), then by this checkout${interrupted ? ", whose first up fails part-way" : ""}`, { concurrency: false }, () => {
    let old: Checkout;
    const namespace = `upgrade-${stack}-${release.commit.slice(0, 7)}${interrupted ? "-interrupted" : ""}`;
    const overrides = () => ({ ...more, grafanaUrl: fixture.grafana.url });
    before(async () => {
      old = await checkout(release.commit);
    });
    after(async () => {
      await old?.remove();
    });

    test("no replace, no delete: every object stays the same object", async () => {
      const name = namespace;
      const previous = await engineStack(fixture, { stack, name, namespace, overrides: overrides(), strategy, program: programOf(old.dir) });
      await bounded(`up of ${stack} by ${release.commit}`, (o) => previous.stack.up(o));
      const objects = kubernetesManifests(previous.services).map((m) => revealed(m));
      const uidsBefore = await uids(objects);
      assert.deepEqual(Object.entries(uidsBefore).filter(([, uid]) => !uid).map(([o]) => o), [], "the earlier release did not create these");

      const current = await engineStack(fixture, { stack, name, namespace, overrides: overrides(), strategy });
      if (interrupted) {
        fixture.grafana.failNextWrite();
        await assert.rejects(bounded(`up of ${stack} by this checkout, failing part-way`, (o) => current.stack.up(o)), /HTTP 500/);
      }
      const plan = await bounded(`preview of ${stack} by this checkout`, (o) => current.stack.preview(o));
      assert.deepEqual(destructive(plan.changeSummary), {}, plan.stdout);
      const up = await bounded(`up of ${stack} by this checkout`, (o) => current.stack.up(o));
      assert.deepEqual(destructive(changes(up.summary)), {}, up.stdout);
      assert.deepEqual(await uids(objects), uidsBefore, "a Kubernetes object was deleted and created again");
      await bounded(`preview after the upgrade`, (o) => current.stack.preview({ ...o, expectNoChanges: true }));
    });
  });
}

/** Each object's uid in the cluster (undefined where it is missing). */
async function uids(objects: KubeObject[]): Promise<Record<string, string | undefined>> {
  const found: Record<string, string | undefined> = {};
  for (const o of objects) found[`${o.kind}/${o.metadata.name}`] = await objectUid(fixture.cluster.api, o);
  return found;
}
