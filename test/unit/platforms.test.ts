/** Per platform, on Pulumi's mock engine: what the docker, kubernetes and local stacks create. */
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { isSecretWire, ofType, reveal, runStack, type StackRun } from "../support/mockStack";
import { T, one, run } from "../support/stackRuns";
import { TEST_SECRETS, stackRawConfig } from "../support/stacks";

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
    const rules = one(await run("dev"), T.ruleGroup, "-alerting-rules").inputs.rules as { name: string; for: string; datas: { refId: string; model: string }[] }[];
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
    ];
    const docker = r.resources.filter((x) => x.type.startsWith("docker:"));
    assert.deepEqual(docker.flatMap((x) => x.aliases).sort(), expected.sort());
    // Alertmanager came with DockerServices: nothing to move.
    const moved = docker.filter((x) => !x.name.includes("-alertmanager"));
    assert.ok(moved.every((x) => x.aliases.length === 1), "one alias per moved resource");
    assert.deepEqual(docker.filter((x) => x.name.includes("-alertmanager")).map((x) => x.aliases.length), [0, 0, 0]);
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

  test("prometheus.yml and rules.yml reload Prometheus once both exist, in whichever order they are written; alertmanager.yml reloads Alertmanager", async () => {
    const r = await run("local");
    const order = r.resources.map((x) => x.name);
    assert.ok(order.indexOf("websocket-local-alerting-rules") < order.indexOf("websocket-local-scrape-file"));
    type Reloading = File & { reloadProcess: string; readWith?: string[] };
    const scrape = localFile(r, "-scrape-file") as Reloading;
    const rules = localFile(r, "-alerting-rules") as Reloading;
    assert.deepEqual([scrape.reloadProcess, scrape.readWith], ["Prometheus", [rules.path]]);
    assert.deepEqual([rules.reloadProcess, rules.readWith], ["Prometheus", [scrape.path]]);
    const routing = reveal(one(r, T.localFile, "-alerting-alertmanager-config").inputs) as Reloading;
    assert.deepEqual([routing.reloadProcess, routing.readWith], ["Alertmanager", undefined]);
  });

  test("creates the datasource for the local Prometheus", async () => {
    assert.equal(one(await run("local"), T.datasource).inputs.url, "http://127.0.0.1:9090");
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
