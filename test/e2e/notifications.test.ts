/**
 * The alert path end to end on real processes: reference service -> Prometheus (rendered rules)
 * -> Alertmanager (rendered alertmanager.yml) -> webhook receiver. Two Alertmanagers get the same
 * alerts from one Prometheus: one with operational hours around now, one with hours that exclude
 * now; only the first may notify WebSocketNoActiveConnections. Stack: test/fixtures/Pulumi.e2e.yaml.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import type { Settings } from "../../config/settings";
import { worstCaseBoundMs } from "../../harness/alertTiming";
import { deadlineMs } from "../../harness/bounds";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { sleep } from "../../harness/processes";
import { WebhookInbox, notifies, type Notification } from "../../harness/webhookInbox";

const INSIDE = "/inside";
const OUTSIDE = "/outside";
/** The reasons of a killed service: its scrape, its health probe and its upgrade probe (on in the e2e fixture) fail. */
const SERVICE_KILLED = ["scrape_failed", "health_failed", "upgrade_failed"];

/**
 * Hours around now and hours that exclude now, in a zone where it is now 12:xx (Etc/GMT±N; POSIX
 * inverts their sign): windows of whole hours near noon last the whole test and never cross
 * midnight. Unless it is 11:00-14:00 UTC, an Alertmanager that ignored the interval's `location`
 * would mute the inside one too.
 */
function hoursAroundNow(now = new Date()) {
  const offset = 12 - now.getUTCHours();
  const zone = offset === 0 ? "Etc/UTC" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
  const hour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", hourCycle: "h23" }).format(now));
  const clock = (h: number) => `${String(h).padStart(2, "0")}:00`;
  return { zone, inside: [clock(hour - 1), clock(hour + 2)], outside: ["00:00", clock(hour - 1)] };
}

describe("alert notifications: Prometheus -> Alertmanager -> webhook, on real processes", { timeout: 180_000 }, () => {
  let inbox: WebhookInbox;
  let stack: MonitoringStack;
  let settings: Settings;
  /** When the inside Alertmanager's WebSocketNoActiveConnections notification arrived. */
  let noActiveNotifiedAt: number;

  before(async () => {
    inbox = await WebhookInbox.start();
    const hours = hoursAroundNow();
    const alertmanager = (path: string, [start, end]: string[]) => ({
      overrides: { operationalTimezone: hours.zone, operationalDays: '["monday:sunday"]', operationalStart: start, operationalEnd: end },
      secrets: { webhookUrl: inbox.url(path) },
    });
    stack = await startMonitoringStack({ alertmanagers: [alertmanager(INSIDE, hours.inside), alertmanager(OUTSIDE, hours.outside)] });
    settings = stack.settings;
  });

  after(async () => {
    await stack?.stop();
    await inbox?.close();
  });

  function assertLabels(n: Notification, alertname: string, reasons?: string[]): void {
    for (const a of n.alerts) {
      const { alertname: name, severity, environment, service, reason } = a.labels;
      assert.deepEqual({ name, severity, environment, service }, { name: alertname, severity: "critical", environment: settings.environment, service: settings.scrape.jobName });
      if (reasons) assert.ok(reasons.includes(reason), `reason '${reason}' not one of ${reasons.join(", ")}`);
    }
  }

  function assertNoActiveNeverOutside(): void {
    const notified = inbox
      .at(OUTSIDE)
      .filter((n) => n.alerts.some((a) => a.labels.alertname === ALERT_NAMES.noActiveConnections))
      .map((n) => `${n.status} at ${new Date(n.receivedAt).toISOString()}`);
    assert.deepEqual(notified, [], "the Alertmanager whose operational hours exclude now notified WebSocketNoActiveConnections");
  }

  test("idle service inside the operational hours: WebSocketNoActiveConnections is notified", async () => {
    const deadline = deadlineMs(worstCaseBoundMs(settings, settings.alerts.noConnectionsFor.seconds, settings.notifications.groupWait.seconds));
    const n = await inbox.waitFor(INSIDE, notifies(ALERT_NAMES.noActiveConnections, "firing"), { since: 0, timeoutMs: deadline });
    noActiveNotifiedAt = n.receivedAt;
    assertLabels(n, ALERT_NAMES.noActiveConnections);
    // The other Alertmanager got the alert too: it is its route that keeps it quiet.
    const outside = stack.alertmanagers[1];
    const held = (await outside.alerts()).some((a) => a.labels.alertname === ALERT_NAMES.noActiveConnections);
    assert.ok(held, "the outside Alertmanager does not hold WebSocketNoActiveConnections");
  });

  test("killed service: WebSocketServiceDown is notified at any hour, with its labels; outside the hours WebSocketNoActiveConnections never was", async () => {
    assert.ok(noActiveNotifiedAt, "needs the previous test");
    const killedAt = Date.now();
    await stack.service.process.stop("SIGKILL");
    const deadline = deadlineMs(worstCaseBoundMs(settings, settings.alerts.serviceDownFor.seconds, settings.notifications.groupWait.seconds));
    for (const path of [INSIDE, OUTSIDE]) {
      const n = await inbox.waitFor(path, notifies(ALERT_NAMES.serviceDown, "firing"), { since: killedAt, timeoutMs: deadline });
      // The scrape and the probes fail; which of them an evaluation sees first varies.
      assertLabels(n, ALERT_NAMES.serviceDown, SERVICE_KILLED);
    }
    // Well after the inside one notified, the muted group had every chance to flush.
    await sleep(2 * settings.notifications.groupInterval.seconds * 1000);
    assertNoActiveNeverOutside();
  });

  test("service back on the same port: the resolved WebSocketServiceDown notification arrives", async () => {
    const restartedAt = Date.now();
    await stack.restartService();
    // Resolving needs no pending period; the existing group notifies after group_interval.
    const deadline = deadlineMs(worstCaseBoundMs(settings, 0, settings.notifications.groupInterval.seconds));
    for (const path of [INSIDE, OUTSIDE]) {
      const n = await inbox.waitFor(path, notifies(ALERT_NAMES.serviceDown, "resolved"), { since: restartedAt, timeoutMs: deadline });
      assertLabels(n, ALERT_NAMES.serviceDown, SERVICE_KILLED);
    }
    assertNoActiveNeverOutside();
  });
});
