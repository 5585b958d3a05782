/**
 * What `pulumi destroy` removes and keeps (README, "What `pulumi destroy` removes and what it
 * keeps"), as the resource options the program registers: protected resources stop a destroy,
 * resources with retainOnDelete are dropped from the state but left in place.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { stackNames } from "../../config/stackFile";
import { runStack, type StackRun } from "../support/mockStack";
import { allViolations } from "../support/policyRuns";
import { TEST_SECRETS, stackRawConfig } from "../support/stacks";

const VOLUME = "docker:index/volume:Volume";
const kept = (r: StackRun) => r.resources.filter((x) => x.protect || x.retainOnDelete).map((x) => `${x.type} ${x.name}${x.protect ? " (protected)" : ""}`);

describe("pulumi destroy", () => {
  test("dev removes everything it created, data volumes included", async () => {
    assert.deepEqual(kept(await runStack("dev", stackRawConfig("dev"))), []);
  });

  test("dev with keepData keeps exactly the Prometheus and Grafana data volumes", async () => {
    assert.deepEqual(kept(await runStack("dev", stackRawConfig("dev", { keepData: "true" }))).sort(), [
      `${VOLUME} websocket-dev-grafana-data`,
      `${VOLUME} websocket-dev-scrape-prometheus-data`,
    ]);
  });

  test("prod keeps nothing silently: its protected resources make destroy refuse", async () => {
    const r = await runStack("prod", stackRawConfig("prod"));
    assert.ok(r.resources.every((x) => !x.retainOnDelete));
    assert.equal(kept(r).length, 4, "folder, dashboard and the two rule groups");
  });

  // alertEngine prometheus on Kubernetes needs UTC hours, and for prod's e-mail an SMTP server of its own.
  const ENGINE_OVERRIDES = {
    grafana: { alertEngine: "grafana" },
    prometheus: { alertEngine: "prometheus", operationalTimezone: "UTC", smtpHost: "smtp.example.com:587" },
  };

  for (const stack of stackNames().filter((name) => name in TEST_SECRETS)) {
    for (const [engine, overrides] of Object.entries(ENGINE_OVERRIDES)) {
      test(`${stack}, alertEngine ${engine}: protect covers the folder, dashboard and the engine's rule groups and routing, or nothing; the policy pack agrees`, async () => {
        const raw = stackRawConfig(stack, stack === "local" || stack === "dev" ? { alertEngine: engine } : overrides);
        const r = await runStack(stack, raw);
        const protectedTypes = r.resources.filter((x) => x.protect).map((x) => x.type).sort();
        if (raw.values.protect !== "true") return assert.deepEqual(protectedTypes, []);
        const rules = engine === "grafana"
          ? ["grafana:alerting/ruleGroup:RuleGroup", "grafana:alerting/ruleGroup:RuleGroup"]
          : ["kubernetes:monitoring.coreos.com/v1:PrometheusRule", "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig"];
        assert.deepEqual(protectedTypes, ["grafana:oss/dashboard:Dashboard", "grafana:oss/folder:Folder", ...rules].sort());
        assert.deepEqual(await allViolations(stack, r.resources), []);
        const unprotected = r.resources.map((x) => ({ ...x, protect: false }));
        assert.equal((await allViolations(stack, unprotected)).filter((v) => v.startsWith("prod-resources-protected:")).length, protectedTypes.length);
      });
    }
  }
});
