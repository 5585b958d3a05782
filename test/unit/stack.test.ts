/** The real program on Pulumi's mock engine, for every committed stack: which resources, with what; golden files; preview; protection. */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { PROJECT_DIR, stackNames } from "../../config/stackFile";
import { PANEL_TITLES } from "../../dashboards/websocket";
import { freePort } from "../../harness/processes";
import program = require("../../index");
import { isSecretWire, mockEngine, plainOccurrences, redact, reveal, runStack, unknownPaths, type Registered, type StackRun } from "../support/mockStack";
import { GRAFANA_ALERTING, T, alertNamesOf, one, run, settingsOf, typesOf } from "../support/stackRuns";
import { TEST_SECRETS, stackRawConfig } from "../support/stacks";

const GOLDEN_DIR = path.join(__dirname, "..", "golden");
/** Inputs Grafana takes as JSON strings: parsed in the golden files, so that their diffs are readable. */
const JSON_STRING_INPUTS = new Set(["configJson", "model", "jsonDataEncoded"]);

function readable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(readable);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, JSON_STRING_INPUTS.has(k) && typeof v === "string" ? { "(JSON string)": JSON.parse(v) } : readable(v)]),
  );
}

describe("every committed stack", () => {
  for (const stack of stackNames()) {
    test(`${stack}: the registered resources match test/golden/${stack}.resources.json (UPDATE_GOLDEN=1 to accept a change)`, async () => {
      const r = await run(stack);
      // A dynamic resource carries its provider's serialized code: compared by the tests of that resource, not here.
      const inputs = (x: Registered) => readable(redact({ ...x.inputs, ...(x.inputs.__provider ? { __provider: "[code]" } : {}) }));
      // By type and name: the order the engine happens to receive them in is no change of the stack.
      const sorted = [...r.resources].sort((a, b) => `${a.type}::${a.name}`.localeCompare(`${b.type}::${b.name}`));
      const actual =
        JSON.stringify(sorted.map((x) => ({ type: x.type, name: x.name, protect: x.protect, inputs: inputs(x) })), null, 2).split(PROJECT_DIR).join("<project>") + "\n";
      for (const secret of Object.values(TEST_SECRETS[stack])) assert.ok(!actual.includes(secret), "a secret leaked into resource inputs");
      const file = path.join(GOLDEN_DIR, `${stack}.resources.json`);
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, actual);
      assert.equal(actual, readFileSync(file, "utf8"));
    });

    test(`${stack}: folder, dashboard, alert rules and outputs`, async () => {
      const r = await run(stack);
      const folder = one(r, T.folder);
      assert.equal(folder.inputs.uid, "websocket-monitoring");
      assert.equal(folder.inputs.title, "WebSocket Service Monitoring");

      const dashboard = JSON.parse(one(r, T.dashboard).inputs.configJson as string);
      const panels = new Map(dashboard.panels.map((p: { title: string; type: string }) => [p.title, p]));
      assert.equal((panels.get(PANEL_TITLES.activeConnections) as { type: string }).type, "gauge");
      assert.equal((panels.get(PANEL_TITLES.connectionsOverTime) as { type: string }).type, "timeseries");

      if (settingsOf(stack).alerts.engine === "grafana") {
        const group = one(r, T.ruleGroup, "-alerting-rules").inputs;
        assert.equal(group.folderUid, "websocket-monitoring");
        const rules = group.rules as { name: string; for: string; condition: string }[];
        assert.deepEqual(rules.map((x) => x.name).sort(), alertNamesOf(settingsOf(stack)).sort());
        assert.ok(rules.every((x) => x.condition === "C"));
      } else {
        assert.deepEqual(GRAFANA_ALERTING.filter((t) => typesOf(r).has(t)), [], "alertEngine prometheus: no Grafana alerting objects");
      }

      assert.deepEqual([...(r.outputs.alertRuleNames as string[])].sort(), alertNamesOf(settingsOf(stack)).sort());
      assert.match(r.outputs.folderUrl as string, /\/dashboards\/f\/websocket-monitoring$/);
      // One per severity, and the heartbeat's where heartbeatUrl is set.
      assert.equal((r.outputs.contactPointNames as string[]).length, settingsOf(stack).notifications.heartbeat ? 3 : 2);
    });

    test(`${stack}: every credential reaches the resources, and only as a Pulumi secret`, async () => {
      const r = await run(stack);
      assert.ok(isSecretWire(one(r, T.grafanaProvider).inputs.auth), "provider auth is not secret");
      for (const [key, secret] of Object.entries(TEST_SECRETS[stack])) {
        const everywhere = r.resources.flatMap((x) => JSON.stringify(reveal(x.inputs)).includes(secret) ? [x.name] : []);
        assert.ok(everywhere.length > 0, `${key} is not used by any resource`);
        const plain = r.resources.flatMap((x) => plainOccurrences(x.inputs, secret).map((p) => `${x.name}: ${p}`));
        assert.deepEqual(plain, [], `${key} appears in plain text`);
      }
    });
  }
});

describe("pulumi preview of a new stack (nothing created yet)", () => {
  for (const stack of stackNames()) {
    test(`${stack}: every Grafana input is known, so the provider's Check and the policy pack see the alert rules`, async () => {
      const r = await runStack(stack, stackRawConfig(stack), { preview: true });
      const unknown = r.resources
        .filter((x) => x.type.startsWith("grafana:"))
        .flatMap((x) => unknownPaths(x.inputs).map((at) => `${x.name}: ${at}`));
      assert.deepEqual(unknown, []);
      if (settingsOf(stack).alerts.engine !== "grafana") return;
      const rules = one(r, T.ruleGroup, "-alerting-rules").inputs.rules as { annotations: Record<string, string> }[];
      assert.ok(rules.every((x) => x.annotations.runbook_url), "a rule without runbook_url reaches the policy pack");
    });

    test(`${stack}: what the rules and the dashboard reference by uid or name is created first (dependsOn)`, async () => {
      const r = await run(stack);
      const s = settingsOf(stack);
      const base = one(r, T.folder).name.replace(/-folder$/, "");
      // They follow the environment, and with it all its objects (a dependency on a component is one on its children).
      const environment = one(r, T.environment);
      const inEnvironment = (name: string) => {
        const byUrn = new Map(r.resources.map((x) => [x.urn, x]));
        const found = r.resources.find((x) => x.name === name && x.type !== environment.type && !x.type.startsWith("websocket-monitoring:index:"));
        for (let at = found; at; at = at.parentUrn ? byUrn.get(at.parentUrn) : undefined) if (at === environment) return true;
        return false;
      };
      assert.deepEqual(one(r, T.dashboard).dependsOn, [environment.name]);
      assert.ok(inEnvironment(`${base}-folder`) && (s.grafana.createDatasource ? inEnvironment(`${base}-datasource`) : true), "folder and datasource in the environment");
      if (s.alerts.engine !== "grafana") return;
      assert.deepEqual(one(r, T.ruleGroup, "-alerting-rules").dependsOn, [`${base}-dashboard`, environment.name]);
      // Per rule: every contact point a rule may name (the heartbeat's too), and the operational hours.
      const points = ["critical", "warning", ...(s.notifications.heartbeat ? ["heartbeat"] : []), "operational-hours"];
      for (const point of points) assert.ok(inEnvironment(`${base}-alerting-${point}`), point);
    });
  }
});

describe("the program (index.ts) registers nothing when it cannot succeed", () => {
  test("invalid config: one clean error listing every problem", async () => {
    const engine = await mockEngine("dev", stackRawConfig("dev", { scrapeInterval: "often", connectionsMax: "0" }));
    await assert.rejects(program(), (e: Error) => {
      assert.equal(e.constructor.name, "RunError");
      assert.match(e.message, /Invalid configuration for stack 'dev' \(2 problems\)/);
      return true;
    });
    assert.deepEqual(engine.resources, []);
  });

  test("Grafana unreachable: the preflight names grafanaUrl", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const engine = await mockEngine("local", stackRawConfig("local", { grafanaUrl: url }));
    await assert.rejects(program(), /websocket-monitoring:grafanaUrl: cannot reach Grafana at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    assert.deepEqual(engine.resources, []);
  });
});

describe("protection", () => {
  const protectedTypes = (r: StackRun) => r.resources.filter((x) => x.protect).map((x) => x.type).sort();

  test("prod's folder, dashboard and rule group are protected from deletion", async () => {
    // Two rule groups: the alerts, and the SLO tickets (alerts/grafana.ts).
    assert.deepEqual(protectedTypes(await run("prod")), [T.ruleGroup, T.ruleGroup, T.dashboard, T.folder].sort());
  });

  test("dev protects nothing, so pulumi destroy removes all it created", async () => {
    assert.deepEqual(protectedTypes(await run("dev")), []);
  });
});

