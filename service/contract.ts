/**
 * What the reference service exposes: the default names of config/schema.ts, read from the
 * schema itself so that the service and the stack's queries cannot drift apart.
 */
import { defaultFor, specOf, type ConfigKey } from "../config/schema";

function schemaDefault(key: ConfigKey): string {
  const value = defaultFor(specOf(key), "local");
  if (value === undefined) throw new Error(`config/schema.ts has no default for '${key}'`);
  return value;
}

export const METRIC_NAMES = {
  activeConnections: schemaDefault("metricActiveConnections"),
  connectionsTotal: schemaDefault("metricConnectionsTotal"),
  disconnectionsTotal: schemaDefault("metricDisconnectionsTotal"),
  messagesTotal: schemaDefault("metricMessagesTotal"),
  connectionDuration: schemaDefault("metricConnectionDuration"),
} as const;

export const PATHS = {
  websocket: "/ws",
  health: schemaDefault("healthPath"),
  metrics: schemaDefault("metricsPath"),
  /** POST ?status=healthy|unhealthy, from loopback only: lets tests make the health check fail. */
  adminHealth: "/ws/admin/health",
} as const;

/** Values of the `reason` label of the disconnections counter. */
export const DISCONNECT_REASONS = ["client_close", "server_shutdown", "error", "timeout"] as const;
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number];

export const DIRECTIONS = ["in", "out"] as const;
