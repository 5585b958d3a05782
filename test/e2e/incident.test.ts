/**
 * One incident, one page, on real processes (alerts/incident.ts): the service killed while three
 * clients are connected. WebSocketServiceDown pages; the availability objective's page fires in
 * Prometheus too, during the outage and after it, but Alertmanager holds it back; the critical
 * receiver gets exactly one firing notification and, after recovery, one resolved. Grafana's rules
 * (which carry the hold in their queries) are sent to the same Prometheus all along: the page's
 * condition must never hold. (An unhealthy service whose clients left: incidentUnhealthy.test.ts.)
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { LoadGenerator } from "../../harness/load";
import { CLIENTS, IncidentStack } from "../support/incidentStack";

describe("one incident, one page: the service killed", { timeout: 240_000 }, () => {
  let x: IncidentStack;
  before(async () => (x = await IncidentStack.start()));
  after(() => x?.stop());

  test(`killed with ${CLIENTS} clients, back with them: one firing and one resolved notification at the critical receiver, both WebSocketServiceDown`, async (t) => {
    // Grafana's queries at each poll: how many series the held one and the one without the hold return.
    const samples: [number, number][] = [];
    const { held, unheld } = x.grafanaQueries(ALERT_NAMES.availabilityBudgetBurn);
    const sampleGrafana = async () => samples.push([(await x.stack.prometheus.query(held)).length, (await x.stack.prometheus.query(unheld)).length]);

    const since = Date.now();
    await x.stack.service.process.stop("SIGKILL");
    x.load.terminateAll();
    // The page fires in Prometheus (the rules are unchanged): without the inhibition it would be sent.
    await x.untilPaged("WebSocketAvailabilityBudgetBurn (critical) firing in Prometheus", async () => (await sampleGrafana(), (await x.firing()).has(ALERT_NAMES.availabilityBudgetBurn)));

    const backAt = Date.now();
    await x.stack.restartService();
    x.load = new LoadGenerator(x.stack.service.wsUrl);
    await x.load.setConnections(CLIENTS);
    // The aftermath: the page keeps firing in Prometheus until its short windows are clear.
    const resolved = await x.recovered(backAt, sampleGrafana);
    t.diagnostic(`resolved notified ${resolved.receivedAt - backAt} ms after the service was back`);
    await x.assertOnePage(since);
    const text = samples.map(([h, u]) => `${h}/${u}`).join(" ");
    assert.ok(samples.every(([h]) => h === 0), `Grafana's page query returned series although held (held/unheld per sample): ${text}`);
    assert.ok(samples.some(([, u]) => u > 0), `without the hold Grafana's page query never held either, so the hold was not tested: ${text}`);
  });
});
