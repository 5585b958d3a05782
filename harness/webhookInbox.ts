/**
 * Alertmanager's webhook notifications as a test sees them: the receiver of lib/webhookServer.ts
 * in process, keeping every notification with the path it was sent to and when it arrived.
 */
import { startWebhookServer, type WebhookServer } from "../lib/webhookServer";
import { waitForArrival } from "./poll";

export type AlertStatus = "firing" | "resolved";

/** The fields of Alertmanager's webhook payload (version 4) that the tests and the benchmark read. */
export interface Notification {
  status: AlertStatus;
  receiver: string;
  alerts: { status: AlertStatus; labels: Record<string, string>; annotations: Record<string, string> }[];
  /** Added here: the receiver URL's path, and when it arrived (ms since epoch). */
  path: string;
  receivedAt: number;
}

export class WebhookInbox {
  private readonly deliveries: { path: string; receivedAt: number; body: string }[] = [];
  private server?: WebhookServer;

  static async start(): Promise<WebhookInbox> {
    const inbox = new WebhookInbox();
    await inbox.listen(0);
    return inbox;
  }

  private async listen(port: number): Promise<void> {
    this.server = await startWebhookServer(port, (d) => this.deliveries.push({ path: d.path, receivedAt: d.receivedAt.getTime(), body: d.body }));
  }

  /** The receiver goes down: connections are refused until `comeBack()`. */
  async goDown(): Promise<void> {
    await this.server?.close();
  }

  /** Listens again, on the same port: the same URLs work again. */
  async comeBack(): Promise<void> {
    await this.listen(Number(new URL(this.server!.url).port));
  }

  /** The receiver URL for `path`, as a stack's webhookUrl. */
  url(path: string): string {
    return `${this.server!.url}${path}`;
  }

  /** Every notification received at `path` so far, oldest first. A body that is not JSON throws. */
  at(path: string): Notification[] {
    return this.deliveries
      .filter((d) => d.path === path)
      .map((d) => ({ ...(JSON.parse(d.body) as Omit<Notification, "path" | "receivedAt">), path: d.path, receivedAt: d.receivedAt }));
  }

  /** The first notification at `path`, received at or after `since`, that `match` accepts; fails after `timeoutMs`. */
  waitFor(path: string, match: (n: Notification) => boolean, { since, timeoutMs }: { since: number; timeoutMs: number }): Promise<Notification> {
    return waitForArrival(`notification at ${path}`, () => this.at(path), match, { since, timeoutMs, arrived: () => this.summary() });
  }

  /** What arrived where, in short: for failure messages. */
  summary(): string {
    const lines = this.deliveries.map((d) => {
      try {
        const n = JSON.parse(d.body) as Notification;
        return `${new Date(d.receivedAt).toISOString()} ${d.path} ${n.status} ${n.alerts.map((a) => `${a.labels.alertname}/${a.status}`).join(",")}`;
      } catch {
        return `${new Date(d.receivedAt).toISOString()} ${d.path} not JSON: ${d.body.slice(0, 200)}`;
      }
    });
    return lines.length ? `\n${lines.join("\n")}` : "nothing";
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }
}

/** A notification of `status` for `alertname`: every alert in it is that alert in that status, with `labels` (e.g. a severity). */
export function notifies(alertname: string, status: AlertStatus, labels: Record<string, string> = {}): (n: Notification) => boolean {
  const matches = (a: Notification["alerts"][number]) => a.labels.alertname === alertname && a.status === status && Object.entries(labels).every(([k, v]) => a.labels[k] === v);
  return (n) => n.status === status && n.alerts.length > 0 && n.alerts.every(matches);
}

/**
 * A firing notification in which `alertname` fires. Unlike notifies(), it accepts a group that
 * still carries alerts resolved earlier (say, a job absent before the first scrape).
 */
export function firesIn(alertname: string): (n: Notification) => boolean {
  return (n) => n.status === "firing" && n.alerts.some((a) => a.labels.alertname === alertname && a.status === "firing");
}

/**
 * The notifications of one group that page: every firing one, but a group's update when part of it
 * resolved (the scrape back a moment before the probe): an alert of the previous notification now
 * resolved, and none firing that did not fire there. A repeat of the same alerts is a page again.
 */
export function pages(notifications: Notification[]): Notification[] {
  const key = (a: Notification["alerts"][number]) => JSON.stringify(Object.entries(a.labels).sort());
  let before = new Set<string>();
  return notifications.filter((n) => {
    const firing = n.alerts.filter((a) => a.status === "firing").map(key);
    const resolvedSince = n.alerts.filter((a) => a.status === "resolved" && before.has(key(a)));
    const update = resolvedSince.length > 0 && firing.every((k) => before.has(k));
    before = new Set(firing);
    return n.status === "firing" && !update;
  });
}
