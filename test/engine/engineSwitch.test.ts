/**
 * README's procedure for switching a protected stack's alertEngine, run as README gives it through
 * the real engine: prod deployed with Grafana's engine (Grafana stood in), the switch to Prometheus
 * refused with Pulumi's own error while its rule groups are protected, then README's command
 * (read from README), then the deploy: the Grafana rule groups gone, the PrometheusRule and
 * AlertmanagerConfig in the cluster, and protected again.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { PROJECT_DIR } from "../../config/stackFile";
import { revealed } from "../../harness/kubernetes/monitoringCluster";
import { kubernetesManifests } from "../../render/renderedFiles";
import { bounded } from "../support/engineChecks";
import { engineStack, engineFixture } from "../support/engineRuns";

const fixture = engineFixture({ grafana: true });

/** The commands of README's procedure: the bash block of its paragraph on switching a protected stack's alertEngine. */
function readmeProcedure(): string[] {
  const readme = readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
  const at = readme.indexOf("**Switching a protected stack's `alertEngine`.**");
  assert.ok(at >= 0, "README has no paragraph on switching a protected stack's alertEngine");
  const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(at))!;
  return block[1].split("\n").filter((line) => line.trim() && !line.startsWith("#"));
}

test("prod from alertEngine grafana to prometheus, as README says: refused while protected, then done by its command and the deploy", async () => {
  const prod = await engineStack(fixture, { stack: "prod", namespace: "engine-switch", overrides: { grafanaUrl: fixture.grafana.url }, strategy: "OnNamespace" });
  await bounded("up of prod with Grafana's engine", (o) => prod.stack.up(o));
  const ruleGroups = () => Object.values(fixture.grafana.objects()).filter((o) => "intervalSeconds" in o).map((o) => o.name);
  assert.ok(ruleGroups().length >= 2, `prod's rule groups in Grafana: ${ruleGroups().join(", ")}`);

  await prod.reconfigure({ alertEngine: "prometheus", operationalTimezone: "UTC", smtpHost: "smtp.example.com:587" });
  await assert.rejects(bounded("up of prod switching to Prometheus", (o) => prod.stack.up(o)), /cannot be deleted\s+because it is protected/);
  assert.ok(ruleGroups().length >= 2, "the refused up deleted a rule group");

  for (const command of readmeProcedure()) {
    const result = await fixture.engine.shell(prod.stack, command);
    assert.equal(result.code, 0, `README's command failed: ${command}\n${result.summary}`);
  }
  await bounded("the deploy's up of prod with Prometheus' engine", (o) => prod.stack.up(o));
  assert.deepEqual(ruleGroups(), [], "Grafana still holds the old engine's rule groups");
  const objects = kubernetesManifests(prod.services).map((m) => revealed(m)).filter((o) => ["PrometheusRule", "AlertmanagerConfig"].includes(o.kind));
  for (const o of objects) assert.ok(await fixture.cluster.api.find(o), `${o.kind} ${o.metadata.name} is in the cluster`);
  const state = (await prod.stack.exportStack()).deployment as { resources: { type: string; protect?: boolean; urn: string }[] };
  const unguarded = state.resources.filter((r) => /PrometheusRule|AlertmanagerConfig/.test(r.type) && !r.protect).map((r) => r.urn);
  assert.deepEqual(unguarded, [], "protected again by the deploy");
});
