/**
 * The WebSocket layer's alerts on real processes: two reference instances, each accepting 20
 * connections, real clients. Each alert is driven to a firing notification at the webhook and
 * back to a resolved one: connections piled on one instance (WebSocketInstanceImbalance), near its
 * limit (WebSocketConnectionsNearLimit); the upgrade probe refused by the instance at its limit
 * (WebSocketServiceDown, reason upgrade_failed); upgrades refused at the limit
 * (WebSocketHandshakeFailures); clients dropped without a close frame (WebSocketAbnormalCloses).
 * Stack: test/fixtures/Pulumi.e2e.yaml with every optional signal on (the upgrade probe too, as on
 * every local stack: a client of each instance every second), a 10s window, 2s pending periods.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import type { Settings } from "../../config/settings";
import { worstCaseBoundMs } from "../../harness/alertTiming";
import { deadlineMs } from "../../harness/bounds";
import { LoadGenerator, refusedUpgrades } from "../../harness/load";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { pollUntil } from "../../harness/poll";
import { WebhookInbox, firesIn, notifies, type AlertStatus, type Notification } from "../../harness/webhookInbox";
import { panelQuery } from "../support/dashboardQueries";

const PATH = "/alerts";
const LIMIT = 20;
const WINDOW_SECONDS = 10;

describe("the WebSocket layer on real processes", { timeout: 240_000 }, () => {
  let inbox: WebhookInbox;
  let stack: MonitoringStack;
  let settings: Settings;
  let loads: [LoadGenerator, LoadGenerator];
  let deadline: number;

  before(async () => {
    inbox = await WebhookInbox.start();
    stack = await startMonitoringStack({
      instances: { count: 2, maxConnections: LIMIT },
      overrides: {
        exposesUpgrades: "true",
        exposesCloseCodes: "true",
        exposesConnectionLimit: "true",
        layerWindow: `${WINDOW_SECONDS}s`,
        handshakeFailuresFor: "2s",
        nearLimitFor: "2s",
        imbalanceFor: "2s",
        abnormalClosesFor: "2s",
        imbalanceMinConnections: "10",
      },
      resendDelay: "1s",
      alertmanagers: [{ overrides: { groupInterval: "5s" }, secrets: { webhookUrl: inbox.url(PATH) } }],
    });
    settings = stack.alertmanagers[0].settings;
    loads = [new LoadGenerator(stack.referenceServices[0].wsUrl), new LoadGenerator(stack.referenceServices[1].wsUrl)];
    // A share over the window reaches its threshold within it, then the pending period and the notification's waits.
    deadline = deadlineMs(worstCaseBoundMs(settings, WINDOW_SECONDS + 2, settings.notifications.groupInterval.seconds));
  });

  after(async () => {
    for (const load of loads ?? []) load.terminateAll();
    await stack?.stop();
    await inbox?.close();
  });

  const fires = (name: string, since: number) => inbox.waitFor(PATH, firesIn(name), { since, timeoutMs: deadline });
  const resolves = (name: string, since: number) => inbox.waitFor(PATH, notifies(name, "resolved"), { since, timeoutMs: deadline });
  /** WebSocketServiceDown for `reason` of one instance, notified with `status` (one alert of its group, which may hold others). */
  const serviceDown = (status: AlertStatus, reason: string, instance: string, since: number) =>
    inbox.waitFor(PATH, (n: Notification) => n.alerts.some((a) => a.status === status && a.labels.alertname === ALERT_NAMES.serviceDown && a.labels.reason === reason && a.labels.instance === instance), { since, timeoutMs: deadline });
  /**
   * An instance filled to its limit. The upgrade probe is a client too: an upgrade that comes while
   * its connection is open (a few ms a second) may find the last place taken and is refused; it is
   * tried again, a bounded number of times.
   */
  async function fill(load: LoadGenerator): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await load.setConnections(LIMIT);
      } catch (err) {
        if (attempt === 3 || !/503/.test((err as Error).message)) throw new Error(`filling an instance to its limit of ${LIMIT}, attempt ${attempt}: ${(err as Error).message}`);
      }
    }
  }

  test("18 connections on one instance, 2 on the other: near its limit and imbalanced; spread evenly: both resolve", async () => {
    const since = Date.now();
    await Promise.all([loads[0].setConnections(18), loads[1].setConnections(2)]);
    await Promise.all([fires(ALERT_NAMES.nearLimit, since), fires(ALERT_NAMES.imbalance, since)]);
    // The dashboard's WebSocket layer row shows the same: each instance's share of its limit, the busiest against the average.
    // Polled: a scrape that falls within the upgrade probe's connection (a few ms a second) counts it too.
    const panel = (title: string, expected: unknown[]) =>
      pollUntil(`panel '${title}' showing ${JSON.stringify(expected)}`, async () => (await stack.prometheus.query(panelQuery(settings, "1m", title).expr)).map((x) => [x.labels.instance, x.value]).sort(), (v) => JSON.stringify(v) === JSON.stringify(expected), { timeoutMs: deadlineMs(2000) });
    const [a, b] = stack.referenceServices.map((r) => r.address);
    await panel("Connections of the limit", [[a, 18 / LIMIT], [b, 2 / LIMIT]].sort());
    await panel("Busiest instance against the average", [[undefined, 1.8]]);
    const even = Date.now();
    await Promise.all([loads[0].setConnections(10), loads[1].setConnections(10)]);
    await Promise.all([resolves(ALERT_NAMES.nearLimit, even), resolves(ALERT_NAMES.imbalance, even)]);
  });

  test("an upgrade refused by a failing probe target: one instance held at its limit, WebSocketServiceDown with reason upgrade_failed for it; its clients gone: resolved", async () => {
    const [full, other] = stack.referenceServices.map((r) => r.address);
    const since = Date.now();
    await fill(loads[0]);
    const fired = await serviceDown("firing", "upgrade_failed", full, since);
    // That instance only: the other accepts the probe's upgrade; both still answer /ws/health.
    const down = fired.alerts.filter((a) => a.status === "firing" && a.labels.alertname === ALERT_NAMES.serviceDown).map((a) => `${a.labels.reason} ${a.labels.instance}`);
    assert.ok(!down.includes(`upgrade_failed ${other}`) && !down.some((d) => d.startsWith("health_failed")), down.join(", "));
    const left = Date.now();
    await loads[0].setConnections(10);
    await serviceDown("resolved", "upgrade_failed", full, left);
    // The probe's refused upgrades are refusals too: WebSocketHandshakeFailures fired with it. Resolved as well before the next test waits for it to fire.
    if (inbox.at(PATH).some((n) => n.receivedAt >= since && firesIn(ALERT_NAMES.handshakeFailures)(n))) await resolves(ALERT_NAMES.handshakeFailures, since);
  });

  test("upgrades refused at the limit: WebSocketHandshakeFailures; below the limit again: it resolves", async () => {
    const full = stack.referenceServices[0].wsUrl;
    await fill(loads[0]);
    const since = Date.now();
    // A few refused upgrades a second (each answered 503), until the alert arrives.
    const refusing = refusedUpgrades(full);
    try {
      await fires(ALERT_NAMES.handshakeFailures, since);
    } finally {
      await refusing.stop();
    }
    // The upgrade probe is refused as long as the instance is full: it resolves once there is room again.
    const room = Date.now();
    await loads[0].setConnections(10);
    await resolves(ALERT_NAMES.handshakeFailures, room);
  });

  test("clients dropped without a close frame (1006): WebSocketAbnormalCloses; when the window holds no more: it resolves", async () => {
    const since = Date.now();
    loads[1].terminateAll();
    await fires(ALERT_NAMES.abnormalCloses, since);
    await resolves(ALERT_NAMES.abnormalCloses, Date.now());
  });
});
