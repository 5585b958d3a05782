/** The contract metrics on their own registry, plus prom-client's process metrics. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { CLOSE_CODES, DIRECTIONS, DISCONNECT_REASONS, METRIC_NAMES, UPGRADE_OUTCOMES } from "./contract";

export interface ServiceMetrics {
  registry: Registry;
  active: Gauge;
  connections: Counter;
  disconnections: Counter<"reason">;
  messages: Counter<"direction">;
  duration: Histogram;
  upgrades: Counter<"outcome" | "status">;
  handshake: Histogram;
  closes: Counter<"code">;
  messageDuration: Histogram;
  limit: Gauge;
}

/** Sub-millisecond to a second: a handshake or a message handled on the same host, or one held up. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export function createMetrics(): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: ServiceMetrics = {
    registry,
    active: new Gauge({ name: METRIC_NAMES.activeConnections, help: "Open WebSocket connections.", registers }),
    connections: new Counter({ name: METRIC_NAMES.connectionsTotal, help: "Accepted WebSocket connections.", registers }),
    disconnections: new Counter({
      name: METRIC_NAMES.disconnectionsTotal,
      help: "Closed WebSocket connections by reason.",
      labelNames: ["reason"],
      registers,
    }),
    messages: new Counter({
      name: METRIC_NAMES.messagesTotal,
      help: "WebSocket messages received (in) and sent (out).",
      labelNames: ["direction"],
      registers,
    }),
    duration: new Histogram({
      name: METRIC_NAMES.connectionDuration,
      help: "Lifetime of closed WebSocket connections in seconds.",
      buckets: [0.1, 1, 5, 15, 60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600],
      registers,
    }),
    upgrades: new Counter({
      name: METRIC_NAMES.upgradesTotal,
      help: "WebSocket upgrade requests by outcome and the HTTP status answered.",
      labelNames: ["outcome", "status"],
      registers,
    }),
    handshake: new Histogram({ name: METRIC_NAMES.handshakeDuration, help: "Upgrade request to accepted connection, in seconds.", buckets: LATENCY_BUCKETS, registers }),
    closes: new Counter({ name: METRIC_NAMES.closesTotal, help: "Closed WebSocket connections by close code.", labelNames: ["code"], registers }),
    messageDuration: new Histogram({ name: METRIC_NAMES.messageDuration, help: "Handling of a received message until its answer is written, in seconds.", buckets: LATENCY_BUCKETS, registers }),
    limit: new Gauge({ name: METRIC_NAMES.connectionLimit, help: "Connections this instance accepts; beyond it upgrades are refused (503).", registers }),
  };
  // Every label value exists from the start, so rate() sees the first event instead of a new series.
  for (const reason of DISCONNECT_REASONS) metrics.disconnections.inc({ reason }, 0);
  for (const direction of DIRECTIONS) metrics.messages.inc({ direction }, 0);
  for (const code of CLOSE_CODES) metrics.closes.inc({ code }, 0);
  for (const labels of UPGRADE_OUTCOMES) metrics.upgrades.inc({ ...labels }, 0);
  return metrics;
}
