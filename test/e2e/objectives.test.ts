/**
 * The objectives end to end on real processes, with the e2e stack's SLO period shortened to 12h
 * (every burn window scales with it: 1h -> 1m, 5m -> 5s): a flapping /ws/health (every other
 * second unhealthy, never down for serviceDownFor, so WebSocketServiceDown stays quiet and holds
 * nothing back: alerts/incident.ts) pages WebSocketAvailabilityBudgetBurn through Alertmanager to
 * the webhook within the time the windows need to cross 14.4 plus the usual scrape, evaluation,
 * pending and group_wait; and the error ratios Grafana's rules query from the raw series equal
 * what Prometheus records for its own rules. (A service that is down pages once, by
 * WebSocketServiceDown: incident.test.ts.)
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/definitions";
import type { Settings } from "../../config/settings";
import { deadlineMs } from "../../harness/bounds";
import { SHORT_SLO_OVERRIDES, sloPageBoundMs, sloPageClearMs } from "../../harness/alertTiming";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { LoadGenerator } from "../../harness/load";
import { pollUntil } from "../../harness/poll";
import { WebhookInbox, notifies } from "../../harness/webhookInbox";
import { slos, type Slo } from "../../slo/model";
import { recordedErrorRatio } from "../../slo/recordingRules";

const PATH = "/pages";

describe("objectives on real processes (sloPeriod 12h)", { timeout: 180_000 }, () => {
  let inbox: WebhookInbox;
  let stack: MonitoringStack;
  let settings: Settings;
  let availability: Slo;

  before(async () => {
    inbox = await WebhookInbox.start();
    stack = await startMonitoringStack({ overrides: { ...SHORT_SLO_OVERRIDES, serviceDownFor: "60s" }, alertmanagers: [{ secrets: { webhookUrl: inbox.url(PATH) } }] });
    settings = stack.settings;
    availability = slos(settings).find((s) => s.name === "availability")!;
  });

  let flapTimer: NodeJS.Timeout | undefined;

  /** /ws/health unhealthy every other second (about every other probe) until stopped; then healthy. */
  function flap(): { stop(): Promise<void> } {
    let healthy = true;
    let running = Promise.resolve();
    flapTimer = setInterval(() => (running = running.then(() => stack.service.setHealthy((healthy = !healthy)))), 1000);
    return {
      async stop() {
        clearInterval(flapTimer);
        await running;
        await stack.service.setHealthy(true);
      },
    };
  }

  after(async () => {
    // A test that failed while flapping: no more calls to a service about to stop.
    clearInterval(flapTimer);
    await stack?.stop();
    await inbox?.close();
  });

  test("a flapping health check pages WebSocketAvailabilityBudgetBurn at the webhook, and the page resolves after recovery", async (t) => {
    const failedAt = Date.now();
    const flapping = flap();
    const bound = sloPageBoundMs(settings, availability);
    const critical = { severity: "critical" };
    const fired = await inbox.waitFor(PATH, notifies(ALERT_NAMES.availabilityBudgetBurn, "firing", critical), { since: failedAt, timeoutMs: deadlineMs(bound) });
    t.diagnostic(`paged after ${fired.receivedAt - failedAt} ms (worst-case bound ${bound} ms)`);
    assert.deepEqual(fired.alerts[0].labels.slo, "availability");
    assert.equal(fired.alerts[0].labels.environment, settings.environment);

    await flapping.stop();
    const recoveredAt = Date.now();
    // The page holds until the short window of every page tier is clear (here 30s, the scaled 30m), then resolves.
    const clear = sloPageClearMs(availability);
    const resolved = await inbox.waitFor(PATH, notifies(ALERT_NAMES.availabilityBudgetBurn, "resolved", critical), { since: recoveredAt, timeoutMs: deadlineMs(clear + bound) });
    t.diagnostic(`resolved ${resolved.receivedAt - recoveredAt} ms after recovery (short windows clear after ${clear} ms)`);
    assert.ok(resolved.receivedAt - recoveredAt >= clear - 2000, "the page resolved before its short window could be clear");
  });

  test("Grafana's raw-series error ratios equal Prometheus' recordings on the same data", async () => {
    // Closed connections for the connections SLO: 10 closed normally, 10 dropped without a close frame (reason error).
    const load = new LoadGenerator(stack.service.wsUrl);
    await load.setConnections(20);
    await load.setConnections(10);
    load.terminateAll();
    // Compared once the recordings have seen the drops (a busy machine may scrape late): the minute's connections ratio above 0.
    const dropped = recordedErrorRatio(slos(settings).find((x) => x.name === "connections")!, "1m");
    await pollUntil(`${dropped} above 0`, () => stack.prometheus.query(dropped), (x) => x.length === 1 && x[0].value > 0, { timeoutMs: 30_000, intervalMs: 250 });
    for (const slo of slos(settings)) {
      const compared: number[] = [];
      for (const window of ["5s", "1m", "6m"]) {
        const recorded = recordedErrorRatio(slo, window);
        // The recording's own evaluation time, and the raw query at that same instant. A window without a
        // closed connection records nothing (never 0/0): then the raw query has nothing either.
        const stamp = await stack.prometheus.query(`timestamp(${recorded})`);
        if (stamp.length === 0) {
          assert.deepEqual(await stack.prometheus.query(slo.errorRatio(window)), [], `${slo.name} ${window}: nothing recorded, but raw data`);
          continue;
        }
        const at = stamp[0].value;
        const [rec] = await stack.prometheus.query(recorded, at);
        const [raw] = await stack.prometheus.query(slo.errorRatio(window), at);
        assert.ok(rec && raw, `${slo.name} ${window}: recorded ${JSON.stringify(rec)}, raw ${JSON.stringify(raw)}`);
        // A scrape that ended after the rule evaluated can add one sample to the later query.
        assert.ok(Math.abs(rec.value - raw.value) <= 0.02 + 0.05 * Math.abs(rec.value), `${slo.name} ${window}: recorded ${rec.value}, raw ${raw.value}`);
        compared.push(rec.value);
      }
      // The failures (availability) and the dropped connections are in the longer windows: not only zeros were compared.
      assert.ok(compared.some((v) => v > 0), `${slo.name}: every window recorded 0`);
    }
  });
});
