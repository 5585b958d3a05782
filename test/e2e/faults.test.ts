/**
 * The alert path when a part of the monitoring fails (test/support/faultStack.ts): a dead blackbox
 * exporter, and a Prometheus restarted while the alert is pending. The delivery's faults are in
 * deliveryFaults.test.ts, Prometheus killed for good in heartbeat.test.ts. Each test starts and
 * ends with a healthy, quiet stack.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { worstCaseBoundMs } from "../../harness/alertTiming";
import { deadlineMs } from "../../harness/bounds";
import type { Notification } from "../../harness/webhookInbox";
import { probeJobNames } from "../../promql/queries";
import { ALERTS, FaultStack } from "../support/faultStack";

describe("the alert path when the blackbox exporter or Prometheus fails", { timeout: 300_000 }, () => {
  let f: FaultStack;
  before(async () => (f = await FaultStack.start()));
  after(() => f?.stop());
  beforeEach(() => f.quiet());

  test("the blackbox exporter killed: WebSocketServiceDown, reason probe_missing of each probe job, critical; resolved when it is back", async () => {
    const since = Date.now();
    await f.stack.faults.blackbox.stop("SIGKILL");
    try {
      // The probes' series go stale with the failed scrapes of the exporter: the health job and the upgrade job are gone, not failing.
      // Each job's absence is seen at its own scrape: on a busy machine the group's first notification may hold one, a later one both.
      const probeJobs = probeJobNames(f.settings).sort();
      const firing = (n: Notification) => n.alerts.filter((a) => a.status === "firing").map((a) => [a.labels.reason, a.labels.severity, a.labels.job]).sort();
      const fired = await f.inbox.waitFor(ALERTS, (n) => f.serviceDown("firing")(n) && firing(n).length >= probeJobs.length, { since, timeoutMs: f.deadline });
      assert.deepEqual(firing(fired), probeJobs.map((job) => ["probe_missing", "critical", job]));
    } finally {
      await f.stack.faults.blackbox.start();
    }
    await f.waitForServiceDown("resolved", since);
  });

  test("Prometheus restarted while WebSocketServiceDown is pending: it still fires within the bound plus the restart", async (t) => {
    const since = Date.now();
    await f.stack.service.setHealthy(false);
    const restartFrom = Date.now();
    await f.stack.faults.prometheus.stop("SIGTERM");
    await f.stack.faults.prometheus.start();
    const restartMs = Date.now() - restartFrom;
    const bound = worstCaseBoundMs(f.settings, f.settings.alerts.serviceDownFor.seconds, f.settings.notifications.groupWait.seconds);
    const fired = await f.waitForServiceDown("firing", since, deadlineMs(bound + restartMs));
    t.diagnostic(`fired ${fired.receivedAt - since} ms after the outage (bound ${bound} ms + restart ${restartMs} ms)`);
    const healthyAt = Date.now();
    await f.stack.service.setHealthy(true);
    await f.waitForServiceDown("resolved", healthyAt);
  });
});
