/** `npm run bench`, figure 4: when monitoring itself fails (a receiver outage, Prometheus killed: the heartbeat stops). */
import { ALERT_NAMES } from "../alerts/vocabulary";
import { worstCaseBoundMs } from "../harness/alertTiming";
import type { MonitoringStack } from "../harness/monitoringStack";
import { sleep } from "../harness/processes";
import { firesIn, notifies, type WebhookInbox } from "../harness/webhookInbox";
import { RUNS, WEBHOOK_PATH, randomPhase, seconds } from "./benchCommon";

export const HEARTBEAT_PATH = "/bench-heartbeat";
export const RESEND_DELAY_SECONDS = 1;
export const HEARTBEAT_INTERVAL_MS = 10_000;

export async function faultFigures(stack: MonitoringStack, inbox: WebhookInbox): Promise<void> {
  const s = stack.settings;
  const groupIntervalMs = s.notifications.groupInterval.seconds * 1000;
  const keptMs = 4 * Math.max(RESEND_DELAY_SECONDS, s.alerts.evaluationInterval.seconds) * 1000;
  console.log(`4) when monitoring fails: a receiver outage (expected delay after it: up to group_interval ${seconds(groupIntervalMs)}), Prometheus killed (heartbeats stop within 4 x max(resend delay ${RESEND_DELAY_SECONDS}s, evaluation ${s.alerts.evaluationInterval.text}) = ${seconds(keptMs)})`);
  for (let run = 1; run <= RUNS; run++) {
    const since = Date.now();
    await inbox.goDown();
    // A failing health check (not a killed service: three restarts in 15m would be a crash loop that never resolves).
    await stack.service.setHealthy(false);
    await sleep(worstCaseBoundMs(s, s.alerts.serviceDownFor.seconds, s.notifications.groupWait.seconds) + 2000);
    const backAt = Date.now();
    await inbox.comeBack();
    const n = await inbox.waitFor(WEBHOOK_PATH, firesIn(ALERT_NAMES.serviceDown), { since, timeoutMs: 60_000 });
    console.log(`   receiver outage, run ${run}: notified ${seconds(n.receivedAt - backAt)} after the receiver came back, ratio to group_interval ${((n.receivedAt - backAt) / groupIntervalMs).toFixed(2)}`);
    const healthyAt = Date.now();
    await stack.service.setHealthy(true);
    await inbox.waitFor(WEBHOOK_PATH, notifies(ALERT_NAMES.serviceDown, "resolved"), { since: healthyAt, timeoutMs: 60_000 });
  }
  for (let run = 1; run <= RUNS; run++) {
    await inbox.waitFor(HEARTBEAT_PATH, notifies(ALERT_NAMES.heartbeat, "firing"), { since: Date.now(), timeoutMs: 60_000 });
    await randomPhase(s);
    const killedAt = Date.now();
    await stack.faults.prometheus.stop("SIGKILL");
    await sleep(keptMs + 25_000);
    // The receiver notices one heartbeat interval after the last heartbeat (before its own grace).
    const noticedMs = inbox.at(HEARTBEAT_PATH).at(-1)!.receivedAt + HEARTBEAT_INTERVAL_MS - killedAt;
    const boundMs = keptMs + HEARTBEAT_INTERVAL_MS;
    console.log(`   Prometheus killed, run ${run}: a heartbeat receiver notices ${seconds(noticedMs)} after the kill, ratio to the bound kept + interval = ${seconds(boundMs)}: ${(noticedMs / boundMs).toFixed(2)}`);
    await stack.faults.prometheus.start();
  }
}
