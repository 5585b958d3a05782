/**
 * The vocabulary every alert model shares, at the bottom of them: the alerts' names (part of the
 * contract: routing, runbooks, dashboards and tests name them), severities, the shape of an alert
 * definition, runbook anchors and the shape of a route. It imports nothing of alerts/, slo/ or
 * dashboards/; alerts/definitions.ts gathers the definitions themselves, and nothing imports that back.
 */
import type { AlertEngine } from "../config/schema";
import type { Duration, Settings } from "../config/settings";

export type SloName = "availability" | "connections" | "handshake";

export const SLO_ALERT_NAMES: Record<SloName, string> = {
  availability: "WebSocketAvailabilityBudgetBurn",
  connections: "WebSocketConnectionsBudgetBurn",
  handshake: "WebSocketHandshakeBudgetBurn",
};

export const LAYER_ALERT_NAMES = {
  handshakeFailures: "WebSocketHandshakeFailures",
  nearLimit: "WebSocketConnectionsNearLimit",
  imbalance: "WebSocketInstanceImbalance",
  abnormalCloses: "WebSocketAbnormalCloses",
} as const;

export const ALERT_NAMES = {
  noActiveConnections: "WebSocketNoActiveConnections",
  aboveThreshold: "WebSocketConnectionsAboveThreshold",
  unstable: "WebSocketConnectionCountUnstable",
  serviceDown: "WebSocketServiceDown",
  availabilityBudgetBurn: SLO_ALERT_NAMES.availability,
  connectionsBudgetBurn: SLO_ALERT_NAMES.connections,
  handshakeBudgetBurn: SLO_ALERT_NAMES.handshake,
  heartbeat: "WebSocketMonitoringHeartbeat",
  outage: "WebSocketServiceOutage",
  unexpectedRestart: "WebSocketUnexpectedRestart",
  ...LAYER_ALERT_NAMES,
} as const;

export type Severity = "critical" | "warning";

/** How a rule treats a query that returns nothing, or fails (Grafana's noDataState / execErrState). */
export type NoDataState = "OK" | "Alerting" | "NoData";
export type ErrorState = "Error" | "Alerting" | "OK";

export interface AlertDefinition {
  name: string;
  /** `none`: the heartbeat and the outage inhibitor, routed by name to their own receivers, never to people. */
  severity: Severity | "none";
  /** Only this engine evaluates it (the outage inhibitor: Grafana has no inhibition, alerts/incident.ts). */
  engine?: AlertEngine;
  /** PromQL giving one value per series; the alert is firing where `value <op> threshold`. */
  query: string;
  /** The same for Prometheus where it differs: it reads recorded series (slo/recordingRules.ts) instead. */
  prometheusQuery?: string;
  /** The objective an error-budget alert guards (slo/). */
  slo?: SloName;
  op: ">" | "<";
  threshold: number;
  /** The config key that sets `threshold` (unset: a fixed one); the policy pack holds it to that key's range. */
  thresholdKey?: string;
  for: Duration;
  /** Prometheus' keep_firing_for: still firing this long after the condition stopped holding. */
  keepFiringFor?: Duration;
  /** The rule's labels, which routing matches on (alerts/notifications.ts). */
  labels: Record<string, string>;
  summary: string;
  /** Description template; `value` is the renderer's template reference to the query value. */
  description: (value: string) => string;
  runbookUrl: string;
  noDataState: NoDataState;
  execErrState: ErrorState;
}

export function runbookUrl(s: Settings, alertName: string): string {
  return `${s.alerts.runbookBaseUrl}#${alertName.toLowerCase()}`;
}

/** When a route notifies (Alertmanager's group_wait, group_interval, repeat_interval). */
export interface RouteTimings {
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

export interface PolicyRoute {
  contactPoint: string;
  matchers: { label: string; match: "="; value: string }[];
  activeTimings?: string[];
  /** Its own timings instead of the policy's (the heartbeat's). */
  timings?: RouteTimings;
  continue: boolean;
}

