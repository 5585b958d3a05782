/**
 * The reference WebSocket service: echoes every message on `/ws`, answers `/ws/health` and
 * exposes the contract metrics on `/ws/metrics`. Small on purpose: it exists so that every
 * query and alert of the stack can be proven against real connections.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { PATHS, closeCodeLabel, type DisconnectReason } from "./contract";
import { createMetrics } from "./metrics";

export interface ServiceOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Ping interval; a client that has not answered the previous ping by the next one is dropped (`timeout`). */
  heartbeatMs?: number;
  /** Connections it accepts at once; an upgrade beyond them is refused with HTTP 503. */
  maxConnections?: number;
}

export interface RunningService {
  port: number;
  url: string;
  setHealthy(healthy: boolean): void;
  /** What /ws/metrics serves; still readable after close(). */
  metrics(): Promise<string>;
  /** Closes every connection (`server_shutdown`, 1001), then the listener. */
  close(): Promise<void>;
  /**
   * A rolling deploy's stop: refuses new upgrades (503) and answers health 503, closes every
   * connection with `code` (`server_shutdown`), keeps answering scrapes for `lingerMs` so that
   * Prometheus sees the drain (else a restart in place looks like a crash), then stops.
   */
  drain(options: DrainOptions): Promise<void>;
}

export interface DrainOptions {
  /** 1001 going away, or 1012 service restart (clients reconnect at once). */
  code: 1001 | 1012;
  lingerMs: number;
}

interface ConnectionState {
  openedAt: number;
  answeredPing: boolean;
  /** Set when the server ends the connection, so that its close is not taken for the client's. */
  closing?: DisconnectReason;
}

/** ws reports 1006 when the TCP connection ended without a close frame. */
const ABNORMAL_CLOSURE = 1006;
const SHUTDOWN_GRACE_MS = 2000;
export const DEFAULT_MAX_CONNECTIONS = 10_000;

function isLoopback(address: string | undefined): boolean {
  return address === "::1" || address?.startsWith("127.") === true || address?.startsWith("::ffff:127.") === true;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

export async function startService(options: ServiceOptions = {}): Promise<RunningService> {
  const { port = 0, host = "127.0.0.1", heartbeatMs = 30_000, maxConnections = DEFAULT_MAX_CONNECTIONS } = options;
  const metrics = createMetrics();
  metrics.limit.set(maxConnections);
  const connections = new Map<WebSocket, ConnectionState>();
  const startedAt = Date.now();
  let healthy = true;
  /** Set by drain(): upgrades refused, health failing, until the process stops. */
  let draining = false;

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://service");
    if (req.method === "GET" && url.pathname === PATHS.health) {
      sendJson(res, healthy && !draining ? 200 : 503, {
        status: draining ? "draining" : healthy ? "healthy" : "unhealthy",
        connections: connections.size,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      });
    } else if (req.method === "GET" && url.pathname === PATHS.metrics) {
      const body = await metrics.registry.metrics();
      res.writeHead(200, { "content-type": metrics.registry.contentType }).end(body);
    } else if (req.method === "POST" && url.pathname === PATHS.adminHealth && isLoopback(req.socket.remoteAddress)) {
      const status = url.searchParams.get("status");
      if (status !== "healthy" && status !== "unhealthy") return sendJson(res, 400, { error: "status must be healthy or unhealthy" });
      healthy = status === "healthy";
      sendJson(res, 200, { status });
    } else {
      sendJson(res, 404, { error: "not found" });
    }
  }

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((err: Error) => sendJson(res, 500, { error: err.message }));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const refuse = (status: "404" | "503", text: string) => {
      metrics.upgrades.inc({ outcome: "rejected", status });
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n\r\n`);
    };
    if (new URL(req.url ?? "/", "http://service").pathname !== PATHS.websocket) return refuse("404", "Not Found");
    if (draining || connections.size >= maxConnections) return refuse("503", "Service Unavailable");
    const handshake = metrics.handshake.startTimer();
    wss.handleUpgrade(req, socket, head, (ws) => {
      handshake();
      metrics.upgrades.inc({ outcome: "accepted", status: "101" });
      wss.emit("connection", ws, req);
    });
  });

  wss.on("connection", (ws: WebSocket) => {
    const state: ConnectionState = { openedAt: performance.now(), answeredPing: true };
    connections.set(ws, state);
    metrics.connections.inc();
    metrics.active.inc();
    ws.on("pong", () => (state.answeredPing = true));
    ws.on("message", (data, isBinary) => {
      metrics.messages.inc({ direction: "in" });
      const handled = metrics.messageDuration.startTimer();
      ws.send(data, { binary: isBinary }, (err) => {
        if (err) return;
        handled();
        metrics.messages.inc({ direction: "out" });
      });
    });
    ws.on("error", () => (state.closing ??= "error"));
    ws.on("close", (code) => {
      connections.delete(ws);
      metrics.active.dec();
      metrics.closes.inc({ code: closeCodeLabel(code) });
      const reason = state.closing ?? (code === ABNORMAL_CLOSURE ? "error" : "client_close");
      metrics.disconnections.inc({ reason });
      metrics.duration.observe((performance.now() - state.openedAt) / 1000);
    });
  });

  const heartbeat = setInterval(() => {
    for (const [ws, state] of connections) {
      if (!state.answeredPing) {
        state.closing = "timeout";
        ws.terminate();
      } else {
        state.answeredPing = false;
        ws.ping();
      }
    }
  }, heartbeatMs);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;

  async function closeClients(code: 1001 | 1012): Promise<void> {
    clearInterval(heartbeat);
    const allClosed = Promise.all(
      [...connections.keys()].map((ws) => new Promise<void>((resolve) => ws.once("close", () => resolve()))),
    );
    for (const [ws, state] of connections) {
      state.closing = "server_shutdown";
      ws.close(code, code === 1012 ? "service restart" : "server shutdown");
    }
    // Clients that do not answer the close frame in time are cut off.
    const grace = setTimeout(() => [...connections.keys()].forEach((ws) => ws.terminate()), SHUTDOWN_GRACE_MS);
    await allClosed;
    clearTimeout(grace);
  }

  async function drain({ code, lingerMs }: DrainOptions): Promise<void> {
    draining = true;
    await closeClients(code);
    await new Promise((resolve) => setTimeout(resolve, lingerMs));
    await close();
  }

  async function close(): Promise<void> {
    await closeClients(1001);
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return {
    port: actualPort,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`,
    setHealthy: (h) => (healthy = h),
    metrics: () => metrics.registry.metrics(),
    close,
    drain,
  };
}
