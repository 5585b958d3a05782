/**
 * One incident, one page, on real processes (alerts/incident.ts): the service killed while three
 * clients are connected. WebSocketServiceDown pages; the availability objective's page fires in
 * Prometheus too, during the outage and after it, but Alertmanager holds it back; the critical
 * receiver gets exactly one firing notification and, after recovery, one resolved. Grafana's rules
 * (which carry the hold in their queries) are sent to the same Prometheus all along: the page's
 * condition must never hold. Then /ws/health failing while every client leaves: the same one page
 * and one all-clear, while WebSocketNoActiveConnections fires in Prometheus (held back by
 * Alertmanager) and Grafana's held query for it returns nothing. Stack:
 * test/fixtures/Pulumi.e2e.yaml with the objectives shortened and every hour operational.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ALERT_NAMES, alertDefinitions } from "../../alerts/definitions";
import { grafanaRuleGroups } from "../../alerts/grafana";
import type { Settings } from "../../config/settings";
import { SHORT_SLO_OVERRIDES, sloPageBoundMs, sloPageClearMs, worstCaseBoundMs } from "../../harness/alertTiming";
import { deadlineMs, stretched } from "../../harness/bounds";
import { LoadGenerator } from "../../harness/load";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { pollUntil } from "../../harness/poll";
import { sleep } from "../../harness/processes";
import { WebhookInbox, pages } from "../../harness/webhookInbox";
import { slos } from "../../slo/model";

const PATH = "/alerts";
const CLIENTS = 3;
/** How often Prometheus' alerts and Grafana's queries are sampled: every half evaluation (2s). */
const SAMPLE_MS = 1000;

describe("one incident, one page: the service killed, or unhealthy with its clients gone", { timeout: 360_000 }, () => {
  let inbox: WebhookInbox;
  let stack: MonitoringStack;
  let settings: Settings;
  let load: LoadGenerator;

  before(async () => {
    inbox = await WebhookInbox.start();
    stack = await startMonitoringStack({
      // The page comes after the outage has lasted serviceDownFor, as with the defaults (2m against 1m).
      // sloPeriod 6h: the page's short windows (3s, 15s) clear soon after recovery, so the aftermath is short too.
      // Every hour operational: WebSocketNoActiveConnections would page whenever the test runs, unless held.
      overrides: { ...SHORT_SLO_OVERRIDES, sloPeriod: "6h", sloPageFor: "10s", noConnectionsFor: "10s", operationalDays: '["monday:sunday"]', operationalStart: "00:00", operationalEnd: "24:00" },
      resendDelay: "1s",
      // group_wait longer than a scrape and an evaluation: the outage's reasons (scrape and probes) arrive together.
      alertmanagers: [{ overrides: { groupWait: "4s", groupInterval: "5s" }, secrets: { webhookUrl: inbox.url(PATH) } }],
    });
    settings = stack.alertmanagers[0].settings;
    load = new LoadGenerator(stack.service.wsUrl);
    await load.setConnections(CLIENTS);
  });

  after(async () => {
    load?.terminateAll();
    await stack?.stop();
    await inbox?.close();
  });

  /** The availability page as Grafana would query it (held while the outage explains it), and without the hold. */
  function pageQueries(): { held: string; unheld: string } {
    const isPage = (r: { name: string; labels: Record<string, string> }) => r.name === ALERT_NAMES.availabilityBudgetBurn && r.labels.severity === "critical";
    const rule = grafanaRuleGroups(settings)[0].rules.find(isPage)!;
    return { held: (rule.datas[0].model as { expr: string }).expr, unheld: alertDefinitions(settings).find((a) => isPage({ name: a.name, labels: a.labels }))!.query };
  }

  /** After a group interval for whatever was still to flush: the critical receiver got one page and one all-clear since `since`, all WebSocketServiceDown. */
  async function assertOnePage(since: number): Promise<void> {
    await sleep(settings.notifications.groupInterval.seconds * 1000 + stretched(2000));
    const critical = inbox.at(PATH).filter((n) => n.receivedAt >= since && n.alerts.some((a) => a.labels.severity === "critical"));
    const seen = critical.map((n) => `${n.status}: ${n.alerts.map((a) => `${a.labels.alertname}/${a.status}`).join(", ")}`).join("\n");
    // One page; between it and the all-clear at most updates of the same group (part of it resolved first).
    assert.equal(pages(critical).length, 1, `critical notifications since the outage began:\n${seen}`);
    assert.deepEqual(critical.filter((n) => n.status === "resolved").length, 1, seen);
    assert.equal(critical.at(-1)!.status, "resolved", seen);
    for (const n of critical) assert.ok(n.alerts.every((a) => a.labels.alertname === ALERT_NAMES.serviceDown), seen);
  }

  const pageFiring = async () =>
    (await stack.prometheus.alerts()).some((a) => a.labels.alertname === ALERT_NAMES.availabilityBudgetBurn && a.labels.severity === "critical" && a.state === "firing");

  test(`killed with ${CLIENTS} clients, back with them: one firing and one resolved notification at the critical receiver, both WebSocketServiceDown`, async (t) => {
    const availability = slos(settings).find((s) => s.name === "availability")!;
    // Grafana's queries at each poll: how many series the held one and the one without the hold return.
    const samples: [number, number][] = [];
    const { held, unheld } = pageQueries();
    const sampleGrafana = async () => samples.push([(await stack.prometheus.query(held)).length, (await stack.prometheus.query(unheld)).length]);

    const since = Date.now();
    await stack.service.process.stop("SIGKILL");
    load.terminateAll();
    // The page fires in Prometheus (the rules are unchanged): without the inhibition it would be sent.
    await pollUntil("WebSocketAvailabilityBudgetBurn (critical) firing in Prometheus", async () => (await sampleGrafana(), pageFiring()), (yes) => yes, {
      timeoutMs: deadlineMs(sloPageBoundMs(settings, availability)),
      intervalMs: SAMPLE_MS,
    });

    const backAt = Date.now();
    await stack.restartService();
    load = new LoadGenerator(stack.service.wsUrl);
    await load.setConnections(CLIENTS);
    const resolved = await inbox.waitFor(PATH, (n) => n.status === "resolved" && n.alerts.every((a) => a.labels.alertname === ALERT_NAMES.serviceDown), {
      since: backAt,
      timeoutMs: deadlineMs(worstCaseBoundMs(settings, 0, settings.notifications.groupInterval.seconds)),
    });
    t.diagnostic(`resolved notified ${resolved.receivedAt - backAt} ms after the service was back`);
    // The aftermath: the page keeps firing in Prometheus until its short windows are clear.
    await pollUntil("the availability page to clear in Prometheus", async () => (await sampleGrafana(), pageFiring()), (yes) => !yes, {
      timeoutMs: deadlineMs(sloPageClearMs(availability) + worstCaseBoundMs(settings, 0)),
      intervalMs: SAMPLE_MS,
    });
    await assertOnePage(since);
    const text = samples.map(([h, u]) => `${h}/${u}`).join(" ");
    assert.ok(samples.every(([h]) => h === 0), `Grafana's page query returned series although held (held/unheld per sample): ${text}`);
    assert.ok(samples.some(([, u]) => u > 0), `without the hold Grafana's page query never held either, so the hold was not tested: ${text}`);
  });

  test(`health failing and every client gone, back with them: one page and one all-clear, both WebSocketServiceDown, while WebSocketNoActiveConnections fires in Prometheus`, async (t) => {
    const availability = slos(settings).find((s) => s.name === "availability")!;
    const noActive = alertDefinitions(settings).find((a) => a.name === ALERT_NAMES.noActiveConnections)!;
    const held = (grafanaRuleGroups(settings)[0].rules.find((r) => r.name === noActive.name)!.datas[0].model as { expr: string }).expr;
    // While Prometheus has it firing (so its condition held for noConnectionsFor), Grafana's held query must return nothing.
    const whileFiring: number[] = [];
    const sample = async () => {
      const firing = new Set((await stack.prometheus.alerts()).filter((a) => a.state === "firing").map((a) => a.labels.alertname));
      if (firing.has(noActive.name)) whileFiring.push((await stack.prometheus.query(held)).length);
      return firing.has(noActive.name) && (await pageFiring());
    };

    const since = Date.now();
    await stack.service.setHealthy(false);
    // Closed cleanly: the connections objective sees normal closes, not an incident of its own.
    await load.setConnections(0);
    await pollUntil("WebSocketNoActiveConnections and the availability page firing in Prometheus", sample, (yes) => yes, {
      timeoutMs: deadlineMs(sloPageBoundMs(settings, availability)),
      intervalMs: SAMPLE_MS,
    });
    // Long enough for Alertmanager to have sent them, were they not held: group_wait and a group interval.
    const n = settings.notifications;
    const until = Date.now() + (n.groupWait.seconds + n.groupInterval.seconds) * 1000 + stretched(2000);
    while (Date.now() < until) await Promise.all([sample(), sleep(SAMPLE_MS)]);

    // The clients first: a count that stays at zero after recovery would be news again.
    load = new LoadGenerator(stack.service.wsUrl);
    await load.setConnections(CLIENTS);
    const backAt = Date.now();
    await stack.service.setHealthy(true);
    const resolved = await inbox.waitFor(PATH, (n) => n.status === "resolved" && n.alerts.every((a) => a.labels.alertname === ALERT_NAMES.serviceDown), {
      since: backAt,
      timeoutMs: deadlineMs(worstCaseBoundMs(settings, 0, settings.notifications.groupInterval.seconds)),
    });
    t.diagnostic(`resolved notified ${resolved.receivedAt - backAt} ms after health was back`);
    await pollUntil("the availability page to clear in Prometheus", pageFiring, (yes) => !yes, {
      timeoutMs: deadlineMs(sloPageClearMs(availability) + worstCaseBoundMs(settings, 0)),
      intervalMs: SAMPLE_MS,
    });
    await assertOnePage(since);
    assert.ok(whileFiring.length > 0 && whileFiring.every((n) => n === 0), `Grafana's held WebSocketNoActiveConnections query while it fired in Prometheus (series per sample): ${whileFiring.join(" ")}`);
  });
});
