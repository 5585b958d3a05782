/**
 * The routing of alerts/notifications.ts rendered for Alertmanager (alertEngine `prometheus`):
 * the same receiver per severity, the same routes and the same operational-hours time interval
 * as the Grafana contact points and policy, so both engines notify the same people the same way.
 */
import { eachService, type Duration, type Services, type Settings } from "../config/settings";
import { toYaml } from "../lib/yaml";
import { promDuration } from "../config/duration";
import { inhibitRules, silentRoute } from "./incident";
import { notificationMessage, type NotificationMessage } from "./messages";
import { contactPoints, notificationPolicy, operationalHours, type ContactPointModel } from "./notifications";
import { type PolicyRoute } from "./vocabulary";

/** Where Prometheus sends alerts: the Alertmanager the stack runs next to it. */
export function alertmanagerAddress(s: Settings): string {
  if (s.platform === "local") return `127.0.0.1:${s.local.alertmanagerPort}`;
  // The container's alias on the stack's Docker network, and its port inside the container.
  return "alertmanager:9093";
}

/**
 * How often the stack's own Prometheus (local, docker) re-sends a firing alert
 * (--rules.alert.resend-delay): below the evaluation interval, so that it sends every firing alert
 * of a rule group at every evaluation, each with the same end (4 evaluation intervals on). A
 * held-back alert then ends with its inhibitor of the same group when Prometheus goes silent
 * (alerts/incident.ts); re-sent every other evaluation, one sent an evaluation after the other
 * outlived it by one, unheld, and paged.
 */
export function prometheusResendDelay(s: Settings): Duration {
  const ms = s.alerts.evaluationInterval.seconds * 500;
  return { text: ms % 1000 === 0 ? promDuration(ms / 1000) : `${ms}ms`, seconds: ms / 1000 };
}

function receiver(cp: ContactPointModel, m: NotificationMessage): Record<string, unknown> {
  return {
    name: cp.name,
    ...(cp.slack && {
      slack_configs: [
        {
          api_url: cp.slack.url.plain("alertmanager.yml"),
          ...(cp.slack.recipient && { channel: cp.slack.recipient }),
          title: m.title,
          title_link: m.titleLink,
          text: m.text,
          send_resolved: true,
        },
      ],
    }),
    ...(cp.email && {
      email_configs: [{ to: cp.email.addresses.join(", "), headers: { Subject: m.title }, html: m.html, text: m.text, send_resolved: true }],
    }),
    // A resolved heartbeat is no heartbeat: the switch's receiver must hear only "alive".
    ...(cp.webhook && { webhook_configs: [{ url: cp.webhook.url.plain("alertmanager.yml"), send_resolved: cp.severity !== "heartbeat" }] }),
  };
}

/** SMTP of the stack's own Alertmanager: on docker the same server Grafana's container uses. */
function smtpGlobal(s: Settings): Record<string, unknown> {
  const smtp = s.platform === "docker" ? s.docker.smtp : s.platform === "local" ? s.local.smtp : undefined;
  if (!smtp) return {};
  return {
    smtp_smarthost: smtp.host,
    smtp_from: smtp.fromAddress,
    ...(smtp.user && { smtp_auth_username: smtp.user }),
    ...(smtp.password && { smtp_auth_password: smtp.password.plain("alertmanager.yml") }),
    ...(smtp.requireTls === false && { smtp_require_tls: false }),
  };
}

const matcherText = (m: PolicyRoute["matchers"][number]) => `${m.label}${m.match}${JSON.stringify(m.value)}`;

/**
 * A complete alertmanager.yml. It holds the receivers' secret URLs in clear text, as Alertmanager
 * needs them: the Pulumi wiring passes it on only as a Pulumi secret.
 */
export function alertmanagerConfig(services: Services): Record<string, unknown> {
  const all = eachService(services);
  const s = all[0];
  const policy = notificationPolicy(all);
  const global = smtpGlobal(s);
  return {
    ...(Object.keys(global).length > 0 && { global }),
    route: {
      receiver: policy.contactPoint,
      group_by: policy.groupBy,
      group_wait: policy.groupWait,
      group_interval: policy.groupInterval,
      repeat_interval: policy.repeatInterval,
      routes: [silentRoute(s), ...policy.routes].map((r) => ({
        receiver: r.contactPoint,
        matchers: r.matchers.map(matcherText),
        ...(r.activeTimings && { active_time_intervals: r.activeTimings }),
        ...(r.timings && { group_wait: r.timings.groupWait, group_interval: r.timings.groupInterval, repeat_interval: r.timings.repeatInterval }),
        continue: r.continue,
      })),
    },
    receivers: [...contactPoints(s).map((cp) => receiver(cp, notificationMessage(services))), { name: silentRoute(s).contactPoint }],
    // One incident, one page (alerts/incident.ts).
    inhibit_rules: inhibitRules(s).map((r) => ({
      source_matchers: r.source.map(matcherText),
      target_matchers: r.target.map(matcherText),
      equal: r.equal,
    })),
    time_intervals: all.map(operationalHours).map((hours) => ({
      name: hours.name,
      time_intervals: [
        {
          weekdays: hours.weekdays,
          times: hours.times.map((t) => ({ start_time: t.start, end_time: t.end })),
          location: hours.location,
        },
      ],
    })),
  };
}

export function alertmanagerYaml(services: Services): string {
  return toYaml(alertmanagerConfig(services));
}
