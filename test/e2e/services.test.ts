/**
 * Two services in one stack, on real processes (test/fixtures/Pulumi.e2e.yaml with `services`:
 * chat and presence, a reference service each, one Prometheus, one Alertmanager): each service's
 * dashboard shows its own clients; killing one pages for that one only, its Slack message saying
 * which in the title and the summary, and its recovery resolves it; the other is never notified.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ALERT_NAMES, runbookUrl } from "../../alerts/vocabulary";
import { PANEL_TITLES } from "../../dashboards/websocket";
import { worstCaseBoundMs } from "../../harness/alertTiming";
import { deadlineMs } from "../../harness/bounds";
import { LoadGenerator } from "../../harness/load";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { pollUntil } from "../../harness/poll";
import { startReferenceService, type ReferenceService } from "../../harness/servers";
import { SlackInbox } from "../../harness/messageInboxes";
import { WebhookInbox, firesIn, notifies, type Notification } from "../../harness/webhookInbox";
import { checkMessage } from "../support/messageChecks";
import { panelQuery } from "../support/dashboardQueries";

const PATH = "/alerts";
const CLIENTS = { chat: 3, presence: 5 };

describe("two services in one stack", { timeout: 180_000 }, () => {
  let inbox: WebhookInbox;
  let slack: SlackInbox;
  let stack: MonitoringStack;
  const loads: LoadGenerator[] = [];
  let restarted: ReferenceService | undefined;

  before(async () => {
    [inbox, slack] = await Promise.all([WebhookInbox.start(), SlackInbox.start()]);
    stack = await startMonitoringStack({
      services: Object.keys(CLIENTS),
      resendDelay: "1s",
      alertmanagers: [{ overrides: { groupInterval: "5s", criticalReceivers: '["webhook","slack"]' }, secrets: { webhookUrl: inbox.url(PATH), slackWebhookUrl: slack.url } }],
    });
    await Promise.all(Object.values(CLIENTS).map((n, i) => newLoad(stack.referenceServices[i]).setConnections(n)));
  });

  after(async () => {
    for (const load of loads) load.terminateAll();
    await restarted?.process.stop();
    await stack?.stop();
    await Promise.all([inbox?.close(), slack?.close()]);
  });

  function newLoad(service: ReferenceService): LoadGenerator {
    const load = new LoadGenerator(service.wsUrl);
    loads.push(load);
    return load;
  }

  const ofService = (name: string) => (n: Notification) => n.alerts.some((a) => a.labels.service === name);

  test("each service's dashboard shows its own clients", async () => {
    for (const [i, s] of stack.services.entries()) {
      const gauge = panelQuery(s, "1m", PANEL_TITLES.activeConnections).expr;
      const expected = Object.values(CLIENTS)[i];
      await pollUntil(`${s.service.name}'s gauge showing ${expected}`, async () => (await stack.prometheus.query(gauge)).map((x) => x.value), (v) => v.length === 1 && v[0] === expected, {
        timeoutMs: deadlineMs(worstCaseBoundMs(s, 0)),
      });
    }
  });

  test("presence killed: WebSocketServiceDown pages for presence only, its Slack title and summary naming it; back: resolved; chat is never notified", async () => {
    const s = stack.alertmanagers[0].settings;
    const deadline = deadlineMs(worstCaseBoundMs(s, s.alerts.serviceDownFor.seconds, s.notifications.groupInterval.seconds));
    const presence = stack.referenceServices[1];
    await quiet(deadline);
    const since = Date.now();
    loads[1].terminateAll();
    await presence.process.stop("SIGKILL");
    const page = await inbox.waitFor(PATH, (n) => firesIn(ALERT_NAMES.serviceDown)(n) && ofService("presence")(n), { since, timeoutMs: deadline });
    assert.deepEqual([...new Set(page.alerts.map((a) => a.labels.service))], ["presence"], `one group per service: ${inbox.summary()}`);
    const message = await slack.waitFor((m) => m.title.startsWith("[FIRING") && m.title.includes(` ${ALERT_NAMES.serviceDown} `), { since, timeoutMs: deadline });
    const summary = `WebSocket service presence down or not monitored in ${s.environment}`;
    const expected = { status: "firing" as const, alertname: ALERT_NAMES.serviceDown, severity: "critical", environment: s.environment, service: "presence", summary, description: /_failed|_missing/, runbookUrl: runbookUrl(stack.services[1], ALERT_NAMES.serviceDown) };
    assert.deepEqual(checkMessage(stack.services[1], message, expected).problems, [], `${message.title}\n${message.text}`);

    const back = Date.now();
    restarted = await startReferenceService(Number(new URL(presence.url).port));
    await newLoad(restarted).setConnections(CLIENTS.presence);
    await inbox.waitFor(PATH, notifies(ALERT_NAMES.serviceDown, "resolved", { service: "presence" }), { since: back, timeoutMs: deadline });
    assert.deepEqual(inbox.at(PATH).filter((n) => n.receivedAt >= since && ofService("chat")(n)), [], `chat was notified: ${inbox.summary()}`);
  });

  /**
   * No WebSocketServiceDown pending or firing, and none of its groups' last notification a firing
   * one: a busy machine can make it fire at the stack's start, before the first scrapes.
   */
  async function quiet(timeoutMs: number): Promise<void> {
    const active = async () => (await stack.prometheus.alerts()).filter((a) => a.labels.alertname === ALERT_NAMES.serviceDown).length;
    await pollUntil("WebSocketServiceDown neither pending nor firing", active, (n) => n === 0, { timeoutMs });
    const lastOf = (name: string) => inbox.at(PATH).filter((n) => ofService(name)(n) && n.alerts.some((a) => a.labels.alertname === ALERT_NAMES.serviceDown)).at(-1)?.status;
    const lasts = async () => Object.keys(CLIENTS).map(lastOf);
    await pollUntil("each service's last WebSocketServiceDown notification a resolved one", lasts, (s) => !s.includes("firing"), { timeoutMs });
  }
});
