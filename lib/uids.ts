import { createHash } from "node:crypto";

/** Grafana's uids of the stack's folder, dashboards and alert rules; Grafana allows at most 40 characters. */
export const FOLDER_UID = "websocket-monitoring";
export const DASHBOARD_UID = "websocket-service-monitoring";
export const MAX_UID_LENGTH = 40;

const withSuffix = (uid: string, suffix?: string) => (suffix ? `${uid}-${suffix}` : uid);

export function folderUidOf(suffix?: string): string {
  return withSuffix(FOLDER_UID, suffix);
}

/** The stack's one service: `websocket-service-monitoring`; a service listed in `services`: `websocket-<name>`. */
export function dashboardUidOf(listedName: string | undefined, suffix?: string): string {
  return withSuffix(listedName ? `websocket-${listedName}` : DASHBOARD_UID, suffix);
}

/** What a Grafana alert rule is: the same alert (of one severity) in the same group of the same environment. */
export interface AlertRuleIdentity {
  environment: string;
  /** Its rule group, whose name holds the stack's namePrefix and a listed service's name. */
  group: string;
  alert: string;
  severity: string;
}

const RULE_UID_HASH_LENGTH = 10;

/**
 * A Grafana alert rule's uid, from what the rule is, never from where it stands: Grafana's provider
 * gives a rule without one the uid of the rule that held its position, so inserting a rule moved
 * the others' uids, with their history, silences and links, onto other alerts. The alert's name
 * without the `WebSocket` every name starts with, and a hash of the whole identity: unique in a
 * Grafana organisation across environments, services, and the page and ticket of one objective
 * (one name, two severities); a rule moved to another group gets a new uid, so that the old group
 * need not give it up first.
 */
export function alertRuleUidOf(rule: AlertRuleIdentity): string {
  const identity = [rule.environment, rule.group, rule.alert, rule.severity].join("/");
  const hash = createHash("sha256").update(identity).digest("hex").slice(0, RULE_UID_HASH_LENGTH);
  return `${rule.alert.replace(/^WebSocket/, "").slice(0, MAX_UID_LENGTH - RULE_UID_HASH_LENGTH - 1)}-${hash}`;
}
