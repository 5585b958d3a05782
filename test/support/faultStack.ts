/**
 * The stack the fault tests break (test/fixtures/Pulumi.e2e.yaml, Prometheus re-sending firing
 * alerts every 1s, one Alertmanager notifying a webhook inbox), with what they share: the
 * WebSocketServiceDown notifications, a quiet start for each test, and recovery.
 */
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { worstCaseBoundMs } from "../../harness/alertTiming";
import { deadlineMs } from "../../harness/bounds";
import { pollUntil } from "../../harness/poll";
import { firesIn, notifies, pages, type Notification } from "../../harness/webhookInbox";
import { InboxStack, type InboxStackParts } from "./inboxStack";

export const ALERTS = "/alerts";
/**
 * Longer than the fixture's 1s: a flush's deliveries must finish within group_interval, and a
 * delivery that a busy machine answers after that is retried: a duplicate that no real stack,
 * with minutes between flushes, would send.
 */
const GROUP_INTERVAL = "5s";

export class FaultStack extends InboxStack {
  /** The deadline of a WebSocketServiceDown notification, firing or resolved. */
  readonly deadline: number;

  private constructor(parts: InboxStackParts) {
    super(parts);
    const s = parts.settings;
    this.deadline = deadlineMs(worstCaseBoundMs(s, s.alerts.serviceDownFor.seconds, s.notifications.groupInterval.seconds));
  }

  static async start(): Promise<FaultStack> {
    return new FaultStack(
      await InboxStack.parts(ALERTS, (webhookUrl) => ({
        resendDelay: "1s",
        alertmanagers: [{ overrides: { groupInterval: GROUP_INTERVAL }, secrets: { webhookUrl } }],
      })),
    );
  }

  /** A notification of the WebSocketServiceDown group: firing (some alert of it fires), or all resolved. */
  serviceDown(status: "firing" | "resolved"): (n: Notification) => boolean {
    return status === "firing" ? firesIn(ALERT_NAMES.serviceDown) : notifies(ALERT_NAMES.serviceDown, "resolved");
  }

  waitForServiceDown(status: "firing" | "resolved", since: number, timeoutMs = this.deadline): Promise<Notification> {
    return this.inbox.waitFor(ALERTS, this.serviceDown(status), { since, timeoutMs });
  }

  /** The WebSocketServiceDown notifications since `since` that page (not a group's update as part of it resolves). */
  firingSince(since: number): Notification[] {
    return pages(this.inbox.at(ALERTS).filter((n) => n.receivedAt >= since && n.alerts.some((a) => a.labels.alertname === ALERT_NAMES.serviceDown)));
  }

  /**
   * For the start of each test: WebSocketServiceDown neither pending nor firing, and its group's
   * last notification, if any, the resolved one. (A busy machine can make it fire at the stack's
   * start; fired again before that resolved one went out, it would be no news to Alertmanager.)
   */
  async quiet(): Promise<void> {
    const active = async () => (await this.stack.prometheus.alerts()).filter((a) => a.labels.alertname === ALERT_NAMES.serviceDown).length;
    await pollUntil("WebSocketServiceDown neither pending nor firing", active, (n) => n === 0, { timeoutMs: this.deadline });
    const last = async () => this.inbox.at(ALERTS).filter((n) => n.alerts.some((a) => a.labels.alertname === ALERT_NAMES.serviceDown)).at(-1)?.status ?? "none";
    await pollUntil("the last WebSocketServiceDown notification a resolved one", last, (status) => status !== "firing", { timeoutMs: this.deadline });
  }

  /** Back to healthy after the service was killed: a new service on the old port, and its resolved notification. */
  async recover(): Promise<Notification> {
    const since = Date.now();
    await this.stack.restartService();
    return this.waitForServiceDown("resolved", since);
  }
}
