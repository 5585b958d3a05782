/**
 * What reaches the on-call engineer, on real processes: reference service -> Prometheus (rendered
 * rules) -> Alertmanager (rendered alertmanager.yml) -> a Slack stand-in (HTTP, Slack's incoming
 * webhook JSON) and a real SMTP server. Each firing and resolved Slack message and e-mail must say
 * what alerts/messages.ts promises. Stack: test/fixtures/Pulumi.e2e.yaml.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { alertDefinitions } from "../../alerts/definitions";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { dashboardBaseUrl, dashboardLeadMs } from "../../alerts/messages";
import type { Settings } from "../../config/settings";
import { worstCaseBoundMs } from "../../harness/alertTiming";
import { deadlineMs } from "../../harness/bounds";
import { LoadGenerator } from "../../harness/load";
import { MailInbox, SlackInbox, type ReceivedMessage } from "../../harness/messageInboxes";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { checkMessage, type ExpectedAlert } from "../support/messageChecks";

/** How far the dashboard link reaches past a resolved alert's end (alerts/messages.ts). */
const AFTER_MS = 600_000;
/** Clock slack between Prometheus' timestamps and the test's. */
const SLACK_MS = 3_000;

describe("what reaches the on-call engineer: Prometheus -> Alertmanager -> Slack and e-mail, on real processes", { timeout: 180_000 }, () => {
  let slack: SlackInbox;
  let mail: MailInbox;
  let stack: MonitoringStack;
  let settings: Settings;
  let load: LoadGenerator | undefined;

  before(async () => {
    [slack, mail] = await Promise.all([SlackInbox.start(), MailInbox.start()]);
    stack = await startMonitoringStack({
      // A few clients exceed the limit: WebSocketConnectionsAboveThreshold, whose description carries the count.
      overrides: { connectionsWarning: "1", connectionsMax: "2" },
      alertmanagers: [
        {
          overrides: {
            criticalReceivers: '["slack","email"]',
            warningReceivers: '["slack","email"]',
            emailAddresses: '["oncall@example.com"]',
            smtpHost: mail.address,
            smtpRequireTls: "false",
            smtpFromAddress: "alertmanager@example.com",
          },
          secrets: { slackWebhookUrl: slack.url },
        },
      ],
    });
    settings = stack.alertmanagers[0].settings;
  });

  after(async () => {
    load?.terminateAll();
    await stack?.stop();
    await Promise.all([slack?.close(), mail?.close()]);
  });

  function expected(alertname: string, status: ExpectedAlert["status"], description: RegExp): ExpectedAlert {
    const a = alertDefinitions(settings).find((d) => d.name === alertname)!;
    return { status, alertname, severity: a.labels.severity, environment: settings.environment, service: settings.scrape.jobName, summary: a.summary, description, runbookUrl: a.runbookUrl };
  }

  /**
   * Waits for the Slack message and the e-mail about `alert` in its status, then checks both; the
   * dashboard link starts before the alert fired and, once resolved, ends after it resolved.
   */
  async function assertDelivered(alert: ExpectedAlert, { since, timeoutMs }: { since: number; timeoutMs: number }): Promise<void> {
    const about = (m: ReceivedMessage) => m.title.startsWith(`[${alert.status.toUpperCase()}`) && m.title.includes(` ${alert.alertname} `);
    const [slackMessage, email] = await Promise.all([slack.waitFor(about, { since, timeoutMs }), mail.waitFor(about, { since, timeoutMs })]);
    for (const [where, m] of [["Slack", slackMessage], ["e-mail", email]] as const) {
      const { problems, range } = checkMessage(settings, m, alert);
      assert.deepEqual(problems, [], `${where} ${alert.status} ${alert.alertname}:\n${m.title}\n${m.text}\n${m.html ?? ""}`);
      const lead = dashboardLeadMs(settings);
      assert.ok(range!.from <= m.receivedAt - lead + SLACK_MS, `${where}: the dashboard range starts ${range!.from}, after the alert fired less ${lead} ms`);
      if (range!.to !== "now") assert.ok(range!.to >= since + AFTER_MS - SLACK_MS && range!.to <= m.receivedAt + AFTER_MS + SLACK_MS, `${where}: the range ends at ${range!.to}, not after the resolution`);
    }
    assert.ok(slackMessage.titleLink?.startsWith(`${dashboardBaseUrl(settings)}?from=`), `Slack title link ${slackMessage.titleLink}`);
  }

  test("too many connections: firing, then resolved, on Slack and by e-mail, the description carrying the count", async () => {
    const firingSince = Date.now();
    load = new LoadGenerator(stack.service.wsUrl);
    await load.setConnections(3);
    const pending = settings.alerts.aboveThresholdFor.seconds;
    const firing = deadlineMs(worstCaseBoundMs(settings, pending, settings.notifications.groupWait.seconds));
    await assertDelivered(expected(ALERT_NAMES.aboveThreshold, "firing", /holds 3 open WebSocket connections, above the limit of 2/), { since: firingSince, timeoutMs: firing });

    const resolvedSince = Date.now();
    await load.setConnections(0);
    const resolved = deadlineMs(worstCaseBoundMs(settings, 0, settings.notifications.groupInterval.seconds));
    await assertDelivered(expected(ALERT_NAMES.aboveThreshold, "resolved", /holds 3 open WebSocket connections/), { since: resolvedSince, timeoutMs: resolved });
  });

  test("unhealthy service: WebSocketServiceDown firing, then resolved, on Slack and by e-mail, the description carrying the reason", async () => {
    const firingSince = Date.now();
    await stack.service.setHealthy(false);
    const firing = deadlineMs(worstCaseBoundMs(settings, settings.alerts.serviceDownFor.seconds, settings.notifications.groupWait.seconds));
    const description = /not healthy or not visible for 2s: health_failed \(job .+, instance .+\)/;
    await assertDelivered(expected(ALERT_NAMES.serviceDown, "firing", description), { since: firingSince, timeoutMs: firing });

    const resolvedSince = Date.now();
    await stack.service.setHealthy(true);
    const resolved = deadlineMs(worstCaseBoundMs(settings, 0, settings.notifications.groupInterval.seconds));
    await assertDelivered(expected(ALERT_NAMES.serviceDown, "resolved", description), { since: resolvedSince, timeoutMs: resolved });
  });
});
