/**
 * dashboardDelivery configMap on the mock engine: a Kubernetes stack that alerts with Prometheus
 * and delivers its dashboards as ConfigMaps for a Grafana sidecar registers no Grafana provider and
 * no Grafana object, needs no grafanaAuth, and each dashboard's ConfigMap carries the same model.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { validateServices } from "../../config/validate";
import { onPlatform } from "../../config/settings";
import { dashboardUid } from "../../dashboards/ids";
import { buildDashboard } from "../../dashboards/websocket";
import { stableJson } from "../../lib/stableJson";
import { ofType, runStack, useConfig } from "../support/mockStack";
import { CONFIG_MAP_DELIVERY, listedServices, stackRawConfig } from "../support/stacks";

const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

for (const [stack, more] of [["staging", {}], ["prod", {}], ["prod", listedServices("prod", ["chat", "presence"])]] as const) {
  const overrides = { ...CONFIG_MAP_DELIVERY, ...more };
  const raw = stackRawConfig(stack, overrides);
  const all = validateServices(raw, stack);
  const label = `${stack}${"services" in more ? " with two services" : ""}`;
  describe(`${label}, dashboards as ConfigMaps`, () => {
    test("no Grafana provider, no Grafana object; one protected-as-configured ConfigMap per service with the sidecar's label and folder annotation, holding the dashboard model", async () => {
      const r = await runStack(stack, raw);
      useConfig(stackRawConfig(stack));
      assert.deepEqual(r.resources.filter((x) => x.type.startsWith("grafana:") || x.type === "pulumi:providers:grafana").map((x) => x.type), []);
      const maps = ofType(r, CONFIG_MAP);
      assert.equal(maps.length, all.length);
      for (const s of all) {
        const k = onPlatform(s, "kubernetes");
        const map = maps.find((m) => (m.inputs.metadata as { name: string }).name.endsWith(s.service.listed ? `-${s.service.name}-dashboard` : "-dashboard"))!;
        const metadata = map.inputs.metadata as { namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
        assert.equal(metadata.namespace, k.kubernetes.namespace);
        assert.equal(metadata.labels.grafana_dashboard, "1");
        assert.equal(metadata.annotations.grafana_folder, s.grafana.folderTitle);
        assert.deepEqual(map.inputs.data, { [`${dashboardUid(s)}.json`]: stableJson(buildDashboard(s)) });
        assert.equal(map.protect, s.protect);
      }
      assert.equal(r.outputs.dashboardUrl, `${all[0].grafana.url}/d/${dashboardUid(all[0])}`);
      assert.deepEqual(r.invokes, [], "no Grafana lookup (the datasource is named by uid in the model)");
    });
  });
}
