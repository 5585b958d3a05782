/**
 * The dead man's switch on real processes (stack test/fixtures/Pulumi.e2e.yaml with a heartbeat
 * every 3s, Prometheus re-sending firing alerts every 1s): the beats arrive on time, only at the
 * heartbeat receiver, and stop when Prometheus dies.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import type { Settings } from "../../config/settings";
import { deadlineMs } from "../../harness/bounds";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { pollUntil } from "../../harness/poll";
import { WebhookInbox, notifies } from "../../harness/webhookInbox";

const ALERTS = "/alerts";
const HEARTBEAT = "/heartbeat";
const HEARTBEAT_INTERVAL = "3s";
/** Beats measured for the cadence: five gaps. */
const BEATS = 6;

describe("the heartbeat on real processes", { timeout: 180_000 }, () => {
  let inbox: WebhookInbox;
  let stack: MonitoringStack;
  let settings: Settings;
  let intervalMs: number;

  before(async () => {
    inbox = await WebhookInbox.start();
    const secrets = { webhookUrl: inbox.url(ALERTS), heartbeatUrl: inbox.url(HEARTBEAT) };
    stack = await startMonitoringStack({ resendDelay: "1s", secrets, alertmanagers: [{ overrides: { heartbeatInterval: HEARTBEAT_INTERVAL }, secrets }] });
    settings = stack.alertmanagers[0].settings;
    intervalMs = settings.notifications.heartbeat!.interval.seconds * 1000;
  });

  after(async () => {
    await stack?.stop();
    await inbox?.close();
  });

  const beats = () => inbox.at(HEARTBEAT).filter(notifies(ALERT_NAMES.heartbeat, "firing"));

  test(`beats arrive every heartbeatInterval (${HEARTBEAT_INTERVAL}), each gap within one evaluation interval of it, at the heartbeat receiver only`, async (t) => {
    await pollUntil(`${BEATS} heartbeats`, async () => beats().length, (n) => n >= BEATS, { timeoutMs: deadlineMs(BEATS * intervalMs) });
    const at = beats().map((n) => n.receivedAt);
    const gaps = at.slice(1).map((time, i) => time - at[i]);
    t.diagnostic(`gaps between beats: ${gaps.join(", ")} ms (interval ${intervalMs} ms)`);
    const slack = settings.alerts.evaluationInterval.seconds * 1000;
    for (const gap of gaps) assert.ok(Math.abs(gap - intervalMs) <= slack, `a gap of ${gap} ms between beats; expected ${intervalMs} ms, give or take ${slack} ms: ${gaps.join(", ")}`);
    const leaked = inbox.at(ALERTS).filter((n) => n.alerts.some((a) => a.labels.alertname === ALERT_NAMES.heartbeat));
    assert.deepEqual(leaked, [], "the heartbeat reached the people's receiver");
  });

  test("Prometheus killed: the beats stop, one interval after Alertmanager lets the alert expire; they resume when it is back", async (t) => {
    const killedAt = Date.now();
    await stack.faults.prometheus.stop("SIGKILL");
    // Alertmanager keeps a silent Prometheus' alert for 4 x max(resend delay 1s, evaluation 2s) = 8s; one more beat may follow.
    const keptMs = 4 * Math.max(1, settings.alerts.evaluationInterval.seconds) * 1000;
    const lastBeatAt = () => beats().at(-1)!.receivedAt;
    await pollUntil("the heartbeat to stop for two intervals", async () => Date.now() - lastBeatAt(), (quiet) => quiet > 2 * intervalMs, {
      timeoutMs: deadlineMs(keptMs + 3 * intervalMs),
    });
    const last = lastBeatAt() - killedAt;
    t.diagnostic(`last beat ${last} ms after the kill; a receiver expecting one every ${intervalMs} ms notices ${last + intervalMs} ms after it, plus its grace`);
    assert.ok(last <= keptMs + intervalMs + 1000, `a beat arrived ${last} ms after Prometheus died (Alertmanager keeps its alert ${keptMs} ms)`);
    const restartedAt = Date.now();
    await stack.faults.prometheus.start();
    await inbox.waitFor(HEARTBEAT, notifies(ALERT_NAMES.heartbeat, "firing"), { since: restartedAt, timeoutMs: deadlineMs(2 * intervalMs) });
  });
});
