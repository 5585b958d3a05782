/** Who evaluates and routes the alerts, on Pulumi's mock engine: alertEngine prometheus off local, grafanaRouting, uidSuffix. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { alertsOf } from "../../alerts/definitions";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { notificationMessage } from "../../alerts/messages";
import { validateConfig } from "../../config/validate";
import { isSecretWire, ofType, plainOccurrences, reveal, runStack } from "../support/mockStack";
import { GRAFANA_ALERTING, T, one, run, typesOf } from "../support/stackRuns";
import { TEST_SECRETS, stackRawConfig } from "../support/stacks";

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

  test("kubernetes: PrometheusRule, AlertmanagerConfig selecting only this stack's alerts, receivers' URLs and SMTP password only in a Secret", async () => {
    const smtpPassword = "smtp-test-password";
    const raw = stackRawConfig("prod", { alertEngine: "prometheus", operationalTimezone: "UTC", smtpHost: "smtp.example.com:587", smtpUser: "alerts", smtpPassword });
    const withSecret = { ...raw, secretKeys: new Set([...raw.secretKeys, "smtpPassword"]) };
    const r = await runStack("prod", withSecret);
    assert.deepEqual(GRAFANA_ALERTING.filter((t) => typesOf(r).has(t)), []);
    const rule = one(r, T.customResource("PrometheusRule")).inputs as { spec: { groups: { rules: { alert?: string; labels: Record<string, string> }[] }[] } };
    const rules = rule.spec.groups.flatMap((g) => g.rules);
    assert.deepEqual([...new Set(rules.flatMap((x) => x.alert ?? []))].sort(), [...new Set(alertsOf(validateConfig(withSecret, "prod")).map((a) => a.name))].sort());
    assert.ok(rules.every((x) => x.labels.namespace === "monitoring"), "the operator routes only alerts labelled with the AlertmanagerConfig's namespace");
    assert.ok(rules.every((x) => x.labels.service_namespace === "realtime"), "the service's own namespace stays in the notification");
    const config = one(r, T.customResource("AlertmanagerConfig", "v1alpha1")).inputs as { spec: Record<string, any> };
    assert.deepEqual(config.spec.route.matchers, [
      { name: "service", value: "websocket", matchType: "=" },
      { name: "environment", value: "prod", matchType: "=" },
    ]);
    const critical = config.spec.receivers.find((x: { name: string }) => x.name === "websocket-prod-critical");
    const message = notificationMessage(validateConfig(withSecret, "prod"));
    const secretKey = (key: string) => ({ name: "websocket-prod-alert-receivers", key });
    assert.deepEqual(critical.slackConfigs[0].apiURL, secretKey("slack-webhook-url"));
    assert.deepEqual(critical.webhookConfigs[0].urlSecret, secretKey("webhook-url"));
    assert.deepEqual(critical.emailConfigs[0], {
      to: "websocket-oncall@example.com",
      smarthost: "smtp.example.com:587",
      from: "grafana@localhost",
      authUsername: "alerts",
      authPassword: secretKey("smtp-password"),
      // The message of alerts/messages.ts, inline (test/unit/messages.test.ts runs it).
      headers: [{ key: "Subject", value: message.title }],
      html: message.html,
      text: message.text,
      sendResolved: true,
    });
    // The outage inhibitor's route to the receiver that tells no one (alerts/incident.ts) and the heartbeat's at any time; the one with active time intervals, the operational hours'.
    const routes: [string, string[] | undefined][] = config.spec.route.routes.map((x: { receiver: string; activeTimeIntervals?: string[] }) => [x.receiver, x.activeTimeIntervals]);
    assert.deepEqual(routes[0], ["websocket-prod-silent", undefined]);
    assert.deepEqual(routes.find(([receiver]) => receiver === "websocket-prod-heartbeat"), ["websocket-prod-heartbeat", undefined]);
    assert.deepEqual(routes.filter(([, intervals]) => intervals), [["websocket-prod-critical", ["websocket-prod-operational-hours"]]]);
    assert.deepEqual(config.spec.inhibitRules.map((r: { targetMatch: { value: string }[] }) => r.targetMatch.map((m) => m.value)), [
      ["prod", ALERT_NAMES.noActiveConnections],
      ["prod", ALERT_NAMES.availabilityBudgetBurn, "critical"],
    ]);
    const secret = one(r, T.k8sSecret, "-alerting-receivers").inputs as { stringData: unknown };
    assert.ok(isSecretWire(secret.stringData), "the receivers' URLs and the SMTP password must be Pulumi secrets");
    assert.deepEqual(reveal(secret.stringData), {
      "slack-webhook-url": TEST_SECRETS.prod.slackWebhookUrl,
      "webhook-url": TEST_SECRETS.prod.webhookUrl,
      "heartbeat-url": TEST_SECRETS.prod.heartbeatUrl,
      "smtp-password": smtpPassword,
    });
    for (const secretValue of [...Object.values(TEST_SECRETS.prod), smtpPassword])
      assert.deepEqual(r.resources.flatMap((x) => plainOccurrences(x.inputs, secretValue).map((p) => `${x.name}: ${p}`)), []);
  });
});

describe("Grafana routing", () => {
  type Rule = { name: string; labels: Record<string, string>; notificationSettings?: Record<string, any> };

  test("prod (an existing Grafana) routes per rule by default: the organisation's policy tree is not touched", async () => {
    const r = await run("prod");
    assert.equal(ofType(r, T.policy).length, 0);
    const rules = one(r, T.ruleGroup, "-alerting-rules").inputs.rules as Rule[];
    for (const rule of rules) {
      const settings = rule.notificationSettings!;
      // The heartbeat (severity none) to its own contact point.
      assert.equal(settings.contactPoint, `websocket-prod-${rule.labels.severity === "none" ? "heartbeat" : rule.labels.severity}`, rule.name);
      assert.deepEqual(settings.groupBies, ["alertname", "grafana_folder", "environment"]);
      assert.deepEqual(settings.activeTimings, rule.name === ALERT_NAMES.noActiveConnections ? ["websocket-prod-operational-hours"] : undefined);
    }
  });

  test("dev (its own Grafana) owns the policy tree, and its rules carry no routing of their own", async () => {
    const r = await run("dev");
    assert.equal(ofType(r, T.policy).length, 1);
    assert.ok((one(r, T.ruleGroup, "-alerting-rules").inputs.rules as Rule[]).every((x) => x.notificationSettings === undefined));
  });

  test("uidSuffix: folder, dashboard, rule links and URLs of one environment among several", async () => {
    const r = await runStack("prod", stackRawConfig("prod", { uidSuffix: "eu1" }));
    assert.equal(one(r, T.folder).inputs.uid, "websocket-monitoring-eu1");
    assert.equal(JSON.parse(one(r, T.dashboard).inputs.configJson as string).uid, "websocket-service-monitoring-eu1");
    // Every rule that links a panel (not the severity-none heartbeat, which has none) links this environment's dashboard.
    const rules = one(r, T.ruleGroup, "-alerting-rules").inputs.rules as { labels: Record<string, string>; annotations: Record<string, string> }[];
    assert.ok(rules.filter((x) => x.labels.severity !== "none").every((x) => x.annotations.__dashboardUid__ === "websocket-service-monitoring-eu1"));
    assert.match(r.outputs.folderUrl as string, /\/dashboards\/f\/websocket-monitoring-eu1$/);
  });
});

