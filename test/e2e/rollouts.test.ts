/**
 * Deploys are not incidents, crashes are (issue 34), on real processes: four reference instances,
 * clients that reconnect to the others when theirs ends. A rolling restart of three of them
 * (SIGTERM: each drains, closes its clients with 1012 and stays scrapeable 2s, then comes back on
 * its port), once graceful and once with a storm the draining instances refuse (503): no page at
 * the webhook, none pending in Prometheus (with sloRolloutWindow 0s both rounds page), and no restart warning, while Prometheus sees the rollout (the dashboard's
 * annotation) and the refusals. Then the fourth killed with SIGKILL and started again within
 * serviceDownFor: WebSocketUnexpectedRestart (warning) for it; killed twice more: one page,
 * WebSocketServiceDown with reason crash_loop.
 * Stack: test/fixtures/Pulumi.e2e.yaml (scrape 1s, evaluation 2s), the objectives' 30d windows with
 * 2s pending periods, and the availability objective at 95%: a process restarted on its own port
 * fails its probes for a second, which a Kubernetes rollout (the old pod leaves the targets) does not.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import type { Settings } from "../../config/settings";
import { worstCaseBoundMs } from "../../harness/alertTiming";
import { deadlineMs } from "../../harness/bounds";
import { refusedUpgrades } from "../../harness/load";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { pollUntil } from "../../harness/poll";
import { sleep } from "../../harness/processes";
import { ReconnectingClients } from "../../harness/reconnectingClients";
import { startReferenceService, type ReferenceService } from "../../harness/servers";
import { WebhookInbox, firesIn, type Notification } from "../../harness/webhookInbox";
import { rolloutActive } from "../../slo/rollouts";

const PATH = "/alerts";
/** Room to spare: an instance at its limit would refuse the upgrade probe (WebSocketServiceDown, upgrade_failed), a page of its own. */
const LIMIT = 200;
const DRAIN_SECONDS = 2;
/** Longer than a restart on its own port takes on a busy machine (drain, then tsx starting the service). */
const SERVICE_DOWN_FOR = "30s";

describe("rollouts and crashes on real processes", { timeout: 280_000 }, () => {
  let inbox: WebhookInbox;
  let stack: MonitoringStack;
  let settings: Settings;
  let instances: ReferenceService[];
  const restarted: ReferenceService[] = [];
  let clients: ReconnectingClients | undefined;

  before(async () => {
    inbox = await WebhookInbox.start();
    stack = await startMonitoringStack({
      instances: { count: 4, maxConnections: LIMIT, drainSeconds: DRAIN_SECONDS },
      overrides: {
        exposesUpgrades: "true",
        exposesCloseCodes: "true",
        serviceDownFor: SERVICE_DOWN_FOR,
        sloPageFor: "2s",
        sloTicketFor: "2s",
        sloRolloutWindow: "20s",
        sloAvailabilityObjective: "95",
      },
      resendDelay: "1s",
      alertmanagers: [{ secrets: { webhookUrl: inbox.url(PATH) } }],
    });
    settings = stack.alertmanagers[0].settings;
    instances = [...stack.referenceServices];
  });

  after(async () => {
    await clients?.stop();
    for (const r of restarted) await r.process.stop("SIGKILL");
    await stack?.stop();
    await inbox?.close();
  });

  /** Long enough for any page to arrive: a scrape, an evaluation, the longest pending period, group_wait. */
  const quietMs = () => deadlineMs(worstCaseBoundMs(settings, settings.alerts.objectives.pageFor.seconds + 2, settings.notifications.groupWait.seconds));
  const critical = (since: number) => inbox.at(PATH).filter((n) => n.receivedAt >= since && n.alerts.some((a) => a.status === "firing" && a.labels.severity === "critical"));
  const restartWarnings = (since: number) => inbox.at(PATH).filter((n) => n.receivedAt >= since && firesIn(ALERT_NAMES.unexpectedRestart)(n));
  const describeAll = (ns: Notification[]) => ns.map((n) => n.alerts.map((a) => `${a.labels.alertname}/${a.labels.severity}/${a.labels.reason ?? ""}/${a.status}: ${a.annotations.description}`).join(",")).join("; ");

  /** Instance `i` stopped with `signal` and started again on its port, until Prometheus has scraped the new process; `during` runs while it drains. */
  async function restart(i: number, signal: NodeJS.Signals, during?: () => Promise<void>): Promise<void> {
    const old = instances[i];
    const started = `process_start_time_seconds{job="${settings.scrape.jobName}", instance="${old.address}"}`;
    const [before] = await stack.prometheus.query(started);
    await Promise.all([old.process.stop(signal), during?.()]);
    const next = await startReferenceService(Number(new URL(old.url).port), "127.0.0.1", LIMIT, DRAIN_SECONDS);
    restarted.push(next);
    instances[i] = next;
    await pollUntil(`a new start time of ${old.address} scraped`, async () => (await stack.prometheus.query(started))[0]?.value, (v) => v !== undefined && v !== before?.value, { timeoutMs: deadlineMs(2000) });
  }

  /**
   * The objectives' pages that went pending or fired in Prometheus since `since`: Alertmanager may
   * hold a page back (WebSocketServiceOutage, while one instance after another is down), Prometheus' ALERTS do not.
   */
  async function objectivePagesSince(since: number): Promise<string[]> {
    const range = `${Math.ceil((Date.now() - since) / 1000)}s`;
    const expr = `max by (alertname, alertstate) (max_over_time(ALERTS{alertname=~"${ALERT_NAMES.handshakeBudgetBurn}|${ALERT_NAMES.connectionsBudgetBurn}", severity="critical"}[${range}]))`;
    return (await stack.prometheus.query(expr)).map((x) => `${x.labels.alertname} ${x.labels.alertstate}`);
  }

  async function rollingRestart(storm: boolean): Promise<void> {
    for (const i of [0, 1, 2]) {
      // The storm: upgrades still routed to the draining instance, refused with 503 (and tried again elsewhere).
      const refuse = storm ? async () => {
        const refusing = refusedUpgrades(instances[i].wsUrl);
        await sleep(DRAIN_SECONDS * 1000 - 500);
        await refusing.stop();
      } : undefined;
      await restart(i, "SIGTERM", refuse);
      // Rollout seen by Prometheus (once it scraped the new process): what the dashboard's Rollouts annotation queries.
      await pollUntil("the rollout seen by Prometheus", async () => (await stack.prometheus.query(rolloutActive(settings))).length, (n) => n === 1, { timeoutMs: deadlineMs(2000) });
    }
    await clients!.allConnected(40);
  }

  test("a graceful rolling restart: clients move to the others, the rollout is seen, no page and no restart warning", async () => {
    clients = new ReconnectingClients(instances.map((r) => r.wsUrl), 40);
    await clients.allConnected(40);
    const since = Date.now();
    await rollingRestart(false);
    await sleep(quietMs());
    assert.ok(clients.dropped >= 20, `only ${clients.dropped} clients saw their instance go`);
    assert.deepEqual(describeAll(critical(since)), "", "a graceful rollout paged");
    assert.deepEqual(await objectivePagesSince(since), [], "an objective's page went pending in Prometheus");
    assert.deepEqual(describeAll(restartWarnings(since)), "", "a drained restart was taken for a crash");
  });

  test("a rolling restart with a reconnect storm the draining instances refuse: no page, no restart warning", async () => {
    const since = Date.now();
    await rollingRestart(true);
    // Refusals there were, more than the handshake objective's page allows when every one counts.
    const m = settings.metrics.upgradesTotal;
    const [refused] = await stack.prometheus.query(`sum(increase(${m}{job="${settings.scrape.jobName}", outcome="rejected"}[1m]))`);
    assert.ok(refused && refused.value >= 10, `refused upgrades over the storm: ${refused?.value}`);
    await sleep(quietMs());
    assert.deepEqual(describeAll(critical(since)), "", "a rollout's reconnect storm paged");
    assert.deepEqual(await objectivePagesSince(since), [], "an objective's page went pending in Prometheus");
    assert.deepEqual(describeAll(restartWarnings(since)), "", "a drained restart was taken for a crash");
  });

  test("one instance killed (SIGKILL) and back within serviceDownFor: WebSocketUnexpectedRestart for it, a warning", async () => {
    const since = Date.now();
    await restart(3, "SIGKILL");
    const warned = await inbox.waitFor(PATH, firesIn(ALERT_NAMES.unexpectedRestart), { since, timeoutMs: deadlineMs(worstCaseBoundMs(settings, 4, settings.notifications.groupWait.seconds)) });
    const alert = warned.alerts.find((a) => a.labels.alertname === ALERT_NAMES.unexpectedRestart)!;
    assert.deepEqual([alert.labels.severity, alert.labels.instance], ["warning", instances[3].address]);
    assert.deepEqual(describeAll(critical(since)), "", "a crash restarted within serviceDownFor paged");
  });

  test("killed twice more: a crash loop, one page (WebSocketServiceDown, crash_loop)", async () => {
    const since = Date.now();
    await restart(3, "SIGKILL");
    await restart(3, "SIGKILL");
    const bound = deadlineMs(worstCaseBoundMs(settings, settings.alerts.serviceDownFor.seconds, settings.notifications.groupWait.seconds));
    await inbox.waitFor(PATH, (n) => n.alerts.some((a) => a.status === "firing" && a.labels.alertname === ALERT_NAMES.serviceDown && a.labels.reason === "crash_loop"), { since, timeoutMs: bound });
    const paged = new Set(critical(since).flatMap((n) => n.alerts.filter((a) => a.status === "firing" && a.labels.severity === "critical").map((a) => a.labels.alertname)));
    assert.deepEqual([...paged], [ALERT_NAMES.serviceDown]);
  });
});
