/**
 * An HTTP server that takes alert notifications (Grafana's or Alertmanager's webhook POSTs) and
 * hands each one over as it arrived: the local stack's webhook receiver
 * (scripts/webhook-receiver.ts) and the end-to-end tests share it.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface WebhookDelivery {
  receivedAt: Date;
  /** Request path with query: which receiver URL was called. */
  path: string;
  body: string;
}

export interface WebhookServer {
  /** http://host:port, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * One delivery as one JSON line (the local receiver's .local/webhook.jsonl): `receivedAt` (ISO
 * 8601), `path`, and `payload`, the body as the JSON object it is; a body that is not JSON is kept
 * as text in `body` instead, so nothing received is lost.
 */
export function webhookRecord({ receivedAt, path, body }: WebhookDelivery): string {
  const record = { receivedAt: receivedAt.toISOString(), path };
  try {
    return JSON.stringify({ ...record, payload: JSON.parse(body) as unknown });
  } catch {
    return JSON.stringify({ ...record, body });
  }
}

/** Listens on `port` (0: any free one); calls `onDelivery` for every POST, answers 200 to any request. */
export function startWebhookServer(port: number, onDelivery: (d: WebhookDelivery) => void, host = "127.0.0.1"): Promise<WebhookServer> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (req.method === "POST") onDelivery({ receivedAt: new Date(), path: req.url ?? "/", body });
      res.end("ok");
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${actual}`,
        close: () =>
          new Promise((done) => {
            // Alertmanager keeps connections alive: without this, close() would wait for them.
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
