/**
 * The WebSocket layer's alerts on real processes: two reference instances, each accepting 20
 * connections, real clients. Each alert is driven to a firing notification at the webhook and
 * back to a resolved one: connections piled on one instance (WebSocketInstanceImbalance), near its
 * limit (WebSocketConnectionsNearLimit); upgrades refused at the limit (WebSocketHandshakeFailures);
 * clients dropped without a close frame (WebSocketAbnormalCloses).
 * Stack: test/fixtures/Pulumi.e2e.yaml with every optional signal on, a 10s window, 2s pending periods.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/definitions";
import type { Settings } from "../../config/settings";
import { worstCaseBoundMs } from "../../harness/alertTiming";
import { deadlineMs } from "../../harness/bounds";
import { LoadGenerator, refusedUpgrades } from "../../harness/load";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { WebhookInbox, firesIn, notifies } from "../../harness/webhookInbox";
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

  test("18 connections on one instance, 2 on the other: near its limit and imbalanced; spread evenly: both resolve", async () => {
    const since = Date.now();
    await Promise.all([loads[0].setConnections(18), loads[1].setConnections(2)]);
    await Promise.all([fires(ALERT_NAMES.nearLimit, since), fires(ALERT_NAMES.imbalance, since)]);
    // The dashboard's WebSocket layer row shows the same: each instance's share of its limit, the busiest against the average.
    const panel = async (title: string) => (await stack.prometheus.query(panelQuery(settings, "1m", title).expr)).map((x) => [x.labels.instance, x.value]).sort();
    const [a, b] = stack.referenceServices.map((r) => r.address);
    assert.deepEqual(await panel("Connections of the limit"), [[a, 18 / LIMIT], [b, 2 / LIMIT]].sort());
    assert.deepEqual(await panel("Busiest instance against the average"), [[undefined, 1.8]]);
    const even = Date.now();
    await Promise.all([loads[0].setConnections(10), loads[1].setConnections(10)]);
    await Promise.all([resolves(ALERT_NAMES.nearLimit, even), resolves(ALERT_NAMES.imbalance, even)]);
  });

  test("upgrades refused at the limit: WebSocketHandshakeFailures; no more refusals: it resolves", async () => {
    const full = stack.referenceServices[0].wsUrl;
    await loads[0].setConnections(LIMIT);
    const since = Date.now();
    // A few refused upgrades a second (each answered 503), until the alert arrives.
    const refusing = refusedUpgrades(full);
    try {
      await fires(ALERT_NAMES.handshakeFailures, since);
    } finally {
      await refusing.stop();
    }
    await resolves(ALERT_NAMES.handshakeFailures, Date.now());
    await loads[0].setConnections(10);
  });

  test("clients dropped without a close frame (1006): WebSocketAbnormalCloses; when the window holds no more: it resolves", async () => {
    const since = Date.now();
    loads[1].terminateAll();
    await fires(ALERT_NAMES.abnormalCloses, since);
    await resolves(ALERT_NAMES.abnormalCloses, Date.now());
  });
});
