/**
 * Who gets told, when: one contact point per severity (each with the configured Slack, e-mail
 * and webhook integrations), the operational-hours time interval, and the notification policy
 * that routes by severity and lets WebSocketNoActiveConnections notify only inside the hours.
 * Pure: secrets stay wrapped in `Secret` until the Pulumi wiring turns them into Pulumi secrets.
 */
import type { ReceiverKind } from "../config/schema";
import type { Secret } from "../lib/secret";
import { eachService, type Services, type Settings } from "../config/settings";
import { resourceBaseName, serviceBaseName } from "../lib/naming";
import { promDuration } from "../config/duration";
import { ALERT_NAMES, type Severity, type PolicyRoute, type RouteTimings } from "./vocabulary";
import { grafanaTemplateRef } from "./messages";

export interface ContactPointModel {
  name: string;
  /** Whom it tells: the people on call for a severity, or the heartbeat's dead man's switch. */
  severity: Severity | "heartbeat";
  kinds: ReceiverKind[];
  /** title, text, subject, message: Grafana's references to the stack's message templates (alerts/messages.ts); Alertmanager's receivers carry the message itself. */
  slack?: { url: Secret; recipient?: string; title: string; text: string };
  email?: { addresses: string[]; subject: string; message: string; singleEmail: boolean };
  webhook?: { url: Secret; httpMethod: "POST" };
}

export interface TimeIntervalModel {
  name: string;
  weekdays: string[];
  times: { start: string; end: string }[];
  location: string;
}

export interface NotificationPolicyModel {
  contactPoint: string;
  groupBy: string[];
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
  routes: PolicyRoute[];
}

export function contactPoints(s: Settings): ContactPointModel[] {
  const heartbeat = heartbeatContactPoint(s);
  return [...peopleContactPoints(s), ...(heartbeat ? [heartbeat] : [])];
}

/** Where the heartbeat goes (heartbeatUrl), and nothing else; none without it. */
function heartbeatContactPoint(s: Settings): ContactPointModel | undefined {
  const heartbeat = s.notifications.heartbeat;
  return heartbeat && { name: `${resourceBaseName(s)}-heartbeat`, severity: "heartbeat", kinds: ["webhook"], webhook: { url: heartbeat.url, httpMethod: "POST" } };
}

/** One contact point per severity, with the configured Slack, e-mail and webhook integrations. */
function peopleContactPoints(s: Settings): ContactPointModel[] {
  const n = s.notifications;
  const [title, text] = [grafanaTemplateRef(s, "title"), grafanaTemplateRef(s, "text")];
  return (["critical", "warning"] as const).map((severity) => {
    const kinds = n[severity];
    return {
      name: `${resourceBaseName(s)}-${severity}`,
      severity,
      kinds,
      slack: kinds.includes("slack") && n.slack
        ? { url: n.slack.webhookUrl, recipient: n.slack.channel, title, text }
        : undefined,
      email: kinds.includes("email") && n.email
        ? { addresses: n.email.addresses, subject: title, message: text, singleEmail: true }
        : undefined,
      webhook: kinds.includes("webhook") && n.webhook ? { url: n.webhook.url, httpMethod: "POST" } : undefined,
    };
  });
}

/**
 * Config counts weekdays from Monday; Alertmanager's time intervals (and Grafana's, built on them)
 * from Sunday, so a range ending on Sunday ("monday:sunday") is refused there: split it.
 */
export function alertmanagerWeekdays(ranges: string[]): string[] {
  return ranges.flatMap((range) => {
    const [from, to] = range.split(":");
    return to === "sunday" && from !== "sunday" ? [from === "saturday" ? "saturday" : `${from}:saturday`, "sunday"] : [range];
  });
}

/** The service's operational hours, a time interval of its own: WebSocketNoActiveConnections notifies only inside them. */
export function operationalHours(s: Settings): TimeIntervalModel {
  const h = s.alerts.operationalHours;
  return {
    name: `${serviceBaseName(s)}-operational-hours`,
    weekdays: alertmanagerWeekdays(h.weekdays),
    times: [{ start: h.start, end: h.end }],
    location: h.timezone,
  };
}

/**
 * A beat every `intervalSeconds`, on time. Alertmanager (and Grafana's, built on it) repeats a
 * notification only at a flush of its group, every group_interval, and only when more than
 * repeat_interval has passed since the last one was logged, a moment after the flush that sent
 * it. group_interval = repeat_interval = the interval therefore sends every second interval.
 * Flushing every second and repeating half a second before the interval sends at the flush one
 * interval after the last, whatever the delivery took (under half a second) or the timer drifted.
 */
export function heartbeatTimings(intervalSeconds: number): RouteTimings {
  return { groupWait: "0s", groupInterval: "1s", repeatInterval: `${promDuration(intervalSeconds - 1)}500ms` };
}

/**
 * What makes a notification one group: one alert of one environment, and with `services` of one
 * service (an incident of one service is a page of its own, never one with another's alerts).
 */
export function groupLabels(s: Settings, ...more: string[]): string[] {
  return ["alertname", ...more, "environment", ...(s.service.listed ? ["service"] : [])];
}

/** The environment's routing, for every service (each service's operational hours its own). */
export function notificationPolicy(services: Services): NotificationPolicyModel {
  const all = eachService(services);
  const s = all[0];
  const [critical, warning] = peopleContactPoints(s);
  const env = { label: "environment", match: "=" as const, value: s.environment };
  const heartbeat = s.notifications.heartbeat;
  const heartbeatPoint = heartbeatContactPoint(s);
  return {
    // Alerts of other rules in the organisation still reach someone.
    contactPoint: warning.name,
    groupBy: groupLabels(s),
    groupWait: s.notifications.groupWait.text,
    groupInterval: s.notifications.groupInterval.text,
    repeatInterval: s.notifications.repeatInterval.text,
    routes: [
      // The heartbeat first, and only to its own receiver: it must never reach the people on call.
      ...(heartbeat && heartbeatPoint
        ? [
            {
              contactPoint: heartbeatPoint.name,
              matchers: [env, { label: "alertname", match: "=" as const, value: ALERT_NAMES.heartbeat }],
              timings: heartbeatTimings(heartbeat.interval.seconds),
              continue: false,
            },
          ]
        : []),
      // First, and without `continue`: outside its service's hours this alert is not sent anywhere.
      ...all.map((x) => ({
        contactPoint: critical.name,
        matchers: [
          env,
          { label: "alertname", match: "=" as const, value: ALERT_NAMES.noActiveConnections },
          ...(x.service.listed ? [{ label: "service", match: "=" as const, value: x.service.name }] : []),
        ],
        activeTimings: [operationalHours(x).name],
        continue: false,
      })),
      { contactPoint: critical.name, matchers: [env, { label: "severity", match: "=", value: "critical" }], continue: false },
      { contactPoint: warning.name, matchers: [env, { label: "severity", match: "=", value: "warning" }], continue: false },
    ],
  };
}

/** The route an alert with these labels takes: the first that matches, as Grafana and Alertmanager choose. */
export function routeFor(s: Settings, labels: Record<string, string>): { contactPoint: string; activeTimings?: string[]; timings?: RouteTimings } {
  const policy = notificationPolicy(s);
  return policy.routes.find((r) => r.matchers.every((m) => labels[m.label] === m.value)) ?? { contactPoint: policy.contactPoint };
}
