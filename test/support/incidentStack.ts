/**
 * The stack of the one-incident-one-page tests (test/e2e/incident*.test.ts): the e2e stack with
 * the objectives shortened, every hour operational, clients connected, and what each test checks
 * of an outage: Grafana's held queries, the availability page in Prometheus, the resolved
 * notification, and what the critical receiver got in all.
 */
import assert from "node:assert/strict";
import { alertDefinitions } from "../../alerts/definitions";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { grafanaRuleGroups } from "../../alerts/grafana";
import { SHORT_SLO_OVERRIDES, sloPageBoundMs, sloPageClearMs, worstCaseBoundMs } from "../../harness/alertTiming";
import { deadlineMs, stretched } from "../../harness/bounds";
import { LoadGenerator } from "../../harness/load";
import { pollUntil } from "../../harness/poll";
import { sleep } from "../../harness/processes";
import { pages, type Notification } from "../../harness/webhookInbox";
import { InboxStack, type InboxStackParts } from "./inboxStack";
import { slos } from "../../slo/model";

const PATH = "/alerts";
export const CLIENTS = 3;
/** How often Prometheus' alerts and Grafana's queries are sampled: every half evaluation (2s). */
export const SAMPLE_MS = 1000;

export class IncidentStack extends InboxStack {
  private constructor(
    parts: InboxStackParts,
    public load: LoadGenerator,
  ) {
    super(parts);
  }

  static async start(): Promise<IncidentStack> {
    const parts = await InboxStack.parts(PATH, (webhookUrl) => ({
      // The page comes after the outage has lasted serviceDownFor, as with the defaults (2m against 1m).
      // sloPeriod 6h: the page's short windows (3s, 15s) clear soon after recovery, so the aftermath is short too.
      // Every hour operational: WebSocketNoActiveConnections would page whenever the test runs, unless held.
      overrides: { ...SHORT_SLO_OVERRIDES, sloPeriod: "6h", sloPageFor: "10s", noConnectionsFor: "10s", operationalDays: '["monday:sunday"]', operationalStart: "00:00", operationalEnd: "24:00" },
      resendDelay: "1s",
      // group_wait longer than a scrape and an evaluation: the outage's reasons (scrape and probes) arrive together.
      alertmanagers: [{ overrides: { groupWait: "4s", groupInterval: "5s" }, secrets: { webhookUrl } }],
    }));
    const load = new LoadGenerator(parts.stack.service.wsUrl);
    await load.setConnections(CLIENTS);
    return new IncidentStack(parts, load);
  }

  async stop(): Promise<void> {
    this.load.terminateAll();
    await super.stop();
  }

  /** The critical rule `name` as Grafana queries it (held while the outage explains it), and without the hold. */
  grafanaQueries(name: string): { held: string; unheld: string } {
    const isIt = (r: { name: string; labels: Record<string, string> }) => r.name === name && r.labels.severity === "critical";
    const rule = grafanaRuleGroups(this.settings)[0].rules.find(isIt)!;
    return { held: (rule.datas[0].model as { expr: string }).expr, unheld: alertDefinitions(this.settings).find((a) => isIt({ name: a.name, labels: a.labels }))!.query };
  }

  /** Prometheus' alerts firing now, by name: the pages and those that tell no one, not the tickets (an objective's page and ticket share a name). */
  async firing(): Promise<Set<string>> {
    return new Set((await this.stack.prometheus.alerts()).filter((a) => a.state === "firing" && a.labels.severity !== "warning").map((a) => a.labels.alertname));
  }

  /** Until `check` (sampled every SAMPLE_MS) says the outage's page fires, within the page's bound. */
  async untilPaged(what: string, check: () => Promise<boolean>): Promise<void> {
    const bound = sloPageBoundMs(this.settings, this.availability());
    await pollUntil(what, check, (yes) => yes, { timeoutMs: deadlineMs(bound), intervalMs: SAMPLE_MS });
  }

  /** The resolved WebSocketServiceDown after `backAt`, then the aftermath: until the availability page (sampled by `sample`) is clear in Prometheus. */
  async recovered(backAt: number, sample: () => Promise<unknown> = async () => undefined): Promise<Notification> {
    const resolved = await this.inbox.waitFor(PATH, (n) => n.status === "resolved" && n.alerts.every((a) => a.labels.alertname === ALERT_NAMES.serviceDown), {
      since: backAt,
      timeoutMs: deadlineMs(worstCaseBoundMs(this.settings, 0, this.settings.notifications.groupInterval.seconds)),
    });
    const pageFiring = async () => (await sample(), (await this.firing()).has(ALERT_NAMES.availabilityBudgetBurn));
    await pollUntil("the availability page to clear in Prometheus", pageFiring, (yes) => !yes, {
      timeoutMs: deadlineMs(sloPageClearMs(this.availability()) + worstCaseBoundMs(this.settings, 0)),
      intervalMs: SAMPLE_MS,
    });
    return resolved;
  }

  /** After a group interval for whatever was still to flush: the critical receiver got one page and one all-clear since `since`, all WebSocketServiceDown. */
  async assertOnePage(since: number): Promise<void> {
    await sleep(this.settings.notifications.groupInterval.seconds * 1000 + stretched(2000));
    const critical = this.inbox.at(PATH).filter((n) => n.receivedAt >= since && n.alerts.some((a) => a.labels.severity === "critical"));
    const seen = critical.map((n) => `${n.status}: ${n.alerts.map((a) => `${a.labels.alertname}/${a.status}`).join(", ")}`).join("\n");
    // One page; between it and the all-clear at most updates of the same group (part of it resolved first).
    assert.equal(pages(critical).length, 1, `critical notifications since the outage began:\n${seen}`);
    assert.deepEqual(critical.filter((n) => n.status === "resolved").length, 1, seen);
    assert.equal(critical.at(-1)!.status, "resolved", seen);
    for (const n of critical) assert.ok(n.alerts.every((a) => a.labels.alertname === ALERT_NAMES.serviceDown), seen);
  }

  private availability() {
    return slos(this.settings).find((s) => s.name === "availability")!;
  }
}
