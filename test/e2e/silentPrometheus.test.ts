/**
 * A silent Prometheus must not turn a held-back alert into a page (alerts/incident.ts). After a
 * crash loop, whose WebSocketServiceDown (reason crash_loop) keeps firing and holds back
 * WebSocketNoActiveConnections of the clients that left, Prometheus is killed. Alertmanager keeps
 * each alert until the end Prometheus last gave it: an alert sent one evaluation later than its
 * inhibitor outlives it, unheld, and pages. So the held alert is made to fire an odd number of
 * evaluations after its inhibitor (which, were each re-sent every other evaluation, would put their
 * sends out of step), and Prometheus is killed just after it was sent: nothing may be notified.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { prometheusResendDelay } from "../../alerts/alertmanager";
import type { Settings } from "../../config/settings";
import { EVENT_TIMEOUT_MS, fetchWithin, stretched } from "../../harness/bounds";
import { LoadGenerator } from "../../harness/load";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { pollUntil } from "../../harness/poll";
import { sleep } from "../../harness/processes";
import { FIXTURES_DIR, settingsFromStackFile } from "../../render/stackSettings";
import { WebhookInbox } from "../../harness/webhookInbox";

const PATH = "/alerts";
/** Operational hours around the clock: WebSocketNoActiveConnections would be notified at any hour. */
const ALWAYS = { operationalDays: '["monday:sunday"]', operationalStart: "00:00", operationalEnd: "24:00" };
/** Longer than a restart takes (clients reconnected): only the clients that leave fire it, as with the local demo's. */
const STACK = { ...ALWAYS, noConnectionsFor: "10s" };

interface AmAlert {
  labels: Record<string, string>;
  endsAt: string;
  status: { state: string };
}

describe("a silent Prometheus releases no held-back alert", { timeout: 240_000 }, () => {
  let inbox: WebhookInbox;
  let stack: MonitoringStack;
  let s: Settings;
  const loads: LoadGenerator[] = [];

  before(async () => {
    inbox = await WebhookInbox.start();
    // Prometheus re-sends as the stack's own does (local, docker).
    const resendDelay = prometheusResendDelay(settingsFromStackFile("e2e", STACK, FIXTURES_DIR)).text;
    stack = await startMonitoringStack({ resendDelay, overrides: STACK, alertmanagers: [{ overrides: STACK, secrets: { webhookUrl: inbox.url(PATH) } }] });
    s = stack.alertmanagers[0].settings;
  });

  after(async () => {
    for (const load of loads) load.terminateAll();
    await stack?.stop();
    await inbox?.close();
  });

  const connect = async () => {
    const load = new LoadGenerator(stack.service.wsUrl);
    loads.push(load);
    await load.setConnections(3);
    return load;
  };
  const amAlerts = async () => (await (await fetchWithin(`${stack.alertmanagers[0].url}/api/v2/alerts`)).json()) as AmAlert[];
  const named = (alerts: AmAlert[], name: string, reason?: string) => alerts.filter((a) => a.labels.alertname === name && (reason === undefined || a.labels.reason === reason));
  const evaluation = () => s.alerts.evaluationInterval.seconds * 1000;
  /** When Prometheus' rule went pending: its evaluations, the held alert's among them, are `evaluation()` apart. */
  const activeAt = async (name: string, reason?: string) => {
    const found = (await stack.prometheus.alerts()).filter((a) => a.labels.alertname === name && (reason === undefined || a.labels.reason === reason) && a.state === "firing");
    return found.length === 1 ? Date.parse(found[0].activeAt) : undefined;
  };

  test("after a crash loop, Prometheus killed just after it sent WebSocketNoActiveConnections (held back): it is never notified", async () => {
    const since = Date.now();
    await connect();
    // A crash loop: three restarts, each seen by the scrapes (a start time of its own), the clients back after each.
    for (let restarts = 1; restarts <= 3; restarts++) {
      await stack.service.process.stop("SIGKILL");
      await stack.restartService();
      await connect();
      const changes = `changes(process_start_time_seconds{job="${s.scrape.jobName}"}[15m])`;
      await pollUntil(`restart ${restarts} scraped`, () => stack.prometheus.query(changes), (x) => x[0]?.value === restarts, { timeoutMs: EVENT_TIMEOUT_MS, intervalMs: 250 });
    }
    const inhibitorSince = (await pollUntil("WebSocketServiceDown firing with reason crash_loop", () => activeAt(ALERT_NAMES.serviceDown, "crash_loop"), (x) => x !== undefined, { timeoutMs: EVENT_TIMEOUT_MS })).value!;

    // The clients leave; again until the held alert went pending an odd number of evaluations after its inhibitor.
    let heldSince = 0;
    for (let attempt = 1; ; attempt++) {
      loads.splice(0).forEach((l) => l.terminateAll());
      heldSince = (await pollUntil("WebSocketNoActiveConnections firing", () => activeAt(ALERT_NAMES.noActiveConnections), (x) => x !== undefined, { timeoutMs: EVENT_TIMEOUT_MS })).value!;
      if (Math.round((heldSince - inhibitorSince) / evaluation()) % 2 === 1) break;
      assert.ok(attempt < 8, "the held alert went pending an even number of evaluations after its inhibitor 8 times");
      await connect();
      await pollUntil("WebSocketNoActiveConnections resolved", () => activeAt(ALERT_NAMES.noActiveConnections), (x) => x === undefined, { timeoutMs: EVENT_TIMEOUT_MS });
    }
    const held = await pollUntil("WebSocketNoActiveConnections held back by Alertmanager", amAlerts, (all) => named(all, ALERT_NAMES.noActiveConnections).some((a) => a.status.state === "suppressed"), { timeoutMs: EVENT_TIMEOUT_MS });

    // Killed just after the held alert was sent again (its end moved on): the moment it is kept longest against its inhibitor.
    const endOf = (all: AmAlert[], name: string, reason?: string) => Math.max(0, ...named(all, name, reason).map((a) => Date.parse(a.endsAt)));
    const sentAgain = (all: AmAlert[]) => endOf(all, ALERT_NAMES.noActiveConnections) > endOf(held.value, ALERT_NAMES.noActiveConnections);
    const last = await pollUntil("WebSocketNoActiveConnections sent again", amAlerts, sentAgain, { timeoutMs: EVENT_TIMEOUT_MS, intervalMs: 100 });
    await stack.faults.prometheus.stop("SIGKILL");
    const heldEnd = endOf(last.value, ALERT_NAMES.noActiveConnections);

    // Both ended in Alertmanager, and a group interval more: anything notified about the held alert has arrived.
    const settled = heldEnd + s.notifications.groupInterval.seconds * 1000 + stretched(3_000);
    await sleep(Math.max(0, settled - Date.now()));
    const inhibitorEnd = endOf(last.value, ALERT_NAMES.serviceDown, "crash_loop");
    const pages = inbox.at(PATH).filter((n) => n.receivedAt >= since && n.alerts.some((a) => a.labels.alertname === ALERT_NAMES.noActiveConnections));
    assert.deepEqual(pages, [], `held alert ending ${heldEnd - inhibitorEnd} ms after its inhibitor in Alertmanager, notified: ${inbox.summary()}`);
  });
});
