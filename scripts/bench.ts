/**
 * `npm run bench` (no arguments): prints three figures (not a test; nothing is asserted).
 * 1. Detection latency: from the last client leaving until Prometheus, evaluating the rendered
 *    rules, reports WebSocketNoActiveConnections firing, against the worst-case bound
 *    scrape interval + evaluation interval + pending period (stack test/fixtures/Pulumi.e2e.yaml).
 * 2. Outage-to-notification latency: from the service being killed until the webhook receives
 *    Alertmanager's firing WebSocketServiceDown notification, against the worst-case bound
 *    scrape interval + evaluation interval + pending period + group_wait (or group_interval).
 * 3. Outage-to-page latency of the availability SLO: from /ws/health failing until the webhook
 *    receives the WebSocketAvailabilityBudgetBurn page, with sloPeriod 12h (windows 1m and 5s),
 *    against the time the windows need to cross 14.4 (worked out from the config) and against
 *    that plus scrape, evaluation, pending period and group_wait.
 * 4. When monitoring itself fails (a heartbeat every 10s, Prometheus re-sending alerts every 1s):
 *    the delay a receiver outage adds (receiver back -> notification), against group_interval;
 *    and heartbeat loss (Prometheus killed -> last heartbeat), against the 4 x max(resend delay,
 *    evaluation interval) for which Alertmanager keeps a silent Prometheus' alerts.
 * 5. Cost of one scrape of the reference service's /ws/metrics at 1k and 10k open connections.
 * 6. Cost as the services grow, for 1, 10 and 50 services (scripts/benchServices.ts).
 * 7. The real engine's no-op preview of a committed stack against an empty program's (scripts/benchEngine.ts).
 * Everything runs on 127.0.0.1, in bounded loops, and is stopped at the end.
 */
import { parseArgs } from "node:util";
import { ALERT_NAMES } from "../alerts/vocabulary";
import type { Duration, Settings } from "../config/settings";
import { queries } from "../promql/queries";
import { SHORT_SLO_OVERRIDES, sloCrossingMs, sloPageBoundMs, sloPageClearMs, worstCaseBoundMs } from "../harness/alertTiming";
import { slos } from "../slo/model";
import { LoadGenerator } from "../harness/load";
import { startMonitoringStack, type MonitoringStack } from "../harness/monitoringStack";
import { pollUntil } from "../harness/poll";
import { WebhookInbox, notifies } from "../harness/webhookInbox";
import { RUNS, WEBHOOK_PATH, median, randomPhase, seconds } from "./benchCommon";
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_PATH, RESEND_DELAY_SECONDS, faultFigures } from "./benchFaults";
import { SCRAPE_LOADS, scrapeCost } from "./benchScrape";
import { engineCost } from "./benchEngine";
import { SERVICE_COUNTS, servicesCost } from "./benchServices";

const CLIENTS_BEFORE_DROP = 20;

const USAGE = `usage: npm run bench   (no arguments; a few minutes on 127.0.0.1)
  prints the detection latency of ${ALERT_NAMES.noActiveConnections} and the outage-to-notification latency of
  ${ALERT_NAMES.serviceDown}, each against its best case and worst-case bound, the outage-to-page latency of
  ${ALERT_NAMES.availabilityBudgetBurn} against the time its windows need to cross 14.4, the delay a receiver outage adds and how soon the
  heartbeat stops when Prometheus dies, the cost of one scrape of the reference service at ${SCRAPE_LOADS.join(" and ")} open connections,
  and, for ${SERVICE_COUNTS.join(", ")} services in one stack, the render time, the program's time and resource count on the mock engine and
  Prometheus' rule evaluation time, as ratios to one service, and the real engine's no-op preview of staging against an empty program's`;


/** Runs `measure` RUNS times and prints each latency and the median as ratios to the worst-case bound. */
async function latencyRuns({ worstMs, bestMs }: Bounds, measure: (run: number) => Promise<number>): Promise<void> {
  const ratios: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const ms = await measure(run);
    ratios.push(ms / worstMs);
    console.log(`   run ${run}: ${seconds(ms)}, ratio to the worst-case bound ${(ms / worstMs).toFixed(2)}`);
  }
  console.log(`   median ratio to the worst-case bound ${median(ratios).toFixed(2)} (best case ${(bestMs / worstMs).toFixed(2)})`);
}

interface Bounds {
  worstMs: number;
  bestMs: number;
  /** The intervals and both bounds, for the section's heading. */
  text: string;
}

/**
 * What a latency is made of, its worst-case bound and its best case: the condition is scraped just
 * before an evaluation and, for a notification, Alertmanager flushes at once. That happens when it
 * still holds the group of the previous run's outage, which it flushes on its group_interval tick
 * rather than after group_wait; so the wait is at most the longer of the two.
 */
function bounds(s: Settings, pending: Duration, notified = false): Bounds {
  const { groupWait, groupInterval } = s.notifications;
  const wait = groupWait.seconds >= groupInterval.seconds ? { name: "group_wait", ...groupWait } : { name: "group_interval", ...groupInterval };
  const worstMs = worstCaseBoundMs(s, pending.seconds, notified ? wait.seconds : 0);
  const bestMs = pending.seconds * 1000;
  const parts = `scrape ${s.scrape.interval.text}, evaluation ${s.alerts.evaluationInterval.text}, pending ${pending.text}${notified ? `, ${wait.name} ${wait.text}` : ""}`;
  return {
    worstMs,
    bestMs,
    text: `${parts}; worst-case bound = scrape + evaluation + pending${notified ? ` + ${wait.name}` : ""} = ${seconds(worstMs)}, best case = pending = ${seconds(bestMs)}`,
  };
}


async function detectionLatency(stack: MonitoringStack): Promise<void> {
  const s = stack.settings;
  const bound = bounds(s, s.alerts.noConnectionsFor);
  console.log(`1) detection latency of ${ALERT_NAMES.noActiveConnections} (last client leaves -> Prometheus reports it firing): ${bound.text}`);
  const load = new LoadGenerator(stack.service.wsUrl);
  const total = queries(s).activeConnections;
  const noActive = async () => (await stack.prometheus.alerts()).find((a) => a.labels.alertname === ALERT_NAMES.noActiveConnections);
  const waitLimit = { timeoutMs: 3 * bound.worstMs };
  try {
    await latencyRuns(bound, async () => {
      await load.setConnections(CLIENTS_BEFORE_DROP);
      await pollUntil("clients counted", async () => (await stack.prometheus.query(total))[0]?.value, (v) => v === CLIENTS_BEFORE_DROP, waitLimit);
      await pollUntil("alert inactive before the drop", noActive, (a) => a === undefined, waitLimit);
      await randomPhase(s);
      await load.setConnections(0);
      return (await pollUntil("alert firing", noActive, (a) => a?.state === "firing", { ...waitLimit, intervalMs: 50 })).elapsedMs;
    });
  } finally {
    load.terminateAll();
  }
}

async function notificationLatency(stack: MonitoringStack, inbox: WebhookInbox): Promise<void> {
  const s = stack.settings;
  const bound = bounds(s, s.alerts.serviceDownFor, true);
  console.log(`2) outage-to-notification latency of ${ALERT_NAMES.serviceDown} (service killed -> webhook receives the firing notification): ${bound.text}`);
  const serviceDown = async () => (await stack.prometheus.alerts()).find((a) => a.labels.alertname === ALERT_NAMES.serviceDown);
  const timeoutMs = 3 * bound.worstMs;
  await latencyRuns(bound, async (run) => {
    if (run > 1) {
      // Back up between runs: the next outage starts from a resolved, notified alert.
      const restartedAt = Date.now();
      await stack.restartService();
      await inbox.waitFor(WEBHOOK_PATH, notifies(ALERT_NAMES.serviceDown, "resolved"), { since: restartedAt, timeoutMs });
    }
    await pollUntil("alert inactive before the outage", serviceDown, (a) => a === undefined, { timeoutMs });
    await randomPhase(s);
    const killedAt = Date.now();
    await stack.service.process.stop("SIGKILL");
    const n = await inbox.waitFor(WEBHOOK_PATH, notifies(ALERT_NAMES.serviceDown, "firing"), { since: killedAt, timeoutMs });
    return n.receivedAt - killedAt;
  });
}

async function pageLatency(stack: MonitoringStack, inbox: WebhookInbox): Promise<void> {
  const s = stack.settings;
  const slo = slos(s).find((x) => x.name === "availability")!;
  const [fastest] = slo.tiers;
  const crossingMs = sloCrossingMs(s, slo);
  const worstMs = sloPageBoundMs(s, slo);
  console.log(
    `3) outage-to-page latency of ${ALERT_NAMES.availabilityBudgetBurn} (/ws/health fails -> webhook receives the page), sloPeriod ${s.alerts.objectives.period.text}: ` +
      `the windows (${fastest.longSeconds}s and ${fastest.shortSeconds}s) cross ${fastest.factor}x after ${seconds(crossingMs)}; worst-case bound with scrape, evaluation, pending ${s.alerts.objectives.pageFor.text} and group_wait ${seconds(worstMs)}`,
  );
  const critical = { severity: "critical" };
  const page = notifies(ALERT_NAMES.availabilityBudgetBurn, "firing", critical);
  const resolved = notifies(ALERT_NAMES.availabilityBudgetBurn, "resolved", critical);
  const clearMs = sloPageClearMs(slo);
  const timeoutMs = 3 * (worstMs + clearMs);
  const ratios: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    await randomPhase(s);
    const failedAt = Date.now();
    await stack.service.setHealthy(false);
    const n = await inbox.waitFor(WEBHOOK_PATH, page, { since: failedAt, timeoutMs });
    const ms = n.receivedAt - failedAt;
    ratios.push(ms / crossingMs);
    console.log(`   run ${run}: ${seconds(ms)}, ratio to the crossing time ${(ms / crossingMs).toFixed(2)}, to the worst-case bound ${(ms / worstMs).toFixed(2)}`);
    // Healthy again, and the page resolved (its short windows clear), before the next outage.
    const recoveredAt = Date.now();
    await stack.service.setHealthy(true);
    await inbox.waitFor(WEBHOOK_PATH, resolved, { since: recoveredAt, timeoutMs });
  }
  console.log(`   median ratio to the crossing time ${median(ratios).toFixed(2)}`);
}

async function main(): Promise<void> {
  let help: boolean | undefined;
  try {
    ({ values: { help } } = parseArgs({ options: { help: { type: "boolean", short: "h" } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (help) {
    console.log(USAGE);
    return;
  }
  const inbox = await WebhookInbox.start();
  try {
    const stack = await startMonitoringStack({ alertmanagers: [{ secrets: { webhookUrl: inbox.url(WEBHOOK_PATH) } }] });
    try {
      await detectionLatency(stack);
      await notificationLatency(stack, inbox);
    } finally {
      await stack.stop();
    }
    // serviceDownFor far beyond each run's outage: the page measured is the objective's own, not held back as WebSocketServiceDown's (alerts/incident.ts).
    const objectives = await startMonitoringStack({ overrides: { ...SHORT_SLO_OVERRIDES, serviceDownFor: "60s" }, alertmanagers: [{ secrets: { webhookUrl: inbox.url(WEBHOOK_PATH) } }] });
    try {
      await pageLatency(objectives, inbox);
    } finally {
      await objectives.stop();
    }
    const heartbeat = { heartbeatUrl: inbox.url(HEARTBEAT_PATH) };
    const faulty = await startMonitoringStack({
      resendDelay: `${RESEND_DELAY_SECONDS}s`,
      secrets: heartbeat,
      alertmanagers: [{ overrides: { heartbeatInterval: `${HEARTBEAT_INTERVAL_MS / 1000}s` }, secrets: { webhookUrl: inbox.url(WEBHOOK_PATH), ...heartbeat } }],
    });
    try {
      await faultFigures(faulty, inbox);
    } finally {
      await faulty.stop();
    }
  } finally {
    await inbox.close();
  }
  await scrapeCost();
  await servicesCost();
  await engineCost();
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
