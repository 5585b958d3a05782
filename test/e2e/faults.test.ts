/**
 * The alert path under its own faults, on real processes (stack test/fixtures/Pulumi.e2e.yaml,
 * Prometheus re-sending firing alerts every 1s): a dead blackbox exporter, a receiver that is
 * down when the page is sent, an Alertmanager restarted while the alert fires, and a Prometheus
 * restarted while the alert is pending. (Prometheus killed for good: heartbeat.test.ts.) Each test
 * starts and ends with a healthy, quiet stack; the service is restarted at most twice, as a third
 * restart within 15m is (rightly) a crash loop. The waits are on events (a failed delivery, the
 * restarted Alertmanager holding the alert), not on fixed sleeps.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/definitions";
import type { Settings } from "../../config/settings";
import { worstCaseBoundMs } from "../../harness/alertTiming";
import { failedNotifications } from "../../harness/alertmanagerMetrics";
import { deadlineMs, stretched } from "../../harness/bounds";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { pollUntil } from "../../harness/poll";
import { sleep } from "../../harness/processes";
import { WebhookInbox, firesIn, notifies, type Notification } from "../../harness/webhookInbox";

const ALERTS = "/alerts";
/**
 * Longer than the fixture's 1s: a flush's deliveries must finish within group_interval, and a
 * delivery that a busy machine answers after that is retried: a duplicate that no real stack,
 * with minutes between flushes, would send.
 */
const GROUP_INTERVAL = "5s";

describe("the alert path under its own faults", { timeout: 300_000 }, () => {
  let inbox: WebhookInbox;
  let stack: MonitoringStack;
  let settings: Settings;
  let deadline: number;

  before(async () => {
    inbox = await WebhookInbox.start();
    stack = await startMonitoringStack({
      resendDelay: "1s",
      alertmanagers: [{ overrides: { groupInterval: GROUP_INTERVAL }, secrets: { webhookUrl: inbox.url(ALERTS) } }],
    });
    settings = stack.alertmanagers[0].settings;
    deadline = deadlineMs(worstCaseBoundMs(settings, settings.alerts.serviceDownFor.seconds, settings.notifications.groupInterval.seconds));
  });

  after(async () => {
    await stack?.stop();
    await inbox?.close();
  });

  /**
   * Each test starts quiet: WebSocketServiceDown neither pending nor firing, and its group's last
   * notification, if any, the resolved one. (A busy machine can make it fire at the stack's start;
   * fired again before that resolved one went out, it would be no news to Alertmanager.)
   */
  beforeEach(async () => {
    const active = async () => (await stack.prometheus.alerts()).filter((a) => a.labels.alertname === ALERT_NAMES.serviceDown).length;
    await pollUntil("WebSocketServiceDown neither pending nor firing", active, (n) => n === 0, { timeoutMs: deadline });
    const last = async () => inbox.at(ALERTS).filter((n) => n.alerts.some((a) => a.labels.alertname === ALERT_NAMES.serviceDown)).at(-1)?.status ?? "none";
    await pollUntil("the last WebSocketServiceDown notification a resolved one", last, (status) => status !== "firing", { timeoutMs: deadline });
  });

  /** A notification of the WebSocketServiceDown group: firing (some alert of it fires), or all resolved. */
  const serviceDown = (status: "firing" | "resolved") => (status === "firing" ? firesIn(ALERT_NAMES.serviceDown) : notifies(ALERT_NAMES.serviceDown, "resolved"));
  const firingSince = (since: number) => inbox.at(ALERTS).filter((n) => n.receivedAt >= since && serviceDown("firing")(n));

  /** Back to healthy: a new service on the old port, and its resolved notification. */
  async function recover(since: number): Promise<Notification> {
    await stack.restartService();
    return inbox.waitFor(ALERTS, serviceDown("resolved"), { since, timeoutMs: deadline });
  }

  test("the blackbox exporter killed: WebSocketServiceDown, reason probe_missing, critical; resolved when it is back", async () => {
    const since = Date.now();
    await stack.faults.blackbox.stop("SIGKILL");
    try {
      const fired = await inbox.waitFor(ALERTS, serviceDown("firing"), { since, timeoutMs: deadline });
      // The probe's series go stale with the failed scrape of the exporter: the health job is gone, not failing.
      assert.deepEqual(
        fired.alerts.filter((a) => a.status === "firing").map((a) => [a.labels.reason, a.labels.severity]),
        [["probe_missing", "critical"]],
      );
    } finally {
      await stack.faults.blackbox.start();
    }
    await inbox.waitFor(ALERTS, serviceDown("resolved"), { since, timeoutMs: deadline });
  });

  test("the receiver is down when WebSocketServiceDown fires and back after a failed delivery: exactly one firing notification, then the resolved one", async (t) => {
    const since = Date.now();
    const am = stack.alertmanagers[0].url;
    const failedBefore = await failedNotifications(am, "webhook");
    await inbox.goDown();
    await stack.service.process.stop("SIGKILL");
    await pollUntil("a failed webhook delivery of WebSocketServiceDown", () => failedNotifications(am, "webhook"), (n) => n > failedBefore, { timeoutMs: deadline });
    const backAt = Date.now();
    await inbox.comeBack();
    const fired = await inbox.waitFor(ALERTS, serviceDown("firing"), { since, timeoutMs: deadline });
    t.diagnostic(`delivered ${fired.receivedAt - backAt} ms after the receiver came back`);
    const resolvedAt = (await recover(Date.now())).receivedAt;
    assert.equal(firingSince(since).filter((n) => n.receivedAt < resolvedAt).length, 1, `firing notifications of the outage:${inbox.summary()}`);
  });

  test("Alertmanager restarted (same data directory) while the alert fires: no second firing notification; the resolved one still arrives", async () => {
    const since = Date.now();
    await stack.service.process.stop("SIGKILL");
    await inbox.waitFor(ALERTS, serviceDown("firing"), { since, timeoutMs: deadline });
    // A clean restart: Alertmanager keeps what it notified (its notification log) in its data directory.
    await stack.faults.alertmanager0.stop("SIGTERM");
    await stack.faults.alertmanager0.start();
    // Prometheus re-sends the firing alert every second; the restarted Alertmanager's first flush
    // of the group comes group_wait after it holds it: a repeat would come then (repeatInterval 4h).
    const held = async () => (await stack.alertmanagers[0].alerts()).some((a) => a.labels.alertname === ALERT_NAMES.serviceDown);
    await pollUntil("the restarted Alertmanager holding WebSocketServiceDown", held, (yes) => yes, { timeoutMs: deadline });
    await sleep(settings.notifications.groupWait.seconds * 1000 + stretched(3000));
    assert.equal(firingSince(since).length, 1, `firing notifications after the restart:${inbox.summary()}`);
    await recover(Date.now());
  });

  test("Prometheus restarted while WebSocketServiceDown is pending: it still fires within the bound plus the restart", async (t) => {
    // The health check fails (no third restart of the service: three in 15m are a crash loop).
    const since = Date.now();
    await stack.service.setHealthy(false);
    const restartFrom = Date.now();
    await stack.faults.prometheus.stop("SIGTERM");
    await stack.faults.prometheus.start();
    const restartMs = Date.now() - restartFrom;
    const bound = worstCaseBoundMs(settings, settings.alerts.serviceDownFor.seconds, settings.notifications.groupWait.seconds) + restartMs;
    const fired = await inbox.waitFor(ALERTS, serviceDown("firing"), { since, timeoutMs: deadlineMs(bound) });
    t.diagnostic(`fired ${fired.receivedAt - since} ms after the outage (bound ${bound - restartMs} ms + restart ${restartMs} ms)`);
    const healthyAt = Date.now();
    await stack.service.setHealthy(true);
    await inbox.waitFor(ALERTS, serviceDown("resolved"), { since: healthyAt, timeoutMs: deadline });
  });
});
