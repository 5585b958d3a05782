/**
 * One incident, one page, on real processes (alerts/incident.ts): /ws/health failing while every
 * client leaves, at any hour. WebSocketNoActiveConnections fires in Prometheus, long enough to be
 * sent, but Alertmanager holds it back while WebSocketServiceDown fires, and Grafana's held query
 * for it returns nothing whenever it fires; the critical receiver gets one page and one all-clear,
 * both WebSocketServiceDown. (Removing that inhibition makes this test fail with its page.)
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { stretched } from "../../harness/bounds";
import { sleep } from "../../harness/processes";
import { CLIENTS, IncidentStack, SAMPLE_MS } from "../support/incidentStack";

describe("one incident, one page: the service unhealthy with its clients gone", { timeout: 240_000 }, () => {
  let x: IncidentStack;
  before(async () => (x = await IncidentStack.start()));
  after(() => x?.stop());

  test(`health failing and every client gone, back with them: one page and one all-clear, both WebSocketServiceDown, while WebSocketNoActiveConnections fires in Prometheus`, async (t) => {
    const { held } = x.grafanaQueries(ALERT_NAMES.noActiveConnections);
    // While Prometheus has it firing (so its condition held for noConnectionsFor), Grafana's held query must return nothing.
    const whileFiring: number[] = [];
    const sample = async () => {
      const firing = await x.firing();
      if (firing.has(ALERT_NAMES.noActiveConnections)) whileFiring.push((await x.stack.prometheus.query(held)).length);
      return firing.has(ALERT_NAMES.noActiveConnections) && firing.has(ALERT_NAMES.availabilityBudgetBurn);
    };

    const since = Date.now();
    await x.stack.service.setHealthy(false);
    // Closed cleanly: the connections objective sees normal closes, not an incident of its own.
    await x.load.setConnections(0);
    await x.untilPaged("WebSocketNoActiveConnections and the availability page firing in Prometheus", sample);
    // Long enough for Alertmanager to have sent them, were they not held: group_wait and a group interval.
    const n = x.settings.notifications;
    const until = Date.now() + (n.groupWait.seconds + n.groupInterval.seconds) * 1000 + stretched(2000);
    while (Date.now() < until) await Promise.all([sample(), sleep(SAMPLE_MS)]);

    // The clients first: a count that stays at zero after recovery would be news again.
    await x.load.setConnections(CLIENTS);
    const backAt = Date.now();
    await x.stack.service.setHealthy(true);
    const resolved = await x.recovered(backAt);
    t.diagnostic(`resolved notified ${resolved.receivedAt - backAt} ms after health was back`);
    await x.assertOnePage(since);
    assert.ok(whileFiring.length > 0 && whileFiring.every((c) => c === 0), `Grafana's held WebSocketNoActiveConnections query while it fired in Prometheus (series per sample): ${whileFiring.join(" ")}`);
  });
});
