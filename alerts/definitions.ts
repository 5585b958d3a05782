/**
 * The alerts, each defined once with everything both engines need (query, threshold and the
 * config key that sets it, labels, annotations, group name). alerts/grafana.ts renders them as the
 * Grafana-managed rule group; alerts/prometheus.ts as an equivalent Prometheus rule file that
 * `promtool test rules` proves. Names are part of the contract: routing, runbooks and tests use them.
 */
import { eachService, type Services, type Settings } from "../config/settings";
import { CRASH_LOOP, alertQueries } from "../promql/queries";
import { sloAlertDefinitions } from "../slo/alertRules";
import { ofService, whichService } from "../lib/naming";
import { outageDefinitions } from "./incident";
import { layerAlertDefinitions } from "./layer";
import { restartAlertDefinition } from "./restarts";
import { ALERT_NAMES, runbookUrl, type AlertDefinition, type Severity } from "./vocabulary";

/** One group holds all four rules, in Grafana (in the folder) and in Prometheus alike. */
export function ruleGroupName(s: Settings): string {
  return `${ofService(s, s.namePrefix)}-connections`;
}

export function alertDefinitions(s: Settings): AlertDefinition[] {
  const q = alertQueries(s);
  const a = s.alerts;
  const hours = a.operationalHours;
  const job = s.scrape.jobName;
  // Absence of data is WebSocketServiceDown's job (its query turns every kind of absence into a
  // firing series), so the other rules may treat "no data" as OK without hiding anything.
  const common = { noDataState: "OK" as const, execErrState: "Error" as const };
  const labels = (severity: Severity) => ({ severity, labels: { environment: s.environment, severity, service: s.service.name } });
  return [
    {
      ...common,
      name: ALERT_NAMES.noActiveConnections,
      ...labels("critical"),
      query: q.activeConnections,
      op: "<",
      threshold: 1,
      for: a.noConnectionsFor,
      summary: `No active WebSocket connections${whichService(s, "to")} in ${s.environment}`,
      description: () =>
        `Job ${job} has had zero open WebSocket connections for ${a.noConnectionsFor.text} ` +
        `during operational hours (${hours.weekdays.join(", ")} ${hours.start}-${hours.end} ${hours.timezone}). ` +
        `Clients cannot connect or are not being served: check ${s.scrape.healthPath}, the load balancer and client errors.`,
      runbookUrl: runbookUrl(s, ALERT_NAMES.noActiveConnections),
    },
    {
      ...common,
      name: ALERT_NAMES.aboveThreshold,
      ...labels("warning"),
      query: q.activeConnections,
      op: ">",
      threshold: a.connectionsMax,
      thresholdKey: "connectionsMax",
      for: a.aboveThresholdFor,
      summary: `WebSocket connections${whichService(s, "to")} above ${a.connectionsMax} in ${s.environment}`,
      description: (value) =>
        `Job ${job} holds {{ ${value} | humanize }} open WebSocket connections, above the limit of ${a.connectionsMax} ` +
        `for ${a.aboveThresholdFor.text}: possible abuse (connection flood, misbehaving client) or growth beyond capacity.`,
      runbookUrl: runbookUrl(s, ALERT_NAMES.aboveThreshold),
    },
    {
      ...common,
      name: ALERT_NAMES.unstable,
      ...labels("warning"),
      query: q.changeRatio,
      op: ">",
      threshold: a.unstableChangeRatio,
      thresholdKey: "unstableChangeRatio",
      for: a.unstableFor,
      summary: `WebSocket connection count${whichService(s, "of")} unstable in ${s.environment}`,
      description: (value) =>
        `The open-connection count of job ${job} changed by {{ ${value} | humanizePercentage }} within ${a.unstableWindow.text}, ` +
        `more than the allowed ${Math.round(a.unstableChangeRatio * 100)}%, for ${a.unstableFor.text}: mass disconnects and reconnects point to crashes, deploys or network trouble.`,
      runbookUrl: runbookUrl(s, ALERT_NAMES.unstable),
    },
    {
      name: ALERT_NAMES.serviceDown,
      ...labels("critical"),
      query: q.serviceDown,
      op: ">",
      threshold: 0,
      for: a.serviceDownFor,
      summary: `WebSocket service${whichService(s)} down or not monitored in ${s.environment}`,
      description: () =>
        `WebSocket service not healthy or not visible for ${a.serviceDownFor.text}: {{ $labels.reason }} (job {{ $labels.job }}, instance {{ $labels.instance }}). ` +
        `Reasons: the ${s.scrape.metricsPath} scrape fails, the ${s.scrape.healthPath} probe fails, ${s.scrape.upgradeProbe ? "the WebSocket upgrade on /ws fails, " : ""}a target is gone, ` +
        `${s.metrics.activeConnections} is missing, or more than ${CRASH_LOOP.restarts} restarts in ${CRASH_LOOP.window}. Connection alerts cannot be trusted until this is resolved.`,
      runbookUrl: runbookUrl(s, ALERT_NAMES.serviceDown),
      noDataState: "Alerting",
      execErrState: "Alerting",
    },
    ...layerAlertDefinitions(s, { labels, runbookUrl: (alert) => runbookUrl(s, alert) }),
    restartAlertDefinition(s, { labels, runbookUrl: (alert) => runbookUrl(s, alert) }),
    ...sloAlertDefinitions(s, (alert) => runbookUrl(s, alert)),
    ...outageDefinitions(s),
    // The environment's one heartbeat: in the group of a stack's one service; with `services`, in a group of its own (environmentHeartbeat).
    ...(s.notifications.heartbeat && !s.service.listed ? [heartbeat(s)] : []),
  ];
}

/** With `services`, the heartbeat belongs to no service: the environment's own rule, once; undefined without heartbeatUrl, or with one unlisted service (its group has it). */
export function environmentHeartbeat(services: Services): AlertDefinition | undefined {
  const s = eachService(services)[0];
  return s.service.listed && s.notifications.heartbeat ? heartbeat(s) : undefined;
}

/** The group of the environment's own heartbeat (environmentHeartbeat), in Grafana and Prometheus alike. */
export function heartbeatGroupName(s: Settings): string {
  return `${s.namePrefix}-heartbeat`;
}

/**
 * The dead man's switch: always firing, so that its notifications keep arriving at heartbeatUrl
 * while Prometheus (or Grafana) evaluates and Alertmanager delivers. Their absence is the alarm.
 */
function heartbeat(s: Settings): AlertDefinition {
  return {
    name: ALERT_NAMES.heartbeat,
    severity: "none",
    query: "vector(1)",
    op: ">",
    threshold: 0,
    // One evaluation: a pending period, as every rule has (the policy pack asks for one).
    for: s.alerts.evaluationInterval,
    // With `services`, the environment's, of no service (alerts/kubernetes.ts lets it through the AlertmanagerConfig's top route).
    labels: { environment: s.environment, severity: "none", ...(!s.service.listed && { service: s.service.name }) },
    summary: `Monitoring of ${s.service.listed ? "the services" : s.service.name} in ${s.environment} is alive`,
    description: () =>
      `Always firing while the alert path works: rules are evaluated and notifications delivered. Sent only to the heartbeat receiver, every ${s.notifications.heartbeat!.interval.text}; ` +
      "that receiver must alarm when it stops arriving.",
    runbookUrl: runbookUrl(s, ALERT_NAMES.heartbeat),
    noDataState: "Alerting",
    execErrState: "Alerting",
  };
}

/** The alerts `engine` evaluates: all but those only the other engine has. */
export function alertsOf(s: Settings, engine = s.alerts.engine): AlertDefinition[] {
  return alertDefinitions(s).filter((a) => (a.engine ?? engine) === engine);
}
