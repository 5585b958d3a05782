/** A monitoring stack whose one Alertmanager delivers to a webhook inbox: what the fault and incident tests start from. */
import type { Settings } from "../../config/settings";
import { startMonitoringStack, type MonitoringStack, type MonitoringStackOptions } from "../../harness/monitoringStack";
import { WebhookInbox } from "../../harness/webhookInbox";

export interface InboxStackParts {
  inbox: WebhookInbox;
  stack: MonitoringStack;
  /** The Alertmanager's settings (its group wait and interval). */
  settings: Settings;
}

export class InboxStack {
  readonly inbox: WebhookInbox;
  readonly stack: MonitoringStack;
  readonly settings: Settings;

  protected constructor(parts: InboxStackParts) {
    ({ inbox: this.inbox, stack: this.stack, settings: this.settings } = parts);
  }

  /** The stack of `options`, given the inbox's URL for `path`; the inbox closed again if the stack does not start. */
  protected static async parts(path: string, options: (webhookUrl: string) => MonitoringStackOptions): Promise<InboxStackParts> {
    const inbox = await WebhookInbox.start();
    try {
      const stack = await startMonitoringStack(options(inbox.url(path)));
      return { inbox, stack, settings: stack.alertmanagers[0].settings };
    } catch (err) {
      await inbox.close();
      throw err;
    }
  }

  async stop(): Promise<void> {
    await this.stack.stop();
    await this.inbox.close();
  }
}
