/** Many services in one stack (the `services` key): validation, and what each service and the environment get. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { alertmanagerConfig } from "../../alerts/alertmanager";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { alertmanagerConfigObject } from "../../alerts/kubernetes";
import { prometheusRules } from "../../alerts/prometheus";
import { onPlatform } from "../../config/settings";
import { validateServices } from "../../config/validate";
import { renderedFiles, RENDERED } from "../../render/renderedFiles";
import { FIXTURES_DIR, servicesFromStackFile } from "../../render/stackSettings";
import { prometheusConfig } from "../../scrape/model";
import { problemsOf, raw } from "../support/configCases";
import { alertRulesOf } from "../../policy/alertForms";
import { reveal, runStack } from "../support/mockStack";
import { allViolations } from "../support/policyRuns";
import { T } from "../support/stackRuns";
import { listedServices, stackRawConfig } from "../support/stacks";

const services = (list: unknown[], more: Record<string, string | undefined> = {}) => raw({ targets: undefined, services: JSON.stringify(list), ...more });

describe("validation of services", () => {
  test("a valid list gives one settings view per service: its own values over the stack's, its job names from its name", () => {
    const [chat, presence] = validateServices(services([{ name: "chat", targets: ["127.0.0.1:8081"] }, { name: "presence", targets: ["127.0.0.1:8082"], connectionsMax: 50, connectionsWarning: 40 }], { connectionsMax: "300", connectionsWarning: "200" }), "test");
    assert.deepEqual([chat.service, presence.service], [{ name: "chat", listed: true }, { name: "presence", listed: true }]);
    assert.deepEqual([chat.scrape.jobName, chat.scrape.healthJobName, presence.scrape.jobName], ["chat", "chat-health", "presence"]);
    assert.deepEqual([chat.alerts.connectionsMax, presence.alerts.connectionsMax], [300, 50]);
    assert.deepEqual([chat.scrape.targets, presence.scrape.targets], [["127.0.0.1:8081"], ["127.0.0.1:8082"]]);
  });

  test("each problem names the service's key, once; the stack's own problems are said once, not per service", () => {
    const problems = problemsOf(
      services(
        [
          { name: "chat", targets: ["127.0.0.1:8081"], connectionsMax: "many", grafanaUrl: "http://x", scrapeIntervall: "5s" },
          { name: "chat", targets: ["127.0.0.1:8082"] },
          { name: "Bad_Name" },
          { targets: ["127.0.0.1:8083"] },
        ],
        { scrapeInterval: "often" },
      ),
    );
    const expected = [
      /^websocket-monitoring:services\[0\]\.grafanaUrl: set for the whole stack, not per service; set it at the top level/,
      /^websocket-monitoring:services\[0\]\.scrapeIntervall: unknown key\. Did you mean 'scrapeInterval'\?/,
      /^websocket-monitoring:services\[1\]\.name = "chat": services\[0\] has this name already/,
      /^websocket-monitoring:services\[2\]\.name = "Bad_Name"; allowed: lower-case letters/,
      /^websocket-monitoring:services\[3\]\.name: required/,
      /^websocket-monitoring:scrapeInterval = "often": allowed: a duration/,
      /^websocket-monitoring:services\[0\]\.connectionsMax = "many": allowed: a whole number/,
    ];
    assert.equal(problems.length, expected.length, problems.join("\n"));
    expected.forEach((pattern, i) => assert.match(problems[i], pattern));
  });

  test("where a service is cannot be set for all: targets at the top level with services is refused, naming the way to move it", () => {
    const problems = problemsOf(services([{ name: "chat", targets: ["127.0.0.1:8081"] }], { targets: '["127.0.0.1:8080"]' }));
    assert.deepEqual(problems, ["websocket-monitoring:targets: set per service when services is set; move it into each service ('pulumi config rm targets', then 'pulumi config set --path services[<i>].targets <value>')."]);
  });

  test("two services can never share a job, and a name too long for its dashboard's uid is refused", () => {
    const problems = problemsOf(
      services([
        { name: "chat", targets: ["127.0.0.1:8081"] },
        { name: "presence", targets: ["127.0.0.1:8082"], jobName: "chat-health" },
        { name: "a-very-long-service-name-indeed", targets: ["127.0.0.1:8083"] },
      ], { uidSuffix: "staging" }),
    );
    assert.equal(problems.length, 2, problems.join("\n"));
    assert.match(problems[0], /^websocket-monitoring:services\[2\]\.name = "a-very-long-service-name-indeed": too long for its dashboard's uid 'websocket-a-very-long-service-name-indeed-staging' \(49 characters; Grafana allows 40\)/);
    assert.match(problems[1], /^websocket-monitoring:services\[1\]\.jobName = "chat-health": also the health job of services\[0\]; every job of the stack needs its own name\./);
  });

  test("a problem of one service's values that comes from a stack-wide key says which service", () => {
    const problems = problemsOf(services([{ name: "chat", targets: ["127.0.0.1:8081"] }, { name: "presence", targets: ["127.0.0.1:8082"], connectionsMax: 50 }]));
    assert.deepEqual(problems, [`websocket-monitoring:connectionsWarning = "800": allowed: less than connectionsMax (50). (services[1] 'presence')`]);
  });

  test("services that is not a list of objects is one problem", () => {
    assert.deepEqual(problemsOf(services([] as unknown[])), [
      `websocket-monitoring:services: not a list of objects; allowed: a list of objects, each with a name and per-service keys, e.g. [{"name":"chat","targets":["chat:8080"]}].`,
    ]);
  });
});

/** prod with two services, chat and presence, where its one service was; alertEngine prometheus (UTC hours, an SMTP server of its own). */
function prodWithTwoServices() {
  return stackRawConfig("prod", { ...listedServices("prod", ["chat", "presence"]), alertEngine: "prometheus", operationalTimezone: "UTC", smtpHost: "smtp.example.com:587" });
}

describe("the environment holds every service; each service's names carry its name", () => {
  const all = servicesFromStackFile("services", {}, FIXTURES_DIR);

  test("one prometheus.yml with both services' jobs; one rule file with each service's groups, labelled service=<name>; one heartbeat at most", () => {
    const jobs = (prometheusConfig(all).scrape_configs as { job_name: string }[]).map((j) => j.job_name);
    assert.deepEqual(jobs, ["chat", "chat-health", "chat-upgrade", "presence", "presence-health", "presence-upgrade"]);
    const groups = prometheusRules(all).groups;
    assert.deepEqual(groups.map((g) => g.name), [
      "websocket-chat-connections", "websocket-chat-slo-availability", "websocket-chat-slo-connections",
      "websocket-presence-connections", "websocket-presence-slo-availability", "websocket-presence-slo-connections",
    ]);
    for (const g of groups) {
      const service = g.name.split("-")[1];
      for (const r of g.rules) assert.equal(r.labels.service, service, `${g.name}: ${"alert" in r ? r.alert : r.record}`);
    }
    const above = (name: string) => groups.find((g) => g.name === `websocket-${name}-connections`)!.rules.find((r) => "alert" in r && r.alert === "WebSocketConnectionsAboveThreshold")!;
    assert.match((above("presence") as { expr: string }).expr, / > 5000$/);
    assert.match((above("chat") as { expr: string }).expr, / > 1000$/);
  });

  test("each service's operational hours its own: a time interval each, and WebSocketNoActiveConnections of each routed inside its own", () => {
    const config = alertmanagerConfig(all) as { time_intervals: { name: string; time_intervals: { weekdays: string[] }[] }[]; route: { routes: { matchers: string[]; active_time_intervals?: string[] }[] } };
    assert.deepEqual(config.time_intervals.map((t) => [t.name, t.time_intervals[0].weekdays]), [
      ["websocket-services-chat-operational-hours", ["monday:friday"]],
      ["websocket-services-presence-operational-hours", ["monday:saturday", "sunday"]],
    ]);
    const idle = config.route.routes.filter((r) => r.matchers.includes(`alertname="${ALERT_NAMES.noActiveConnections}"`));
    assert.deepEqual(idle.map((r) => [r.matchers.at(-1), r.active_time_intervals]), [
      ['service="chat"', ["websocket-services-chat-operational-hours"]],
      ['service="presence"', ["websocket-services-presence-operational-hours"]],
    ]);
  });

  test("a dashboard per service, each linked from its alerts' messages by the service label", () => {
    const files = renderedFiles(all);
    const uid = (name: string) => JSON.parse(files[`grafana/dashboard-${name}.json`]).uid;
    assert.deepEqual([uid("chat"), uid("presence")], ["websocket-chat", "websocket-presence"]);
    assert.equal(files[RENDERED.dashboard], undefined);
    assert.match(files[RENDERED.alertmanager], /\/d\/websocket-%s\?from=%d&to=%s" \.Labels\.service/);
  });

  test("Kubernetes: the AlertmanagerConfig's top route takes both services' alerts, and only theirs", () => {
    const two = validateServices(prodWithTwoServices(), "prod");
    const route = (alertmanagerConfigObject(two).spec as { route: { matchers: unknown[] } }).route;
    // prod has a heartbeat, of no service: the empty service is let in for the stack's alert names (whichService.test.ts).
    const matchers = route.matchers as { name: string; value: string }[];
    assert.deepEqual(matchers.map((m) => [m.name, m.name === "alertname" ? "…" : m.value]), [["service", "chat|presence|"], ["alertname", "…"], ["environment", "prod"]]);
    assert.equal(onPlatform(two[1], "kubernetes").kubernetes.serviceNamespace, "realtime");
  });
});

describe("the program with two services on the mock engine", () => {
  test("prod: per service a dashboard, ServiceMonitor, Probe and PrometheusRule of its own; once the folder, routing and receivers; no two URNs alike; the policy pack passes", async () => {
    const run = await runStack("prod", prodWithTwoServices());
    assert.deepEqual(await allViolations("prod", run.resources), []);
    const names = (type: string) => run.resources.filter((r) => r.type === type).map((r) => r.name).sort();
    assert.deepEqual(names(T.dashboard), ["websocket-prod-chat-dashboard", "websocket-prod-presence-dashboard"]);
    assert.deepEqual(names(T.customResource("ServiceMonitor")), ["websocket-prod-chat-scrape-servicemonitor", "websocket-prod-presence-scrape-servicemonitor"]);
    assert.deepEqual(names(T.customResource("Probe")), ["websocket-prod-chat-scrape-probe", "websocket-prod-presence-scrape-probe"]);
    // Each service's, and the environment's heartbeat's.
    assert.deepEqual(names(T.customResource("PrometheusRule")), ["websocket-prod-alerting-heartbeat", "websocket-prod-chat-alerting-rules", "websocket-prod-presence-alerting-rules"]);
    assert.deepEqual(names(T.customResource("AlertmanagerConfig", "v1alpha1")), ["websocket-prod-alerting-routing"]);
    assert.deepEqual(names(T.folder), ["websocket-prod-folder"]);
    const urns = run.resources.map((r) => r.urn);
    assert.equal(new Set(urns).size, urns.length, "two resources with one URN");
    const dashboard = (name: string) => JSON.parse(run.resources.find((r) => r.type === T.dashboard && r.name === `websocket-prod-${name}-dashboard`)!.inputs.configJson as string);
    assert.deepEqual([dashboard("chat").title, dashboard("presence").title], ["WebSocket Service Monitoring: chat", "WebSocket Service Monitoring: presence"]);
    const monitor = run.resources.find((r) => r.name === "websocket-prod-presence-scrape-servicemonitor")!;
    assert.equal((monitor.inputs.metadata as { name: string }).name, "websocket-prod-presence");
    assert.equal(parse(JSON.stringify(monitor.inputs.spec)).endpoints[0].relabelings[0].replacement, "presence");
  });

  test("dev (alertEngine grafana): each service's rule groups of its own in the one folder, named after it; the policy pack passes", async () => {
    const dev = stackRawConfig("dev");
    const { targets, ...rest } = dev.values;
    const list = [{ name: "chat", targets: JSON.parse(targets) }, { name: "presence", targets: ["presence:8080"] }];
    const run = await runStack("dev", { ...dev, values: { ...rest, services: JSON.stringify(list) } });
    assert.deepEqual(await allViolations("dev", run.resources), []);
    const groups = run.resources.filter((r) => r.type === T.ruleGroup).map((r) => [r.name, r.inputs.name, r.inputs.folderUid]).sort();
    assert.deepEqual(groups, [
      ["websocket-dev-chat-alerting-rules", "websocket-chat-connections", "websocket-monitoring"],
      ["websocket-dev-chat-alerting-websocket-chat-slo-tickets-rules", "websocket-chat-slo-tickets", "websocket-monitoring"],
      ["websocket-dev-presence-alerting-rules", "websocket-presence-connections", "websocket-monitoring"],
      ["websocket-dev-presence-alerting-websocket-presence-slo-tickets-rules", "websocket-presence-slo-tickets", "websocket-monitoring"],
    ]);
    const labels = (group: string) => (run.resources.find((r) => r.inputs.name === group)!.inputs.rules as { labels: Record<string, string> }[]).map((r) => r.labels.service);
    assert.deepEqual([...new Set(labels("websocket-presence-connections"))], ["presence"]);
  });

  for (const engine of ["grafana", "prometheus"]) {
    test(`prod, alertEngine ${engine}: one heartbeat for the environment, in a rule object of its own, not one per service`, async () => {
      const raw = prodWithTwoServices();
      const run = await runStack("prod", { ...raw, values: { ...raw.values, alertEngine: engine } });
      const heartbeats = run.resources.flatMap((r) => (alertRulesOf(r.type, reveal(r.inputs)) ?? []).filter((rule) => rule.name === ALERT_NAMES.heartbeat).map(() => r.name));
      assert.deepEqual(heartbeats, [engine === "grafana" ? "websocket-prod-heartbeat-rules" : "websocket-prod-alerting-heartbeat"]);
      assert.deepEqual(await allViolations("prod", run.resources), []);
    });
  }
});

