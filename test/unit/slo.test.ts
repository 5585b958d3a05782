/** The objectives' model, windows, recordings and alerts (slo/), as tables, without Prometheus. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { alertDefinitions } from "../../alerts/definitions";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { grafanaHold, inhibitRules } from "../../alerts/incident";
import { ConfigError, validateConfig } from "../../config/validate";
import { slos, sloWindows } from "../../slo/model";
import { recordingRules } from "../../slo/recordingRules";
import { burnTiers } from "../../slo/windows";
import { promDuration } from "../../config/duration";
import { stackRawConfig } from "../support/stacks";

const prod = validateConfig(stackRawConfig("prod"), "prod");
/** prod with the service's upgrades exposed: the handshake objective exists. */
const upgrades = validateConfig(stackRawConfig("prod", { exposesUpgrades: "true", sloHandshakeObjective: "99.5" }), "prod");
const problemsOf = (overrides: Record<string, string>) => {
  try {
    validateConfig(stackRawConfig("prod", overrides), "prod");
    return "";
  } catch (e) {
    return (e as ConfigError).message;
  }
};

describe("burn-rate windows", () => {
  test("30d: the SRE workbook's table 5-8", () => {
    assert.deepEqual(
      burnTiers(30 * 86400).map((t) => [t.severity, t.factor, promDuration(t.longSeconds), promDuration(t.shortSeconds)]),
      [
        ["critical", 14.4, "1h", "5m"],
        ["critical", 6, "6h", "30m"],
        ["warning", 3, "1d", "2h"],
        ["warning", 1, "3d", "6h"],
      ],
    );
  });

  test("another period scales every window and keeps the factors (the same share of the budget per tier)", () => {
    assert.deepEqual(
      burnTiers(7 * 86400).map((t) => [t.factor, promDuration(t.longSeconds), promDuration(t.shortSeconds)]),
      [
        [14.4, "14m", "1m10s"],
        [6, "1h24m", "7m"],
        [3, "5h36m", "28m"],
        [1, "16h48m", "1h24m"],
      ],
    );
    for (const period of [7 * 86400, 12 * 3600])
      for (const t of burnTiers(period)) assert.ok(Math.abs((t.factor * t.longSeconds) / period - (t.factor * burnTiers(30 * 86400).find((r) => r.factor === t.factor)!.longSeconds) / (30 * 86400)) < 0.001);
  });

  for (const [seconds, text] of [[3600, "1h"], [150, "2m30s"], [259200, "3d"], [90061, "1d1h1m1s"], [5, "5s"]] as const)
    test(`promDuration(${seconds}) = ${text}`, () => assert.equal(promDuration(seconds), text));
});

describe("SLO model", () => {
  test("two objectives without exposesUpgrades, with their budgets, labels and windows", () => {
    assert.deepEqual(
      slos(prod).map((s) => [s.name, s.objective, s.budget, s.labels, sloWindows(s)]),
      [
        ["availability", 99.9, 0.001, { slo: "availability", service: "websocket", environment: "prod" }, ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]],
        ["connections", 99.5, 0.005, { slo: "connections", service: "websocket", environment: "prod" }, ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]],
      ],
    );
  });

  test("error ratios: failed probes of all probes; error and timeout closes of all closes, no data without closes", () => {
    const [availability, connections] = slos(prod);
    assert.equal(availability.errorRatio("1h"), '1 - sum(sum_over_time(probe_success{job="websocket-health"}[1h])) / sum(count_over_time(probe_success{job="websocket-health"}[1h]))');
    assert.equal(
      connections.errorRatio("1h"),
      'sum(increase(websocket_disconnections_total{job="websocket", reason=~"error|timeout"}[1h])) / (sum(increase(websocket_disconnections_total{job="websocket"}[1h])) > 0)',
    );
  });

  test("the handshake objective only where the service exposes its upgrades: refused of all upgrade requests, no data without any", () => {
    assert.deepEqual(slos(upgrades).map((s) => [s.name, s.objective, s.budget, s.alertName]), [
      ["availability", 99.9, 0.001, ALERT_NAMES.availabilityBudgetBurn],
      ["connections", 99.5, 0.005, ALERT_NAMES.connectionsBudgetBurn],
      ["handshake", 99.5, 0.005, ALERT_NAMES.handshakeBudgetBurn],
    ]);
    // sloRolloutWindow 0s: every refusal counts.
    const everyRefusal = validateConfig(stackRawConfig("prod", { exposesUpgrades: "true", sloRolloutWindow: "0s" }), "prod");
    assert.equal(
      slos(everyRefusal)[2].errorRatio("5m"),
      'sum(increase(websocket_upgrades_total{job="websocket", outcome!="accepted"}[5m])) / (sum(increase(websocket_upgrades_total{job="websocket"}[5m])) > 0)',
    );
    assert.equal(slos(everyRefusal)[2].stepRecording, undefined);
    // The default 5m: per 1m evaluation step, the refusals of 2m (4 scrapes of 30s) 2m ago halved, none while a process started or drained within 5m.
    const rollout = '(count(time() - process_start_time_seconds{job="websocket"} < 300) > 0 or sum(increase(websocket_disconnections_total{job="websocket", reason="server_shutdown"}[5m])) > 0)';
    const outside = `(sum(increase(websocket_upgrades_total{job="websocket", outcome!="accepted"}[2m] offset 2m)) * 0.5 unless on () ${rollout})`;
    const handshake = slos(upgrades)[2];
    assert.equal(handshake.errorRatio("5m"), `sum_over_time(${outside}[5m:1m]) / (sum(increase(websocket_upgrades_total{job="websocket"}[5m])) > 0)`);
    // Prometheus records the step first and sums it per window: no subquery over days.
    const [step, fiveMinutes] = recordingRules(upgrades, handshake);
    assert.deepEqual([step.record, step.expr], ["slo:sli_error_events_outside_rollouts:increase1m", outside]);
    assert.equal(
      fiveMinutes.expr,
      'sum(sum_over_time(slo:sli_error_events_outside_rollouts:increase1m{slo="handshake", service="websocket", environment="prod"}[5m])) / (sum(increase(websocket_upgrades_total{job="websocket"}[5m])) > 0)',
    );
    // With the outage inhibitor of its page, in its group (alerts/incident.ts).
    assert.deepEqual(alertDefinitions(upgrades).filter((a) => a.slo === "handshake").map((a) => [a.name, a.severity]), [
      [ALERT_NAMES.handshakeBudgetBurn, "critical"],
      [ALERT_NAMES.handshakeBudgetBurn, "warning"],
      [ALERT_NAMES.outage, "none"],
    ]);
    assert.equal(alertDefinitions(prod).find((a) => a.name === ALERT_NAMES.handshakeBudgetBurn), undefined, "exposesUpgrades false: no handshake objective");
  });

  test("an outage holds back the handshake page as it does the availability page; not its ticket", () => {
    assert.deepEqual(inhibitRules(upgrades).map((r) => [r.source[1].value, ...r.target.slice(1).map((m) => m.value)]), [
      [ALERT_NAMES.serviceDown, ALERT_NAMES.noActiveConnections],
      [ALERT_NAMES.outage, ALERT_NAMES.availabilityBudgetBurn, "critical"],
      [ALERT_NAMES.outage, ALERT_NAMES.handshakeBudgetBurn, "critical"],
    ]);
    const [page, ticket] = alertDefinitions(upgrades).filter((a) => a.slo === "handshake");
    const availabilityPage = alertDefinitions(upgrades).find((a) => a.name === ALERT_NAMES.availabilityBudgetBurn)!;
    assert.equal(grafanaHold(upgrades, page), grafanaHold(upgrades, availabilityPage));
    assert.equal(grafanaHold(upgrades, ticket), undefined);
    // One inhibitor in each held page's group, which ends with it in Alertmanager when Prometheus goes silent (silentPrometheus.test.ts).
    const inhibitors = alertDefinitions(upgrades).filter((a) => a.name === ALERT_NAMES.outage);
    assert.deepEqual(inhibitors.map((a) => [a.slo, a.labels.slo]), [["availability", "availability"], ["handshake", "handshake"]]);
    assert.match(inhibitors[1].description(""), /holds back the WebSocketHandshakeBudgetBurn page,/);
  });

  test("recordings: one per window, and the period averaged from the shortest", () => {
    const rules = recordingRules(prod, slos(prod)[0]);
    assert.deepEqual(rules.map((r) => r.record), ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"].map((w) => `slo:sli_error:ratio_rate${w}`));
    assert.equal(
      rules.at(-1)!.expr,
      'sum_over_time(slo:sli_error:ratio_rate5m{slo="availability", service="websocket", environment="prod"}[30d]) / count_over_time(slo:sli_error:ratio_rate5m{slo="availability", service="websocket", environment="prod"}[30d])',
    );
  });

  test("page and ticket: both windows of a tier above its factor, on recordings for Prometheus and raw series for Grafana", () => {
    const [page, ticket] = alertDefinitions(prod).filter((a) => a.slo === "availability");
    const r = (w: string) => `slo:sli_error:ratio_rate${w}{slo="availability", service="websocket", environment="prod"}`;
    assert.equal(page.prometheusQuery, `(${r("1h")} / 0.001 > 14.4 and ${r("5m")} / 0.001 > 14.4) or (${r("6h")} / 0.001 > 6 and ${r("30m")} / 0.001 > 6)`);
    assert.equal(ticket.prometheusQuery, `(${r("1d")} / 0.001 > 3 and ${r("2h")} / 0.001 > 3) or (${r("3d")} / 0.001 > 1 and ${r("6h")} / 0.001 > 1)`);
    assert.ok(page.query.startsWith(`((1 - sum(sum_over_time(probe_success{job="websocket-health"}[1h]))`), page.query);
    assert.deepEqual([page.severity, page.for.text, ticket.severity, ticket.for.text], ["critical", "2m", "warning", "15m"]);
    assert.deepEqual(page.labels, { slo: "availability", service: "websocket", environment: "prod", severity: "critical" });
  });
});

describe("objective config", () => {
  test("objectives strictly between 0 and 100", () => {
    assert.match(problemsOf({ sloAvailabilityObjective: "100" }), /sloAvailabilityObjective = "?100"?: allowed: a percentage strictly between 0 and 100/);
    assert.match(problemsOf({ sloConnectionsObjective: "0" }), /sloConnectionsObjective = "?0"?: allowed: a percentage strictly between 0 and 100/);
    assert.match(problemsOf({ sloConnectionsObjective: "101" }), /sloConnectionsObjective = "101": allowed: a number from 0 to 100/);
    assert.match(problemsOf({ sloHandshakeObjective: "100" }), /sloHandshakeObjective = "?100"?: allowed: a percentage strictly between 0 and 100/);
    assert.match(problemsOf({ sloHandshakeObjective: "-1" }), /sloHandshakeObjective = "-1": allowed: a number from 0 to 100/);
    assert.equal(problemsOf({ sloAvailabilityObjective: "99.95" }), "");
  });

  test("a period whose shortest window would not hold two scrapes", () => {
    // prod scrapes every 30s: 5m x (2h / 30d) = 1s < 60s.
    assert.match(problemsOf({ sloPeriod: "2h" }), /sloPeriod = "2h": allowed: at least 6d with scrapeInterval 30s: the shortest burn window \(5m for 30d, here 1s\) must hold 2 scrapes/);
  });
});
