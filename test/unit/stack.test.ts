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
import { freePort } from "../../harness/processes";
import { TEST_SECRETS, stackRawConfig } from "../support/stacks";
import { validateConfig } from "../../config/validate";

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
  customResource: (kind: string, version = "v1") => `kubernetes:monitoring.coreos.com/${version}:${kind}`,
  localFile: "pulumi-nodejs:dynamic/websocket-monitoring:LocalFile",
  k8sSecret: "kubernetes:core/v1:Secret",
};

const runs = new Map<string, StackRun>();
async function run(stack: string): Promise<StackRun> {
  if (!runs.has(stack)) runs.set(stack, await runStack(stack, stackRawConfig(stack)));
  return runs.get(stack)!;
}

function one(r: StackRun, type: string, nameSuffix = "") {
  const found = ofType(r, type).filter((x) => x.name.endsWith(nameSuffix));
  assert.equal(found.length, 1, `expected exactly one ${type} named *${nameSuffix}, got ${found.length}`);
  return found[0];
}

const settingsOf = (stack: string) => validateConfig(stackRawConfig(stack), stack);
const GRAFANA_ALERTING = [T.ruleGroup, T.contactPoint, T.muteTiming, T.policy];
const typesOf = (r: StackRun) => new Set(r.resources.map((x) => x.type));

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
      const actual =
        JSON.stringify(r.resources.map((x) => ({ type: x.type, name: x.name, protect: x.protect, inputs: inputs(x) })), null, 2).split(PROJECT_DIR).join("<project>") + "\n";
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
        const group = one(r, T.ruleGroup).inputs;
        assert.equal(group.folderUid, "websocket-monitoring");
        const rules = group.rules as { name: string; for: string; condition: string }[];
        assert.deepEqual(rules.map((x) => x.name).sort(), Object.values(ALERT_NAMES).sort());
        assert.ok(rules.every((x) => x.condition === "C"));
      } else {
        assert.deepEqual(GRAFANA_ALERTING.filter((t) => typesOf(r).has(t)), [], "alertEngine prometheus: no Grafana alerting objects");
      }

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
      if (settingsOf(stack).alerts.engine !== "grafana") return;
      const rules = one(r, T.ruleGroup).inputs.rules as { annotations: Record<string, string> }[];
      assert.ok(rules.every((x) => x.annotations.runbook_url), "a rule without runbook_url reaches the policy pack");
    });

    test(`${stack}: what the rules and the dashboard reference by uid or name is created first (dependsOn)`, async () => {
      const r = await run(stack);
      const s = settingsOf(stack);
      const base = one(r, T.folder).name.replace(/-folder$/, "");
      assert.deepEqual(one(r, T.dashboard).dependsOn, [`${base}-datasource`]);
      if (s.alerts.engine !== "grafana") return;
      const routing = s.grafana.routing === "perRule" ? ["critical", "warning", "operational-hours"].map((x) => `${base}-alerting-${x}`) : [];
      assert.deepEqual(one(r, T.ruleGroup).dependsOn, [`${base}-datasource`, `${base}-dashboard`, ...routing]);
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

describe("existing docker stacks: what moved into DockerServices keeps its state", () => {
  // Where each resource was before DockerServices held them all: the real engine's URNs, with the whole parent type chain.
  const before = (parents: string[], type: string, name: string) =>
    `urn:pulumi:dev::websocket-monitoring::${[...parents.map((p) => `websocket-monitoring:index:${p}`), type].join("$")}::${name}`;
  const image = "docker:index/remoteImage:RemoteImage";

  test("each container, volume, image and the network aliases its URN under its old parent, so pulumi up moves it instead of replacing it", async () => {
    const r = await runStack("dev", stackRawConfig("dev", { alertEngine: "prometheus" }));
    const grafana = ["WebSocketMonitoring", "DockerGrafana"];
    const scrape = ["WebSocketMonitoring", "ScrapeConfig"];
    const alerting = ["WebSocketMonitoring", "PrometheusAlerting"];
    const expected = [
      before(["WebSocketMonitoring"], T.network, "websocket-dev-network"),
      before(grafana, T.volume, "websocket-dev-grafana-data"),
      before(grafana, image, "websocket-dev-grafana-image"),
      before(grafana, T.container, "websocket-dev-grafana"),
      before(scrape, T.volume, "websocket-dev-scrape-prometheus-data"),
      before(scrape, image, "websocket-dev-scrape-blackbox-image"),
      before(scrape, image, "websocket-dev-scrape-prometheus-image"),
      before(scrape, T.container, "websocket-dev-scrape-blackbox-exporter"),
      before(scrape, T.container, "websocket-dev-scrape-prometheus"),
      before(alerting, T.volume, "websocket-dev-alerting-alertmanager-data"),
      before(alerting, image, "websocket-dev-alerting-alertmanager-image"),
      before(alerting, T.container, "websocket-dev-alerting-alertmanager"),
    ];
    const docker = r.resources.filter((x) => x.type.startsWith("docker:"));
    assert.deepEqual(docker.flatMap((x) => x.aliases).sort(), expected.sort());
    assert.ok(docker.every((x) => x.aliases.length === 1), "one alias per moved resource");
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
    assert.equal(r.outputs.scrapeConfigLocation, "monitoring/websocket-prod,websocket-prod-health");
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

describe("local (processes on this machine, alertEngine prometheus)", () => {
  type File = { path: string; content: string; reloadUrl: string };
  const localFile = (r: StackRun, suffix: string) => one(r, T.localFile, suffix).inputs as File;

  test("writes prometheus.yml, which loads the rules and sends to the local Alertmanager, and reloads Prometheus", async () => {
    const r = await run("local");
    const file = localFile(r, "-scrape-file");
    assert.ok(file.path.endsWith(path.join(".local", "prometheus", "prometheus.yml")));
    assert.match(file.content, /- 127\.0\.0\.1:8080/);
    assert.match(file.content, /scrape_interval: 5s/);
    assert.match(file.content, /rule_files:\n {2}- rules\.yml\n/);
    assert.match(file.content, /alertmanagers:\n {4}- static_configs:\n {8}- targets:\n {12}- 127\.0\.0\.1:9093\n/);
    assert.equal(file.reloadUrl, "http://127.0.0.1:9090/-/reload");
  });

  test("rules.yml beside prometheus.yml; alertmanager.yml, a secret, routes to the webhook receiver", async () => {
    const r = await run("local");
    const rules = localFile(r, "-alerting-rules");
    assert.ok(rules.path.endsWith(path.join(".local", "prometheus", "rules.yml")));
    assert.match(rules.content, /alert: WebSocketServiceDown/);
    assert.equal(rules.reloadUrl, "http://127.0.0.1:9090/-/reload");
    const routing = one(r, T.localFile, "-alerting-alertmanager-config").inputs;
    assert.ok(isSecretWire(routing.content), "alertmanager.yml holds the webhook URL: it must be a Pulumi secret");
    const { path: file, content, reloadUrl } = reveal(routing) as File;
    assert.ok(file.endsWith(path.join(".local", "alertmanager", "alertmanager.yml")));
    assert.match(content, /- url: http:\/\/127\.0\.0\.1:9099\/alerts\n/);
    assert.equal(reloadUrl, "http://127.0.0.1:9093/-/reload");
  });

  test("the scrape config waits for the rule file it loads", async () => {
    const r = await run("local");
    const order = r.resources.map((x) => x.name);
    assert.ok(order.indexOf("websocket-local-alerting-rules") < order.indexOf("websocket-local-scrape-file"));
  });

  test("creates the datasource for the local Prometheus", async () => {
    assert.equal(one(await run("local"), T.datasource).inputs.url, "http://127.0.0.1:9090");
  });
});

describe("alertEngine prometheus on docker and kubernetes", () => {
  test("docker: an Alertmanager container with its config as a secret; Prometheus gets the rules and the Alertmanager", async () => {
    const r = await runStack("dev", stackRawConfig("dev", { alertEngine: "prometheus" }));
    assert.deepEqual(GRAFANA_ALERTING.filter((t) => typesOf(r).has(t)), []);
    const containers = new Map(ofType(r, T.container).map((c) => [c.inputs.name as string, c.inputs]));
    const alertmanager = containers.get("websocket-dev-alertmanager")!;
    assert.ok(isSecretWire(alertmanager.uploads), "alertmanager.yml holds the webhook URL: it must be a Pulumi secret");
    const [config] = reveal(alertmanager.uploads) as { file: string; content: string }[];
    assert.equal(config.file, "/etc/alertmanager/alertmanager.yml");
    assert.ok(config.content.includes(TEST_SECRETS.dev.webhookUrl));
    const prometheus = containers.get("websocket-dev-prometheus")!.uploads as { file: string; content: string }[];
    assert.deepEqual(prometheus.map((u) => u.file), ["/etc/prometheus/prometheus.yml", "/etc/prometheus/rules.yml"]);
    assert.match(prometheus[0].content, /- alertmanager:9093/);
    assert.match(prometheus[1].content, /alert: WebSocketNoActiveConnections/);
  });

  test("kubernetes: PrometheusRule, AlertmanagerConfig and the receivers' URLs only in a Secret", async () => {
    const r = await runStack("prod", stackRawConfig("prod", { alertEngine: "prometheus", operationalTimezone: "UTC" }));
    assert.deepEqual(GRAFANA_ALERTING.filter((t) => typesOf(r).has(t)), []);
    const rule = one(r, T.customResource("PrometheusRule")).inputs as { spec: { groups: { rules: { alert: string; labels: Record<string, string> }[] }[] } };
    const rules = rule.spec.groups[0].rules;
    assert.deepEqual(rules.map((x) => x.alert).sort(), Object.values(ALERT_NAMES).sort());
    assert.ok(rules.every((x) => x.labels.namespace === "monitoring"), "the operator routes only alerts labelled with the AlertmanagerConfig's namespace");
    const config = one(r, T.customResource("AlertmanagerConfig", "v1alpha1")).inputs as { spec: Record<string, any> };
    const critical = config.spec.receivers.find((x: { name: string }) => x.name === "websocket-prod-critical");
    assert.deepEqual(critical.slackConfigs[0].apiURL, { name: "websocket-prod-alert-receivers", key: "slack-webhook-url" });
    assert.deepEqual(critical.webhookConfigs[0].urlSecret, { name: "websocket-prod-alert-receivers", key: "webhook-url" });
    assert.equal(config.spec.route.routes[0].activeTimeIntervals[0], "websocket-prod-operational-hours");
    const secret = one(r, T.k8sSecret, "-alerting-receivers").inputs as { stringData: unknown };
    assert.ok(isSecretWire(secret.stringData), "the receivers' URLs must be a Pulumi secret");
    assert.deepEqual(reveal(secret.stringData), { "slack-webhook-url": TEST_SECRETS.prod.slackWebhookUrl, "webhook-url": TEST_SECRETS.prod.webhookUrl });
    for (const secretValue of Object.values(TEST_SECRETS.prod))
      assert.deepEqual(r.resources.flatMap((x) => plainOccurrences(x.inputs, secretValue).map((p) => `${x.name}: ${p}`)), []);
  });
});

describe("Grafana routing", () => {
  type Rule = { name: string; labels: Record<string, string>; notificationSettings?: Record<string, any> };

  test("prod (an existing Grafana) routes per rule by default: the organisation's policy tree is not touched", async () => {
    const r = await run("prod");
    assert.equal(ofType(r, T.policy).length, 0);
    const rules = one(r, T.ruleGroup).inputs.rules as Rule[];
    for (const rule of rules) {
      const settings = rule.notificationSettings!;
      assert.equal(settings.contactPoint, `websocket-prod-${rule.labels.severity}`, rule.name);
      assert.deepEqual(settings.groupBies, ["alertname", "grafana_folder", "environment"]);
      assert.deepEqual(settings.activeTimings, rule.name === ALERT_NAMES.noActiveConnections ? ["websocket-prod-operational-hours"] : undefined);
    }
  });

  test("dev (its own Grafana) owns the policy tree, and its rules carry no routing of their own", async () => {
    const r = await run("dev");
    assert.equal(ofType(r, T.policy).length, 1);
    assert.ok((one(r, T.ruleGroup).inputs.rules as Rule[]).every((x) => x.notificationSettings === undefined));
  });

  test("uidSuffix: folder, dashboard, rule links and URLs of one environment among several", async () => {
    const r = await runStack("prod", stackRawConfig("prod", { uidSuffix: "eu1" }));
    assert.equal(one(r, T.folder).inputs.uid, "websocket-monitoring-eu1");
    assert.equal(JSON.parse(one(r, T.dashboard).inputs.configJson as string).uid, "websocket-service-monitoring-eu1");
    assert.ok((one(r, T.ruleGroup).inputs.rules as { annotations: Record<string, string> }[]).every((x) => x.annotations.__dashboardUid__ === "websocket-service-monitoring-eu1"));
    assert.match(r.outputs.folderUrl as string, /\/dashboards\/f\/websocket-monitoring-eu1$/);
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
