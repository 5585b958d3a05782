/**
 * The delivery under its own faults (test/support/faultStack.ts): a receiver that is down when the
 * page is sent, and an Alertmanager restarted while the alert fires. The service is killed and
 * restarted twice, no more: a third restart within 15m is (rightly) a crash loop. The waits are on
 * events (a failed delivery, the restarted Alertmanager holding the alert), not on fixed sleeps.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { failedNotifications } from "../../harness/alertmanagerMetrics";
import { stretched } from "../../harness/bounds";
import { pollUntil } from "../../harness/poll";
import { sleep } from "../../harness/processes";
import { FaultStack } from "../support/faultStack";

describe("the delivery when the receiver or Alertmanager fails", { timeout: 300_000 }, () => {
  let f: FaultStack;
  before(async () => (f = await FaultStack.start()));
  after(() => f?.stop());
  beforeEach(() => f.quiet());

  test("the receiver is down when WebSocketServiceDown fires and back after a failed delivery: exactly one firing notification, then the resolved one", async (t) => {
    const since = Date.now();
    const am = f.stack.alertmanagers[0].url;
    const failedBefore = await failedNotifications(am, "webhook");
    await f.inbox.goDown();
    await f.stack.service.process.stop("SIGKILL");
    await pollUntil("a failed webhook delivery of WebSocketServiceDown", () => failedNotifications(am, "webhook"), (n) => n > failedBefore, { timeoutMs: f.deadline });
    const backAt = Date.now();
    await f.inbox.comeBack();
    const fired = await f.waitForServiceDown("firing", since);
    t.diagnostic(`delivered ${fired.receivedAt - backAt} ms after the receiver came back`);
    const resolvedAt = (await f.recover()).receivedAt;
    assert.equal(f.firingSince(since).filter((n) => n.receivedAt < resolvedAt).length, 1, `firing notifications of the outage:${f.inbox.summary()}`);
  });

  test("Alertmanager restarted (same data directory) while the alert fires: no second firing notification; the resolved one still arrives", async () => {
    const since = Date.now();
    await f.stack.service.process.stop("SIGKILL");
    await f.waitForServiceDown("firing", since);
    // Alertmanager logs a notification only once the receiver has answered; the log has no event to
    // wait on, so give it a moment before the restart (a restart right then would rightly repeat it).
    await sleep(stretched(2000));
    // A clean restart: Alertmanager keeps what it notified (its notification log) in its data directory.
    const restartedAt = Date.now();
    await f.stack.faults.alertmanager0.stop("SIGTERM");
    await f.stack.faults.alertmanager0.start();
    // Prometheus re-sends the firing alert every second; the restarted Alertmanager's first flush
    // of the group comes group_wait after it holds it: a repeat would come then (repeatInterval 4h).
    const held = async () => (await f.stack.alertmanagers[0].alerts()).some((a) => a.labels.alertname === ALERT_NAMES.serviceDown);
    await pollUntil("the restarted Alertmanager holding WebSocketServiceDown", held, (yes) => yes, { timeoutMs: f.deadline });
    await sleep(f.settings.notifications.groupWait.seconds * 1000 + stretched(3000));
    // No page repeated: the one page of the outage, or, where a reason of it flapped on a starved
    // machine (a scrape over its timeout), no page after the restart that only repeats the last one before it.
    const pagesSince = f.firingSince(since);
    const firing = (n: (typeof pagesSince)[number]) => n.alerts.filter((a) => a.status === "firing").map((a) => JSON.stringify(Object.entries(a.labels).sort())).sort().join("\n");
    const before = pagesSince.filter((n) => n.receivedAt < restartedAt).at(-1);
    const repeats = pagesSince.filter((n) => n.receivedAt >= restartedAt && before && firing(n) === firing(before));
    assert.ok(pagesSince.length >= 1 && before, `no page of the outage before the restart:${f.inbox.summary()}`);
    assert.deepEqual(repeats, [], `a page after the restart repeats the last one before it:${f.inbox.summary()}`);
    await f.recover();
  });
});
