/**
 * The stack's own program through the real engine (Pulumi CLI, pulumi-kubernetes) on a real
 * API server, operator and controller manager: staging (the scrape Secret) and prod (ServiceMonitor
 * and Probe, protected), each alerting with Prometheus, its dashboards as ConfigMaps. The lifecycle
 * users meet: up, a no-op preview, refresh, a hand edit taken back by the deploy README gives
 * (`pulumi up --refresh`), a rotated receiver URL updated in place while the operator keeps the
 * stack's routes, the state without a secret in plain text, destroy (refused while protected).
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { generatedAlertmanagerConfig, revealed } from "../../harness/kubernetes/monitoringCluster";
import type { KubeObject } from "../../harness/kubernetes/api";
import { kubernetesManifests } from "../../render/renderedFiles";
import { servicesFromStackFile } from "../../render/stackSettings";
import { changes, engineFixture, engineStack, secretValues, type EngineStack } from "../support/engineRuns";
import { CONFIG_MAP_DELIVERY } from "../support/stacks";
import { bounded, objectUid, receiverRoutesHeld, stackObjects } from "../support/engineChecks";

const fixture = engineFixture();

const VARIANTS = [
  { stack: "staging", namespace: "engine-staging", strategy: "OnNamespaceExceptForAlertmanagerNamespace" },
  { stack: "prod", namespace: "engine-prod", strategy: "OnNamespace" },
] as const;

for (const v of VARIANTS) {
  describe(`${v.stack} through the real engine (alertEngine prometheus, dashboards as ConfigMaps)`, { concurrency: false }, () => {
    let deployed: EngineStack;
    const objects = () => kubernetesManifests(deployed.services).map((m) => revealed(m));

    before(async () => {
      deployed = await engineStack(fixture, { ...v, overrides: CONFIG_MAP_DELIVERY });
    });

    test("up creates every object of the stack; then preview, refresh and preview again find nothing to change", async () => {
      const up = await bounded(`up of ${v.stack}`, (o) => deployed.stack.up(o));
      assert.deepEqual(changes(up.summary), { create: up.summary.resourceChanges!.create }, up.stdout);
      for (const o of objects()) assert.ok(await fixture.cluster.api.find(o), `${o.kind} ${o.metadata.name} is in the cluster`);
      await bounded(`preview of ${v.stack}`, (o) => deployed.stack.preview({ ...o, expectNoChanges: true }));
      const refresh = await bounded(`refresh of ${v.stack}`, (o) => deployed.stack.refresh(o));
      assert.deepEqual(changes(refresh.summary), {}, refresh.stdout);
      await bounded(`preview after refresh of ${v.stack}`, (o) => deployed.stack.preview({ ...o, expectNoChanges: true }));
    });

    test("the state holds no secret in plain text", async () => {
      const state = JSON.stringify(await deployed.stack.exportStack());
      for (const secret of secretValues(v.stack)) assert.ok(!state.includes(secret), `the state holds a secret in plain text: ${secret.slice(0, 12)}…`);
    });

    test("a hand edit by another field manager is taken back by `pulumi up --refresh` (README's deploy)", async () => {
      const [rule] = objects().filter((o) => o.kind === "PrometheusRule");
      const edited = structuredClone(rule) as KubeObject & { spec: { groups: { rules: { for?: string }[] }[] } };
      edited.spec.groups[0].rules[0].for = "59m";
      await fixture.cluster.api.apply(edited, { fieldManager: "kubectl-edit" });
      const up = await bounded(`up --refresh of ${v.stack}`, (o) => deployed.stack.up({ ...o, refresh: true }));
      assert.deepEqual(changes(up.summary), { update: 1 }, up.stdout);
      assert.deepEqual(((await fixture.cluster.api.get(rule)) as unknown as { spec: unknown }).spec, rule.spec);
    });

    test("a rotated receiver URL updates its Secret in place: the operator's Alertmanager config keeps the stack's routes throughout", async () => {
      const secret = objects().find((o) => o.kind === "Secret" && /receivers/.test(o.metadata.name))!;
      const before = await objectUid(fixture.cluster.api, secret);
      const held = receiverRoutesHeld(fixture.cluster.api, v.namespace, deployed.services[0]);
      await deployed.reconfigure({ slackWebhookUrl: `https://hooks.slack.com/services/T000/B000/${v.stack}-rotated` });
      const up = await bounded(`up of ${v.stack} with a rotated Slack URL`, (o) => deployed.stack.up(o));
      const routes = await held.stop();
      assert.deepEqual(changes(up.summary), { update: 1 }, up.stdout);
      assert.ok(before, `${secret.metadata.name} is in the cluster`);
      assert.equal(await objectUid(fixture.cluster.api, secret), before, "the Secret was replaced (deleted, then created), not updated");
      assert.deepEqual(routes.missing, [], `the operator's Alertmanager config lost the stack's routes at: ${routes.missing.join(", ")}`);
      assert.match((await generatedAlertmanagerConfig(fixture.cluster.api, v.namespace)) ?? "", new RegExp(`${v.stack}-rotated`));
    });

    if (servicesFromStackFile(v.stack)[0].protect) {
      test("destroy of the protected stack refuses and deletes nothing", async () => {
        // The CLI, as the destroy workflow runs it: it previews first (the Automation API's destroy skips the preview and deletes what is not protected).
        const destroy = await fixture.engine.shell(deployed.stack, `pulumi destroy --stack ${v.stack} --yes --non-interactive`);
        assert.notEqual(destroy.code, 0, destroy.summary);
        assert.match(destroy.stdout + destroy.stderr, /cannot be deleted\s+because it is protected/, destroy.summary);
        for (const o of objects()) assert.ok(await fixture.cluster.api.find(o), `${o.kind} ${o.metadata.name} is still in the cluster`);
        await deployed.reconfigure({ protect: "false" });
        await bounded(`up of ${v.stack} without protect`, (o) => deployed.stack.up(o));
      });
    }

    test("destroy leaves nothing of the stack in the API server", async () => {
      await bounded(`destroy of ${v.stack}`, (o) => deployed.stack.destroy(o));
      const left = await stackObjects(fixture.cluster.api, v.namespace);
      assert.deepEqual(left, [], `left in ${v.namespace}: ${left.join(", ")}`);
    });
  });
}
