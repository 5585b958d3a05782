/**
 * The alert path under its own faults, on real processes (stack test/fixtures/Pulumi.e2e.yaml
 * with a heartbeat every 10s, Prometheus re-sending firing alerts every 1s): a receiver that is
 * down when the page is sent, an Alertmanager restarted while the alert fires, a Prometheus
 * restarted while the alert is pending or killed for good (the heartbeat stops), and a dead
 * blackbox exporter. Each test starts and ends with a healthy, quiet stack; the service is
 * restarted at most twice, as a third restart within 15m is (rightly) a crash loop.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/definitions";
import type { Settings } from "../../config/settings";
import { worstCaseBoundMs } from "../../harness/alertTiming";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { sleep } from "../../harness/processes";
import { WebhookInbox, firesIn, notifies, type Notification } from "../../harness/webhookInbox";

const ALERTS = "/alerts";
const HEARTBEAT = "/heartbeat";
const HEARTBEAT_INTERVAL_MS = 10_000;
/** Deadlines are this many times the worst case: the machine is shared and timing is noisy. */
const DEADLINE_FACTOR = 2;

describe("the alert path under its own faults", { timeout: 300_000 }, () => {
  let inbox: WebhookInbox;
  let stack: MonitoringStack;
  let settings: Settings;
  let boundMs: number;

  before(async () => {
    inbox = await WebhookInbox.start();
    stack = await startMonitoringStack({
      resendDelay: "1s",
      secrets: { heartbeatUrl: inbox.url(HEARTBEAT) },
      alertmanagers: [{ overrides: { heartbeatInterval: "10s" }, secrets: { webhookUrl: inbox.url(ALERTS), heartbeatUrl: inbox.url(HEARTBEAT) } }],
    });
    settings = stack.settings;
    boundMs = worstCaseBoundMs(settings, settings.alerts.serviceDownFor.seconds, settings.notifications.groupWait.seconds);
  });

  after(async () => {
    await stack?.stop();
    await inbox?.close();
  });

  /** A notification of the WebSocketServiceDown group: firing (some alert of it fires), or all resolved. */
  const serviceDown = (status: "firing" | "resolved") => (status === "firing" ? firesIn(ALERT_NAMES.serviceDown) : notifies(ALERT_NAMES.serviceDown, "resolved"));
  const firingSince = (since: number) => inbox.at(ALERTS).filter((n) => n.receivedAt >= since && serviceDown("firing")(n));

  /** Back to healthy: a new service on the old port, and its resolved notification. */
  async function recover(since: number): Promise<Notification> {
    await stack.restartService();
    return inbox.waitFor(ALERTS, serviceDown("resolved"), { since, timeoutMs: DEADLINE_FACTOR * boundMs + 10_000 });
  }

  test("a heartbeat arrives every heartbeatInterval, at its own receiver only", async () => {
    const first = await inbox.waitFor(HEARTBEAT, notifies(ALERT_NAMES.heartbeat, "firing"), { since: 0, timeoutMs: 30_000 });
    const second = await inbox.waitFor(HEARTBEAT, notifies(ALERT_NAMES.heartbeat, "firing"), { since: first.receivedAt + 1, timeoutMs: 2 * HEARTBEAT_INTERVAL_MS + 5000 });
    assert.ok(second.receivedAt - first.receivedAt >= HEARTBEAT_INTERVAL_MS - 1500, `heartbeats ${second.receivedAt - first.receivedAt} ms apart`);
    assert.deepEqual(inbox.at(ALERTS).filter((n) => n.alerts.some((a) => a.labels.alertname === ALERT_NAMES.heartbeat)), [], "the heartbeat reached the people receiver");
  });

  test("the blackbox exporter killed: WebSocketServiceDown, reason probe_missing, critical; resolved when it is back", async () => {
    const since = Date.now();
    await stack.faults.blackbox.stop("SIGKILL");
    try {
      const fired = await inbox.waitFor(ALERTS, serviceDown("firing"), { since, timeoutMs: DEADLINE_FACTOR * boundMs + 5000 });
      // The probe's series go stale with the failed scrape of the exporter: the health job is gone, not failing.
      assert.deepEqual(
        fired.alerts.filter((a) => a.status === "firing").map((a) => [a.labels.reason, a.labels.severity]),
        [["probe_missing", "critical"]],
      );
    } finally {
      await stack.faults.blackbox.start();
    }
    await inbox.waitFor(ALERTS, serviceDown("resolved"), { since, timeoutMs: DEADLINE_FACTOR * boundMs + 10_000 });
  });

  test("the receiver is down when WebSocketServiceDown fires and back 30 s later: exactly one firing notification, then the resolved one", async (t) => {
    const since = Date.now();
    await inbox.goDown();
    await stack.service.process.stop("SIGKILL");
    await sleep(30_000);
    const backAt = Date.now();
    await inbox.comeBack();
    const fired = await inbox.waitFor(ALERTS, serviceDown("firing"), { since, timeoutMs: DEADLINE_FACTOR * boundMs + 10_000 });
    t.diagnostic(`delivered ${fired.receivedAt - backAt} ms after the receiver came back`);
    const resolvedAt = (await recover(Date.now())).receivedAt;
    assert.equal(firingSince(since).filter((n) => n.receivedAt < resolvedAt).length, 1, "firing notifications of the outage");
  });

  test("Alertmanager restarted (same data directory) while the alert fires: no second firing notification; the resolved one still arrives", async () => {
    const since = Date.now();
    await stack.service.process.stop("SIGKILL");
    await inbox.waitFor(ALERTS, serviceDown("firing"), { since, timeoutMs: DEADLINE_FACTOR * boundMs });
    // A clean restart: Alertmanager keeps what it notified (its notification log) in its data directory.
    await stack.faults.alertmanager0.stop("SIGTERM");
    await stack.faults.alertmanager0.start();
    // Prometheus re-sends the firing alert every second: well past group_wait, nothing may repeat it (repeatInterval 4h).
    await sleep(10_000);
    assert.equal(firingSince(since).length, 1, "firing notifications after the restart");
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
    const fired = await inbox.waitFor(ALERTS, serviceDown("firing"), { since, timeoutMs: DEADLINE_FACTOR * (boundMs + restartMs) });
    t.diagnostic(`fired ${fired.receivedAt - since} ms after the outage (bound ${boundMs} ms + restart ${restartMs} ms)`);
    assert.ok(fired.receivedAt - since <= DEADLINE_FACTOR * (boundMs + restartMs));
    const healthyAt = Date.now();
    await stack.service.setHealthy(true);
    await inbox.waitFor(ALERTS, serviceDown("resolved"), { since: healthyAt, timeoutMs: DEADLINE_FACTOR * boundMs + 10_000 });
  });

  test("Prometheus killed: the heartbeat stops; the receiver notices one interval (plus its grace) after the last", async (t) => {
    const killedAt = Date.now();
    await stack.faults.prometheus.stop("SIGKILL");
    // Alertmanager keeps a silent Prometheus' alert for 4 x max(resend delay 1s, evaluation 2s) = 8s, then stops.
    const quietAfterMs = 8_000 + HEARTBEAT_INTERVAL_MS + 2_000;
    await sleep(quietAfterMs + 2 * HEARTBEAT_INTERVAL_MS);
    const last = inbox.at(HEARTBEAT).at(-1)!.receivedAt;
    assert.ok(last - killedAt <= quietAfterMs, `a heartbeat arrived ${last - killedAt} ms after Prometheus died`);
    t.diagnostic(
      `last heartbeat ${last - killedAt} ms from the kill (negative: before it); a receiver expecting one every ${HEARTBEAT_INTERVAL_MS} ms ` +
        `notices ${last + HEARTBEAT_INTERVAL_MS - killedAt} ms after the kill, plus its grace`,
    );
    await stack.faults.prometheus.start();
    await inbox.waitFor(HEARTBEAT, notifies(ALERT_NAMES.heartbeat, "firing"), { since: Date.now(), timeoutMs: 3 * HEARTBEAT_INTERVAL_MS });
  });

});
