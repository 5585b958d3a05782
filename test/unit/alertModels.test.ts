/** The pure alert and routing models (rules for Grafana and Prometheus, contact points, policy, hours), without Pulumi. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { alertDefinitions, alertsOf } from "../../alerts/definitions";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { grafanaRuleGroups } from "../../alerts/grafana";
import { alertmanagerWeekdays, contactPoints, notificationPolicy, operationalHours } from "../../alerts/notifications";
import { prometheusRules, type PrometheusRule } from "../../alerts/prometheus";
import { onPlatform } from "../../config/settings";
import { validateConfig } from "../../config/validate";
import { stackRawConfig } from "../support/stacks";
import { alertNamesOf } from "../support/stackRuns";

const dev = validateConfig(stackRawConfig("dev"), "dev");
const prod = onPlatform(validateConfig(stackRawConfig("prod"), "prod"), "kubernetes");

describe("alerts", () => {
  const byName = (s = dev) => new Map(alertsOf(s).map((a) => [a.name, a]));

  test("the alerts, each with summary, description, runbook, severity and pending period; each SLO alert a page and a ticket", () => {
    const defs = alertsOf(dev);
    assert.deepEqual([...new Set(defs.map((a) => a.name))].sort(), alertNamesOf(dev).sort());
    assert.deepEqual(defs.filter((a) => a.slo).map((a) => [a.name, a.severity]), [
      [ALERT_NAMES.availabilityBudgetBurn, "critical"],
      [ALERT_NAMES.availabilityBudgetBurn, "warning"],
      [ALERT_NAMES.connectionsBudgetBurn, "critical"],
      [ALERT_NAMES.connectionsBudgetBurn, "warning"],
    ]);
    for (const a of defs) {
      assert.ok(a.summary && a.description("X").length > 40, a.name);
      assert.equal(a.runbookUrl, `https://github.com/acme/websocket-monitoring/blob/main/docs/runbooks.md#${a.name.toLowerCase()}`);
      assert.ok(a.for.seconds > 0, a.name);
    }
  });

  test("the heartbeat, where heartbeatUrl is set: always firing, severity none, routed only to its own receiver with its own interval", () => {
    const s = validateConfig(stackRawConfig("local"), "local");
    const heartbeat = alertDefinitions(s).find((a) => a.name === ALERT_NAMES.heartbeat)!;
    assert.deepEqual([heartbeat.query, heartbeat.op, heartbeat.threshold, heartbeat.severity, heartbeat.for.text], ["vector(1)", ">", 0, "none", "10s"]);
    const [first] = notificationPolicy(s).routes;
    assert.equal(first.contactPoint, "websocket-local-heartbeat");
    // Flushed every second and repeated just under the interval: a beat on each interval, not on every second one.
    assert.deepEqual(first.timings, { groupWait: "0s", groupInterval: "1s", repeatInterval: "59s500ms" });
    assert.deepEqual(contactPoints(s).map((c) => [c.name, c.kinds]), [["websocket-local-critical", ["webhook"]], ["websocket-local-warning", ["webhook"]], ["websocket-local-heartbeat", ["webhook"]]]);
    assert.equal(alertDefinitions(dev).find((a) => a.name === ALERT_NAMES.heartbeat), undefined, "no heartbeatUrl, no heartbeat");
  });

  test("conditions follow the config", () => {
    const a = byName(prod);
    assert.deepEqual([a.get(ALERT_NAMES.aboveThreshold)!.op, a.get(ALERT_NAMES.aboveThreshold)!.threshold], [">", 10000]);
    assert.deepEqual([a.get(ALERT_NAMES.noActiveConnections)!.op, a.get(ALERT_NAMES.noActiveConnections)!.threshold], ["<", 1]);
    assert.equal(a.get(ALERT_NAMES.unstable)!.threshold, 0.3);
    // The config keys whose ranges the policy pack holds the thresholds to; the others (and the heartbeat's) are fixed.
    assert.deepEqual([...a.values()].filter((d) => !d.slo).map((d) => d.thresholdKey), [undefined, "connectionsMax", "unstableChangeRatio", undefined, "imbalanceFactor", undefined, undefined]);
    assert.equal(
      a.get(ALERT_NAMES.unstable)!.query,
      'abs(sum(websocket_active_connections{job="websocket"}) - sum(websocket_active_connections{job="websocket"} offset 5m)) / clamp_min(sum(websocket_active_connections{job="websocket"} offset 5m), 200)',
    );
    assert.equal(a.get(ALERT_NAMES.aboveThreshold)!.for.text, "10m");
  });

  test("WebSocketServiceDown turns every kind of absence into a firing series, each with its reason", () => {
    const q = byName().get(ALERT_NAMES.serviceDown)!;
    for (const [reason, expr] of [
      ["scrape_failed", '1 - up{job="websocket"}'],
      ["health_failed", '1 - probe_success{job="websocket-health"}'],
      // absent() carries only `job`: the instance says "none", so the description never prints an empty label.
      ["target_missing", 'label_replace(absent(up{job="websocket"}), "instance", "none", "", "")'],
      ["probe_missing", 'label_replace(absent(probe_success{job="websocket-health"}), "instance", "none", "", "")'],
      ["metric_missing", '(up{job="websocket"} > bool 0) unless on (instance) websocket_active_connections{job="websocket"}'],
      ["crash_loop", 'changes(process_start_time_seconds{job="websocket"}[15m]) > bool 2'],
    ])
      assert.ok(q.query.includes(`label_replace(${expr}, "reason", "${reason}", "", "")`), reason);
    assert.deepEqual([q.noDataState, q.execErrState], ["Alerting", "Alerting"]);
  });

  test("descriptions format the value for people: counts humanized, ratios as percentages", () => {
    const a = byName();
    assert.match(a.get(ALERT_NAMES.aboveThreshold)!.description("$value"), /holds \{\{ \$value \| humanize \}\} open/);
    assert.match(a.get(ALERT_NAMES.unstable)!.description("$value"), /changed by \{\{ \$value \| humanizePercentage \}\} within 5m, more than the allowed 50%/);
  });

  test("Grafana rendering: query A, reduce B, threshold C, with explicit intervals and datasource uids", () => {
    const group = grafanaRuleGroups(prod)[0];
    assert.deepEqual([group.name, group.intervalSeconds], ["websocket-connections", 60]);
    const rule = group.rules.find((r) => r.name === ALERT_NAMES.aboveThreshold)!;
    assert.equal(rule.condition, "C");
    assert.deepEqual(rule.labels, { environment: "prod", severity: "warning", service: "websocket" });
    assert.equal(rule.annotations.runbook_url, "https://github.com/acme/websocket-monitoring/blob/main/docs/runbooks.md#websocketconnectionsabovethreshold");
    assert.deepEqual(rule.datas.map((d) => [d.refId, d.datasourceUid]), [["A", "prometheus"], ["B", "__expr__"], ["C", "__expr__"]]);
    for (const { refId, model } of rule.datas) assert.deepEqual([model.refId, model.intervalMs, model.maxDataPoints], [refId, 1000, 43200]);
    const [query, reduce, threshold] = rule.datas.map((d) => d.model);
    assert.ok("expr" in query && "reducer" in reduce && "conditions" in threshold);
    assert.deepEqual([query.expr, query.instant, query.datasource], ['sum(websocket_active_connections{job="websocket"})', true, { type: "prometheus", uid: "prometheus" }]);
    assert.deepEqual([reduce.expression, reduce.reducer], ["A", "last"]);
    assert.deepEqual([threshold.expression, threshold.conditions[0].evaluator], ["B", { params: [10000], type: "gt" }]);
  });

  test("Prometheus rendering: same queries, conditions, pending periods and labels", () => {
    const [first] = prometheusRules(prod).groups;
    const group = { ...first, rules: first.rules as PrometheusRule[] };
    assert.deepEqual([group.name, group.interval], ["websocket-connections", "1m"]);
    assert.deepEqual(group.rules.map((r) => [r.alert, r.for, r.labels.severity]), [
      [ALERT_NAMES.noActiveConnections, "5m", "critical"],
      [ALERT_NAMES.aboveThreshold, "10m", "warning"],
      [ALERT_NAMES.unstable, "2m", "warning"],
      [ALERT_NAMES.serviceDown, "1m", "critical"],
      // The WebSocket layer's imbalance reads the required gauge: always there; prod exposes no optional signal.
      [ALERT_NAMES.imbalance, "15m", "warning"],
      // A restart in place: one evaluation, its window keeps it firing once per restart.
      [ALERT_NAMES.unexpectedRestart, "1m", "warning"],
      [ALERT_NAMES.heartbeat, "1m", "none"],
    ]);
    // Grafana's engine has no inhibition: only Prometheus' rules carry the outage inhibitor (alerts/incident.ts), in the group of the page it holds.
    const availability = prometheusRules(prod).groups.find((g) => g.name === "websocket-slo-availability")!.rules as PrometheusRule[];
    const outage = availability.find((r) => r.alert === ALERT_NAMES.outage)!;
    assert.deepEqual([outage.for, outage.labels.severity, outage.labels.slo], ["1m", "none", "availability"]);
    assert.equal(outage.keep_firing_for, "32m30s", "the longest page short window (30m), two evaluations (1m) and a scrape (30s)");
    assert.deepEqual(group.rules[1].labels, { environment: "prod", severity: "warning", service: "websocket" });
    const sum = 'sum(websocket_active_connections{job="websocket"})';
    assert.deepEqual(group.rules.slice(0, 2).map((r) => r.expr), [`(${sum}) < 1`, `(${sum}) > 10000`]);
    assert.match(group.rules[2].expr, /\) > 0\.3$/);
    assert.match(group.rules[3].expr, /\) > 0$/);
    for (const rule of group.rules) assert.ok(rule.annotations.runbook_url && rule.annotations.summary && rule.annotations.description);
  });
});

describe("notifications", () => {
  test("one contact point per severity with the configured integrations", () => {
    const [critical, warning] = contactPoints(prod);
    assert.equal(critical.name, "websocket-prod-critical");
    assert.deepEqual(critical.kinds, ["slack", "email", "webhook"]);
    assert.ok(critical.slack && critical.email && critical.webhook);
    assert.deepEqual(warning.kinds, ["slack"]);
    assert.equal(warning.email, undefined);
    assert.equal(String(critical.slack!.url), "[secret]");
  });

  test("no-connections alerts notify only in operational hours; severities route to their contact points", () => {
    const policy = notificationPolicy(prod);
    assert.equal(policy.contactPoint, "websocket-prod-warning");
    assert.deepEqual(policy.routes.map((r) => [r.contactPoint, r.matchers.map((m) => `${m.label}=${m.value}`).join(","), r.activeTimings ?? []]), [
      // The heartbeat first, to its own contact point only.
      ["websocket-prod-heartbeat", "environment=prod,alertname=WebSocketMonitoringHeartbeat", []],
      ["websocket-prod-critical", "environment=prod,alertname=WebSocketNoActiveConnections", ["websocket-prod-operational-hours"]],
      ["websocket-prod-critical", "environment=prod,severity=critical", []],
      ["websocket-prod-warning", "environment=prod,severity=warning", []],
    ]);
    // Config's "monday:sunday": Alertmanager and Grafana count from Sunday and refuse that range.
    assert.deepEqual(operationalHours(prod), { name: "websocket-prod-operational-hours", weekdays: ["monday:saturday", "sunday"], times: [{ start: "06:00", end: "23:00" }], location: "Europe/Berlin" });
  });

  test("weekday ranges ending on Sunday are split for Alertmanager's Sunday-first weeks; others stay", () => {
    assert.deepEqual(alertmanagerWeekdays(["monday:friday", "saturday:sunday", "sunday", "tuesday:sunday"]), ["monday:friday", "saturday", "sunday", "sunday", "tuesday:saturday", "sunday"]);
  });
});
