/** The real program on Pulumi's mock engine, per committed stack: which resources, with what. */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/definitions";
import { PANEL_TITLES } from "../../dashboards/websocket";
import program = require("../../index");
import {
  isSecretWire,
  mockEngine,
  ofType,
  plainOccurrences,
  redact,
  reveal,
  runStack,
  unknownPaths,
  type Registered,
  type StackRun,
} from "../support/mockStack";
import { PROJECT_DIR, stackNames } from "../../config/stackFile";
import { freePort } from "../support/processes";
import { TEST_SECRETS, stackRawConfig } from "../support/stacks";

const T = {
  folder: "grafana:oss/folder:Folder",
  dashboard: "grafana:oss/dashboard:Dashboard",
  datasource: "grafana:oss/dataSource:DataSource",
  ruleGroup: "grafana:alerting/ruleGroup:RuleGroup",
  contactPoint: "grafana:alerting/contactPoint:ContactPoint",
  muteTiming: "grafana:alerting/muteTiming:MuteTiming",
  policy: "grafana:alerting/notificationPolicy:NotificationPolicy",
  grafanaProvider: "pulumi:providers:grafana",
  container: "docker:index/container:Container",
  volume: "docker:index/volume:Volume",
  network: "docker:index/network:Network",
  customResource: (kind: string) => `kubernetes:monitoring.coreos.com/v1:${kind}`,
  k8sSecret: "kubernetes:core/v1:Secret",
};

const runs = new Map<string, StackRun>();
async function run(stack: string): Promise<StackRun> {
  if (!runs.has(stack)) runs.set(stack, await runStack(stack, stackRawConfig(stack)));
  return runs.get(stack)!;
}

function one(r: StackRun, type: string) {
  const found = ofType(r, type);
  assert.equal(found.length, 1, `expected exactly one ${type}, got ${found.length}`);
  return found[0];
}

const GOLDEN_DIR = path.join(__dirname, "..", "golden");

describe("every committed stack", () => {
  for (const stack of stackNames()) {
    test(`${stack}: the registered resources match test/golden/${stack}.resources.json (UPDATE_GOLDEN=1 to accept a change)`, async () => {
      const r = await run(stack);
      // A dynamic resource carries its provider's serialized code: compared by the tests of that resource, not here.
      const inputs = (x: Registered) => redact({ ...x.inputs, ...(x.inputs.__provider ? { __provider: "[code]" } : {}) });
      const actual =
        JSON.stringify(r.resources.map((x) => ({ type: x.type, name: x.name, protect: x.protect, inputs: inputs(x) })), null, 2).split(PROJECT_DIR).join("<project>") + "\n";
      for (const secret of Object.values(TEST_SECRETS[stack])) assert.ok(!actual.includes(secret), "a secret leaked into resource inputs");
      const file = path.join(GOLDEN_DIR, `${stack}.resources.json`);
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, actual);
      assert.equal(actual, readFileSync(file, "utf8"));
    });

    test(`${stack}: folder, dashboard, rule group and outputs`, async () => {
      const r = await run(stack);
      const folder = one(r, T.folder);
      assert.equal(folder.inputs.uid, "websocket-monitoring");
      assert.equal(folder.inputs.title, "WebSocket Service Monitoring");

      const dashboard = JSON.parse(one(r, T.dashboard).inputs.configJson as string);
      const panels = new Map(dashboard.panels.map((p: { title: string; type: string }) => [p.title, p]));
      assert.equal((panels.get(PANEL_TITLES.activeConnections) as { type: string }).type, "gauge");
      assert.equal((panels.get(PANEL_TITLES.connectionsOverTime) as { type: string }).type, "timeseries");

      const group = one(r, T.ruleGroup).inputs;
      assert.equal(group.folderUid, "websocket-monitoring");
      const rules = group.rules as { name: string; for: string; condition: string }[];
      assert.deepEqual(rules.map((x) => x.name).sort(), Object.values(ALERT_NAMES).sort());
      assert.ok(rules.every((x) => x.condition === "C"));

      assert.deepEqual([...(r.outputs.alertRuleNames as string[])].sort(), Object.values(ALERT_NAMES).sort());
      assert.match(r.outputs.folderUrl as string, /\/dashboards\/f\/websocket-monitoring$/);
      assert.equal((r.outputs.contactPointNames as string[]).length, 2);
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
      const rules = one(r, T.ruleGroup).inputs.rules as { annotations: Record<string, string> }[];
      assert.ok(rules.every((x) => x.annotations.runbook_url), "a rule without runbook_url reaches the policy pack");
    });

    test(`${stack}: what the rules and the dashboard reference by uid is created first (dependsOn)`, async () => {
      const r = await run(stack);
      const base = one(r, T.folder).name.replace(/-folder$/, "");
      assert.deepEqual(one(r, T.dashboard).dependsOn, [`${base}-datasource`]);
      assert.deepEqual(one(r, T.ruleGroup).dependsOn, [`${base}-datasource`, `${base}-dashboard`]);
    });
  }
});

describe("dev (docker)", () => {
  test("runs Prometheus, blackbox exporter and Grafana on one network, with the rendered config uploaded", async () => {
    const r = await run("dev");
    const network = one(r, T.network);
    assert.equal(network.inputs.name, "websocket-monitoring");
    const containers = new Map(ofType(r, T.container).map((c) => [c.inputs.name as string, c.inputs]));
    assert.deepEqual([...containers.keys()].sort(), ["websocket-dev-blackbox-exporter", "websocket-dev-grafana", "websocket-dev-prometheus"]);
    const prometheus = containers.get("websocket-dev-prometheus")!;
    const upload = (prometheus.uploads as { content: string }[])[0].content;
    assert.match(upload, /job_name: websocket\n/);
    assert.match(upload, /- websocket-service:8080/);
    assert.match(upload, /scrape_interval: 15s/);
    const grafana = containers.get("websocket-dev-grafana")!;
    assert.ok(isSecretWire(grafana.envs), "Grafana container env (admin password) is not secret");
    assert.ok((reveal(grafana.envs) as string[]).includes("GF_SECURITY_ADMIN_PASSWORD=dev-password"));
  });

  test("removes data volumes on destroy unless keepData", async () => {
    const r = await run("dev");
    assert.deepEqual(ofType(r, T.volume).map((v) => v.inputs.name).sort(), ["websocket-dev-grafana-data", "websocket-dev-prometheus-data"]);
  });

  test("creates the Prometheus datasource for the container", async () => {
    const ds = one(await run("dev"), T.datasource).inputs;
    assert.equal(ds.uid, "websocket-prometheus");
    assert.equal(ds.url, "http://prometheus:9090");
    assert.equal(JSON.parse(ds.jsonDataEncoded as string).timeInterval, "15s");
  });

  test("rules use dev's pending periods and threshold", async () => {
    const rules = one(await run("dev"), T.ruleGroup).inputs.rules as { name: string; for: string; datas: { refId: string; model: string }[] }[];
    const byName = new Map(rules.map((x) => [x.name, x]));
    assert.equal(byName.get(ALERT_NAMES.noActiveConnections)!.for, "30m");
    const threshold = JSON.parse(byName.get(ALERT_NAMES.aboveThreshold)!.datas.find((d) => d.refId === "C")!.model);
    assert.deepEqual(threshold.conditions[0].evaluator, { params: [200], type: "gt" });
  });

  test("webhook contact point for both severities, operational hours in Berlin", async () => {
    const r = await run("dev");
    for (const cp of ofType(r, T.contactPoint)) {
      assert.deepEqual(cp.inputs.slacks, []);
      assert.equal((reveal(cp.inputs.webhooks) as { url: string }[])[0].url, TEST_SECRETS.dev.webhookUrl);
    }
    const timing = one(r, T.muteTiming).inputs.intervals as Record<string, unknown>[];
    assert.deepEqual(timing, [{ weekdays: ["monday:friday"], times: [{ start: "09:00", end: "18:00" }], location: "Europe/Berlin" }]);
    const policy = one(r, T.policy).inputs;
    const routes = policy.policies as { activeTimings?: string[]; matchers: { value: string }[] }[];
    assert.deepEqual(routes[0].activeTimings, ["websocket-dev-operational-hours"]);
    assert.equal(routes[0].matchers[1].value, ALERT_NAMES.noActiveConnections);
  });
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
    assert.deepEqual(protectedTypes(await run("prod")), [T.ruleGroup, T.dashboard, T.folder].sort());
  });

  test("dev protects nothing, so pulumi destroy removes all it created", async () => {
    assert.deepEqual(protectedTypes(await run("dev")), []);
  });
});

describe("prod (kubernetes, prometheus-operator)", () => {
  test("ServiceMonitor selects the service and keeps the configured job name; Probe checks health", async () => {
    const r = await run("prod");
    const sm = one(r, T.customResource("ServiceMonitor")).inputs as { metadata: Record<string, unknown>; spec: Record<string, any> };
    assert.equal(sm.metadata.namespace, "monitoring");
    assert.deepEqual((sm.metadata.labels as Record<string, string>).release, "kube-prometheus-stack");
    assert.deepEqual(sm.spec.selector, { matchLabels: { "app.kubernetes.io/name": "websocket-service" } });
    assert.deepEqual(sm.spec.namespaceSelector, { matchNames: ["realtime"] });
    const endpoint = sm.spec.endpoints[0];
    assert.equal(endpoint.port, "http");
    assert.equal(endpoint.path, "/ws/metrics");
    assert.equal(endpoint.interval, "30s");
    assert.deepEqual(endpoint.relabelings[0], { action: "replace", targetLabel: "job", replacement: "websocket" });
    const probe = one(r, T.customResource("Probe")).inputs as { spec: Record<string, any> };
    assert.deepEqual(probe.spec.targets.staticConfig.static, ["http://websocket-service.realtime.svc:8080/ws/health"]);
  });

  test("uses the existing datasource by uid and runs no containers", async () => {
    const r = await run("prod");
    assert.equal(ofType(r, T.datasource).length, 0);
    assert.deepEqual(r.invokes.map((i) => [i.token, i.inputs.uid]), [["grafana:oss/getDataSource:getDataSource", "prometheus"]]);
    assert.equal(ofType(r, T.container).length, 0);
  });

  test("critical alerts go to Slack, e-mail and webhook; warnings to Slack", async () => {
    const r = await run("prod");
    const cps = new Map(ofType(r, T.contactPoint).map((c) => [c.inputs.name as string, reveal(c.inputs) as Record<string, any[]>]));
    const critical = cps.get("websocket-prod-critical")!;
    assert.equal(critical.slacks.length, 1);
    assert.deepEqual(critical.emails[0].addresses, ["websocket-oncall@example.com"]);
    assert.equal(critical.webhooks.length, 1);
    const warning = cps.get("websocket-prod-warning")!;
    assert.equal(warning.slacks[0].recipient, "#websocket-oncall");
    assert.deepEqual([warning.emails.length, warning.webhooks.length], [0, 0]);
  });
});

describe("local (processes on this machine)", () => {
  test("writes prometheus.yml for the local Prometheus and reloads it", async () => {
    const r = await run("local");
    const file = one(r, "pulumi-nodejs:dynamic/websocket-monitoring:LocalFile").inputs as { path: string; content: string; reloadUrl: string };
    assert.ok(file.path.endsWith(path.join(".local", "prometheus", "prometheus.yml")));
    assert.match(file.content, /- 127\.0\.0\.1:8080/);
    assert.match(file.content, /scrape_interval: 5s/);
    assert.equal(file.reloadUrl, "http://127.0.0.1:9090/-/reload");
  });

  test("creates the datasource for the local Prometheus; webhook gets every alert", async () => {
    const r = await run("local");
    assert.equal(one(r, T.datasource).inputs.url, "http://127.0.0.1:9090");
    for (const cp of ofType(r, T.contactPoint)) assert.equal((reveal(cp.inputs.webhooks) as { url: string }[])[0].url, "http://127.0.0.1:9099/alerts");
  });
});

describe("staging (kubernetes, plain Prometheus)", () => {
  test("scrape jobs go into a Secret for additionalScrapeConfigs", async () => {
    const r = await run("staging");
    const secret = reveal(one(r, T.k8sSecret).inputs) as { metadata: { namespace: string }; stringData: Record<string, string> };
    assert.equal(secret.metadata.namespace, "monitoring");
    const jobs = secret.stringData["websocket-scrape.yaml"];
    assert.match(jobs, /kubernetes_sd_configs/);
    assert.match(jobs, /__meta_kubernetes_service_label_app_kubernetes_io_name/);
    assert.equal(ofType(r, T.customResource("ServiceMonitor")).length, 0);
  });
});
