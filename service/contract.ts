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
  upgradesTotal: schemaDefault("metricUpgradesTotal"),
  handshakeDuration: schemaDefault("metricHandshakeDuration"),
  closesTotal: schemaDefault("metricClosesTotal"),
  messageDuration: schemaDefault("metricMessageDuration"),
  connectionLimit: schemaDefault("metricConnectionLimit"),
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

/**
 * Values of the `code` label of the closes counter: the codes that tell a normal close from a drop
 * and a rollout (1012 service restart, 1013 try again later) from both, and the rest.
 */
export const CLOSE_CODES = ["1000", "1001", "1006", "1011", "1012", "1013", "other"] as const;
export type CloseCode = (typeof CLOSE_CODES)[number];

export function closeCodeLabel(code: number): CloseCode {
  return (CLOSE_CODES as readonly string[]).includes(String(code)) ? (String(code) as CloseCode) : "other";
}

/** The upgrade outcomes the service answers, as `outcome` and `status` labels of the upgrades counter. */
export const UPGRADE_OUTCOMES = [
  { outcome: "accepted", status: "101" },
  { outcome: "rejected", status: "503" },
  { outcome: "rejected", status: "404" },
] as const;
