/**
 * With `services`, which service an alert is about is in its summary (a push title shows nothing
 * else), and the environment's heartbeat is no service's; a stack's one service keeps its texts
 * (the golden files hold them).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { alertDefinitions, environmentHeartbeat } from "../../alerts/definitions";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { alertmanagerConfigObject } from "../../alerts/kubernetes";
import { validateServices } from "../../config/validate";
import { FIXTURES_DIR, servicesFromStackFile, settingsFromStackFile } from "../../render/stackSettings";
import { listedServices, stackRawConfig } from "../support/stacks";

/** The two-service fixture with every signal of the WebSocket layer and a heartbeat. */
const everySignal = { exposesUpgrades: "true", exposesConnectionLimit: "true", exposesCloseCodes: "true" };
const all = servicesFromStackFile("services", everySignal, FIXTURES_DIR, { heartbeatUrl: "http://127.0.0.1:9099/heartbeat" });
const presence = all[1];

describe("which service: the summaries", () => {
  test("every alert of a listed service that reaches people names it in its summary", () => {
    const summaries = Object.fromEntries(alertDefinitions(presence).filter((a) => a.severity !== "none").map((a) => [`${a.name} ${a.severity}`, a.summary]));
    assert.deepEqual(summaries, {
      [`${ALERT_NAMES.noActiveConnections} critical`]: "No active WebSocket connections to presence in services",
      [`${ALERT_NAMES.aboveThreshold} warning`]: "WebSocket connections to presence above 5000 in services",
      [`${ALERT_NAMES.unstable} warning`]: "WebSocket connection count of presence unstable in services",
      [`${ALERT_NAMES.serviceDown} critical`]: "WebSocket service presence down or not monitored in services",
      [`${ALERT_NAMES.handshakeFailures} warning`]: "WebSocket upgrades to presence refused in services",
      [`${ALERT_NAMES.nearLimit} warning`]: "WebSocket instance of presence near its connection limit in services",
      [`${ALERT_NAMES.imbalance} warning`]: "WebSocket connections of presence unevenly spread over the instances in services",
      [`${ALERT_NAMES.abnormalCloses} warning`]: "Abnormal WebSocket closes of presence in services",
      [`${ALERT_NAMES.unexpectedRestart} warning`]: "WebSocket process of presence restarted unexpectedly in services",
      [`${ALERT_NAMES.availabilityBudgetBurn} critical`]: "Availability objective (99.5%) of presence in services: error budget burning fast",
      [`${ALERT_NAMES.availabilityBudgetBurn} warning`]: "Availability objective (99.5%) of presence in services: error budget burning steadily",
      [`${ALERT_NAMES.connectionsBudgetBurn} critical`]: "Connections objective (99.5%) of presence in services: error budget burning fast",
      [`${ALERT_NAMES.connectionsBudgetBurn} warning`]: "Connections objective (99.5%) of presence in services: error budget burning steadily",
      [`${ALERT_NAMES.handshakeBudgetBurn} critical`]: "Handshake objective (99.9%) of presence in services: error budget burning fast",
      [`${ALERT_NAMES.handshakeBudgetBurn} warning`]: "Handshake objective (99.9%) of presence in services: error budget burning steadily",
    });
  });

  test("a stack's one service keeps its summaries: they name the environment only", () => {
    const one = settingsFromStackFile("rules", everySignal, FIXTURES_DIR);
    const down = alertDefinitions(one).find((a) => a.name === ALERT_NAMES.serviceDown)!;
    assert.equal(down.summary, "WebSocket service down or not monitored in rules");
  });
});

describe("which service: the environment's heartbeat is no service's", () => {
  test("its labels are the environment's and its severity, with no service", () => {
    assert.deepEqual(environmentHeartbeat(all)?.labels, { environment: "services", severity: "none" });
  });

  test("Kubernetes: the AlertmanagerConfig's top route lets it in, and still no other team's alert without a service", () => {
    const two = validateServices(stackRawConfig("prod", { ...listedServices("prod", ["chat", "presence"]), alertEngine: "prometheus", operationalTimezone: "UTC", smtpHost: "smtp.example.com:587" }), "prod");
    const matchers = (alertmanagerConfigObject(two).spec as { route: { matchers: { name: string; value: string; matchType: string }[] } }).route.matchers;
    // As Alertmanager matches: a regex anchored at both ends, a missing label as the empty string.
    const routed = (labels: Record<string, string>) =>
      matchers.every((m) => (m.matchType === "=~" ? new RegExp(`^(?:${m.value})$`).test(labels[m.name] ?? "") : (labels[m.name] ?? "") === m.value));
    const heartbeat = environmentHeartbeat(two)!;
    assert.ok(routed({ ...heartbeat.labels, alertname: heartbeat.name }), JSON.stringify(matchers));
    assert.ok(routed({ alertname: ALERT_NAMES.serviceDown, environment: "prod", service: "presence", severity: "critical" }));
    assert.ok(!routed({ alertname: "SomeoneElsesAlert", environment: "prod", severity: "critical" }), "another team's alert without a service");
    assert.ok(!routed({ alertname: ALERT_NAMES.serviceDown, environment: "prod", service: "billing", severity: "critical" }), "a service the stack does not watch");
    assert.ok(!routed({ alertname: ALERT_NAMES.heartbeat, environment: "staging" }), "another environment's heartbeat");
  });
});
