/**
 * What the people on call receive, as a test sees it: a Slack stand-in (an HTTP server that takes
 * the JSON POSTs of a Slack incoming webhook) and a real SMTP server (smtp-server, each e-mail
 * parsed by mailparser). Each keeps every message with when it arrived.
 */
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { startWebhookServer, type WebhookServer } from "../lib/webhookServer";
import { waitForArrival } from "./poll";

/** A message as the engineer reads it: a title (Slack title, e-mail subject), a text, and (e-mail) HTML. */
export interface ReceivedMessage {
  receivedAt: number;
  title: string;
  titleLink?: string;
  text: string;
  html?: string;
}

abstract class Inbox {
  protected readonly messages: ReceivedMessage[] = [];

  abstract readonly what: string;

  /** The first message received at or after `since` that `match` accepts; fails after `timeoutMs`, listing what arrived. */
  waitFor(match: (m: ReceivedMessage) => boolean, { since, timeoutMs }: { since: number; timeoutMs: number }): Promise<ReceivedMessage> {
    const arrived = () => {
      const got = this.messages.map((m) => `${new Date(m.receivedAt).toISOString()} ${m.title}`);
      return got.length ? `\n${got.join("\n")}` : "nothing";
    };
    return waitForArrival(`${this.what} message`, () => this.messages, match, { since, timeoutMs, arrived });
  }
}

/** The JSON a Slack incoming webhook takes (the fields Alertmanager sends). */
interface SlackPayload {
  text?: string;
  attachments?: { title?: string; title_link?: string; text?: string }[];
}

export class SlackInbox extends Inbox {
  readonly what = "Slack";
  private server?: WebhookServer;

  static async start(): Promise<SlackInbox> {
    const inbox = new SlackInbox();
    inbox.server = await startWebhookServer(0, (d) => {
      const body = JSON.parse(d.body) as SlackPayload;
      const attachment = body.attachments?.[0] ?? {};
      inbox.messages.push({
        receivedAt: d.receivedAt.getTime(),
        title: attachment.title ?? "",
        titleLink: attachment.title_link,
        text: [body.text, attachment.text].filter(Boolean).join("\n"),
      });
    });
    return inbox;
  }

  /** The incoming-webhook URL, as a stack's slackWebhookUrl. */
  get url(): string {
    return `${this.server!.url}/services/test`;
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }
}

export class MailInbox extends Inbox {
  readonly what = "e-mail";
  private server?: SMTPServer;
  /** host:port, as a stack's smtpHost. */
  address = "";

  /** A plain SMTP server on 127.0.0.1 (no STARTTLS, no AUTH): the sender needs smtpRequireTls false. */
  static async start(): Promise<MailInbox> {
    const inbox = new MailInbox();
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, _session, done) {
        simpleParser(stream)
          .then((mail) => {
            inbox.messages.push({ receivedAt: Date.now(), title: mail.subject ?? "", text: mail.text ?? "", html: mail.html || undefined });
            done();
          })
          .catch(done);
      },
    });
    inbox.server = server;
    await new Promise<void>((resolve, reject) => {
      server.on("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    inbox.address = `127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    return inbox;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
