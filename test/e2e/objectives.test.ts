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
import { ALERT_NAMES } from "../../alerts/vocabulary";
import type { Settings } from "../../config/settings";
import { deadlineMs, stretched } from "../../harness/bounds";
import { SHORT_SLO_OVERRIDES, sloPageBoundMs, sloPageClearMs } from "../../harness/alertTiming";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { LoadGenerator, refusedUpgrades } from "../../harness/load";
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
    // exposesUpgrades: the handshake objective too.
    stack = await startMonitoringStack({ overrides: { ...SHORT_SLO_OVERRIDES, serviceDownFor: "60s", exposesUpgrades: "true" }, alertmanagers: [{ secrets: { webhookUrl: inbox.url(PATH) } }] });
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

  // Two objectives, two signals (the health probe, the upgrades): their pages at once.
  describe("each objective pages and resolves", { concurrency: true }, () => {
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

    test("refused upgrades page WebSocketHandshakeBudgetBurn at the webhook, and the page resolves after they stop", async (t) => {
      const handshake = slos(settings).find((s) => s.name === "handshake")!;
      const since = Date.now();
      // Upgrades to a path the service does not serve: each refused (404), while /ws/health stays healthy.
      const refusing = refusedUpgrades(`${stack.service.wsUrl}-nowhere`);
      const bound = sloPageBoundMs(settings, handshake);
      const page = notifies(ALERT_NAMES.handshakeBudgetBurn, "firing", { severity: "critical" });
      let fired;
      try {
        fired = await inbox.waitFor(PATH, page, { since, timeoutMs: deadlineMs(bound) });
      } finally {
        await refusing.stop();
      }
      const stoppedAt = Date.now();
      t.diagnostic(`paged after ${fired.receivedAt - since} ms (worst-case bound ${bound} ms)`);
      assert.equal(fired.alerts[0].labels.slo, "handshake");
      const clear = sloPageClearMs(handshake);
      const resolved = notifies(ALERT_NAMES.handshakeBudgetBurn, "resolved", { severity: "critical" });
      await inbox.waitFor(PATH, resolved, { since: stoppedAt, timeoutMs: deadlineMs(clear + bound) });
    });
  });

  test("Grafana's raw-series error ratios equal Prometheus' recordings on the same data", async () => {
    // Closed connections for the connections SLO: 10 closed normally, 10 dropped without a close frame (reason error).
    const load = new LoadGenerator(stack.service.wsUrl);
    await load.setConnections(20);
    await load.setConnections(10);
    load.terminateAll();
    // Compared once the recordings have seen the drops (a busy machine may scrape late): the minute's connections ratio above 0.
    const connections = slos(settings).find((x) => x.name === "connections")!;
    const dropped = recordedErrorRatio(connections, "1m");
    await pollUntil(`${dropped} above 0`, () => stack.prometheus.query(dropped), (x) => x.length === 1 && x[0].value > 0, { timeoutMs: stretched(30_000), intervalMs: 250 });
    // A scrape ingested after a rule's evaluation instant adds to the raw query at that instant what the rule did not see:
    // one sample of the drops in the 5s window was 0 recorded against 0.36 raw. Compared once no drop is left in the
    // shortest window, at evaluations a scrape (and its timeout) later: a late sample then adds only the upgrade
    // probe's normal closes and successful probes, which leave a ratio of 0 at 0 and move a longer one within the tolerance.
    const noDrop = (x: { value: number }[]) => x.length === 0 || x[0].value === 0;
    await pollUntil("no dropped connection within the last 5s", () => stack.prometheus.query(connections.errorRatio("5s")), noDrop, { timeoutMs: stretched(30_000), intervalMs: 250 });
    const settled = Date.now() / 1000 + settings.scrape.interval.seconds + settings.scrape.timeout.seconds;
    for (const slo of slos(settings)) {
      const compared: number[] = [];
      // One group's recordings are evaluated at one instant: the longest window's (which holds the SLO's events) gives it.
      const latest = () => stack.prometheus.query(`timestamp(${recordedErrorRatio(slo, "6m")})`);
      const stamp = await pollUntil(`${slo.name}: recorded over 6m, evaluated after the counts settled`, latest, (x) => x.length === 1 && x[0].value > settled, { timeoutMs: stretched(30_000), intervalMs: 250 });
      const at = stamp.value[0].value;
      for (const window of ["5s", "1m", "6m"]) {
        const [rec] = await stack.prometheus.query(recordedErrorRatio(slo, window), at);
        const raw = await stack.prometheus.query(slo.errorRatio(window), at);
        // A window without an event records nothing (never 0/0): then the raw query at that instant has nothing either.
        if (!rec) {
          assert.deepEqual(raw, [], `${slo.name} ${window}: nothing recorded, but raw data`);
          continue;
        }
        assert.ok(raw.length === 1, `${slo.name} ${window}: recorded ${JSON.stringify(rec)}, raw ${JSON.stringify(raw)}`);
        // The probes go on: a late sample of theirs can still add one probe (or normal close) to the raw ratio.
        assert.ok(Math.abs(rec.value - raw[0].value) <= 0.02 + 0.05 * Math.abs(rec.value), `${slo.name} ${window}: recorded ${rec.value}, raw ${raw[0].value}`);
        compared.push(rec.value);
      }
      // The failures (availability), the dropped connections and the refused upgrades are in the longer windows: not only zeros were compared.
      assert.ok(compared.some((v) => v > 0), `${slo.name}: every window recorded 0`);
    }
  });
});
