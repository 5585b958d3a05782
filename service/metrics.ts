/** The contract metrics on their own registry, plus prom-client's process metrics. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { DIRECTIONS, DISCONNECT_REASONS, METRIC_NAMES } from "./contract";

export interface ServiceMetrics {
  registry: Registry;
  active: Gauge;
  connections: Counter;
  disconnections: Counter<"reason">;
  messages: Counter<"direction">;
  duration: Histogram;
}

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
  };
  // Every label value exists from the start, so rate() sees the first event instead of a new series.
  for (const reason of DISCONNECT_REASONS) metrics.disconnections.inc({ reason }, 0);
  for (const direction of DIRECTIONS) metrics.messages.inc({ direction }, 0);
  return metrics;
}
