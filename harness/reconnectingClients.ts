/**
 * Clients of a service of several instances, as a real client library behaves during a rollout:
 * each holds one connection; when it ends (a drain's 1012, a crash's 1006) the client reconnects
 * at once to another instance, and an upgrade refused (503) is tried again after `retryMs` on the
 * next instance. Counts what they saw, so that a test can say a storm happened.
 */
import WebSocket from "ws";
import { EVENT_TIMEOUT_MS, within } from "./bounds";
import { pollUntil } from "./poll";

export class ReconnectingClients {
  private readonly open = new Set<WebSocket>();
  private stopped = false;
  private next = 0;
  /** Upgrades refused (or failed) and tried again; connections ended by the service. */
  refused = 0;
  dropped = 0;

  /** `count` clients spread over `urls` in turn. */
  constructor(private readonly urls: string[], count: number, private readonly retryMs = 200) {
    for (let i = 0; i < count; i++) this.connect();
  }

  get connected(): number {
    return this.open.size;
  }

  /** Until all `count` are connected, at most EVENT_TIMEOUT_MS. */
  async allConnected(count: number): Promise<void> {
    await pollUntil(`${count} reconnecting clients connected`, async () => this.open.size, (n) => n === count, { timeoutMs: EVENT_TIMEOUT_MS });
  }

  private connect(avoid?: string): void {
    if (this.stopped) return;
    // Round robin, but never straight back to the instance that was just lost.
    let url = this.urls[this.next++ % this.urls.length];
    if (url === avoid && this.urls.length > 1) url = this.urls[this.next++ % this.urls.length];
    const ws = new WebSocket(url);
    let opened = false;
    ws.on("open", () => {
      opened = true;
      this.open.add(ws);
    });
    // Stays attached: a refused upgrade or a reset must not crash the process.
    ws.on("error", () => undefined);
    ws.on("close", () => {
      this.open.delete(ws);
      if (this.stopped) return;
      if (opened) {
        this.dropped++;
        this.connect(url);
      } else {
        this.refused++;
        setTimeout(() => this.connect(url), this.retryMs).unref();
      }
    });
  }

  /** Every client closes with 1000; bounded. */
  async stop(): Promise<void> {
    this.stopped = true;
    const closing = [...this.open].map((ws) => new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : (ws.once("close", () => resolve()), ws.close(1000, "test over")))));
    await within("the reconnecting clients' close", Promise.all(closing), EVENT_TIMEOUT_MS).catch(() => [...this.open].forEach((ws) => ws.terminate()));
  }
}
