/**
 * Real WebSocket clients against the reference service, moved in steps: `setConnections(n)`
 * opens or closes clients until exactly n are open. Each new client sends one message and
 * waits for its echo, so the message counters move in both directions.
 */
import WebSocket from "ws";
import { EVENT_TIMEOUT_MS, within } from "./bounds";
import { sleep } from "./processes";

/** How many connects or closes are in flight at once: bounded, so 10k clients do not open at once. */
const DEFAULT_BATCH = 250;

function openClient(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        ws.terminate();
        reject(err);
      } else resolve(ws);
    };
    const timer = setTimeout(() => settle(new Error(`${url}: no echo within ${EVENT_TIMEOUT_MS} ms`)), EVENT_TIMEOUT_MS);
    ws.once("open", () => ws.send("hello"));
    ws.once("message", () => settle());
    // Stays attached: a reset after the handshake (service killed) must not crash the process.
    ws.on("error", (err) => settle(err));
  });
}

function closeClient(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
  ws.close(1000, "load step");
  return within(`${ws.url}: the close handshake`, closed, EVENT_TIMEOUT_MS);
}

async function inBatches<T>(items: T[], batch: number, each: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += batch) await Promise.all(items.slice(i, i + batch).map(each));
}

export class LoadGenerator {
  private readonly clients: WebSocket[] = [];

  constructor(private readonly url: string, private readonly batch = DEFAULT_BATCH) {}

  get size(): number {
    return this.clients.length;
  }

  async setConnections(target: number): Promise<void> {
    if (target > this.clients.length) {
      const missing = Array.from({ length: target - this.clients.length }, () => this.url);
      await inBatches(missing, this.batch, async (url) => this.clients.push(await openClient(url)));
    } else {
      await inBatches(this.clients.splice(target), this.batch, closeClient);
    }
  }

  /** Drops every client without a close handshake (cleanup after a failure; the service may be gone). */
  terminateAll(): void {
    for (const ws of this.clients.splice(0)) ws.terminate();
  }
}

/**
 * Upgrade requests that the service refuses (`url` at its limit, or a path it does not serve),
 * three every half second until stopped; each answered and closed, never a connection.
 */
export function refusedUpgrades(url: string): { stop(): Promise<void> } {
  let refusing = true;
  const attempts = (async () => {
    while (refusing) {
      for (let i = 0; i < 3; i++) new WebSocket(url).on("error", () => undefined);
      await sleep(500);
    }
  })();
  return {
    async stop() {
      refusing = false;
      await attempts;
    },
  };
}
