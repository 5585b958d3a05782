/**
 * The WebSocket layer's alerts: what goes wrong with WebSocket services in particular and a count
 * of connections does not show. Upgrades refused, connections near the limit, one instance holding
 * most of them, abnormal closes. Each that reads an optional metric exists only where the service
 * exposes it (`exposesUpgrades`, …): a service without it is not paged for it, and WebSocketServiceDown
 * does not take its absence for a missing metric. The imbalance reads the required gauge: always on.
 */
import type { Settings } from "../config/settings";
import { whichService } from "../lib/naming";
import { LAYER_ALERT_NAMES, type AlertDefinition, type Severity } from "./vocabulary";

/** What every rule of the stack has: its labels by severity, its runbook, how it treats no data. */
export interface RuleBasics {
  labels(severity: Severity): Pick<AlertDefinition, "severity" | "labels">;
  runbookUrl(alert: string): string;
}

/** The layer's PromQL over one service's job: shares and ratios, none where nothing was measured. */
function layerQueries(s: Settings) {
  const m = s.metrics;
  const job = `job="${s.scrape.jobName}"`;
  const w = s.alerts.layer.window.text;
  const perInstance = `sum by (instance) (${m.activeConnections}{${job}})`;
  return {
    // `> 0`: no upgrade (or close) in the window is no data, never 0/0.
    refusedShare: `sum(rate(${m.upgradesTotal}{${job}, outcome="rejected"}[${w}])) / (sum(rate(${m.upgradesTotal}{${job}}[${w}])) > 0)`,
    // `> 0`: a limit of 0 (unlimited, or not configured) is no limit, never a share of +Inf.
    limitShare: `${perInstance} / on (instance) (max by (instance) (${m.connectionLimit}{${job}}) > 0)`,
    imbalance:
      `(max(${perInstance}) / avg(${perInstance})) and on () (count(${perInstance}) >= 2)` +
      ` and on () (sum(${m.activeConnections}{${job}}) >= ${s.alerts.layer.imbalanceMinConnections})`,
    abnormalShare: `sum(rate(${m.closesTotal}{${job}, code=~"1006|1011"}[${w}])) / (sum(rate(${m.closesTotal}{${job}}[${w}])) > 0)`,
  };
}

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

export function layerAlertDefinitions(s: Settings, basics: RuleBasics): AlertDefinition[] {
  const l = s.alerts.layer;
  const q = layerQueries(s);
  const job = s.scrape.jobName;
  const common = { noDataState: "OK" as const, execErrState: "Error" as const, op: ">" as const };
  const rule = (name: string, severity: Severity, rest: Omit<AlertDefinition, "name" | "severity" | "labels" | "runbookUrl" | "noDataState" | "execErrState" | "op">): AlertDefinition => ({
    ...common,
    name,
    ...basics.labels(severity),
    runbookUrl: basics.runbookUrl(name),
    ...rest,
  });
  // Each with whether it is on: the optional ones where the service exposes their metric.
  const rules: [boolean, AlertDefinition][] = [
    // A warning: the page for refused upgrades is the handshake objective's (slo/model.ts), which the same incident would send again.
    [l.exposes.upgrades, rule(LAYER_ALERT_NAMES.handshakeFailures, "warning", {
      query: q.refusedShare,
      threshold: l.handshakeFailureRatio,
      thresholdKey: "handshakeFailureRatio",
      for: l.handshakeFailuresFor,
      summary: `WebSocket upgrades${whichService(s, "to")} refused in ${s.environment}`,
      description: (value) =>
        `Job ${job} refused {{ ${value} | humanizePercentage }} of WebSocket upgrade requests over ${l.window.text}, more than ${percent(l.handshakeFailureRatio)}, ` +
        `for ${l.handshakeFailuresFor.text}: clients cannot connect (at the connection limit, overloaded, or a proxy breaking the upgrade), while the count of connections only stays low.`,
    })],
    [l.exposes.connectionLimit, rule(LAYER_ALERT_NAMES.nearLimit, "warning", {
      query: q.limitShare,
      threshold: l.connectionLimitShare,
      thresholdKey: "connectionLimitShare",
      for: l.nearLimitFor,
      summary: `WebSocket instance${whichService(s, "of")} near its connection limit in ${s.environment}`,
      description: (value) =>
        `Instance {{ $labels.instance }} of job ${job} holds {{ ${value} | humanizePercentage }} of the connections it accepts, more than ${percent(l.connectionLimitShare)}, ` +
        `for ${l.nearLimitFor.text}: add instances or raise the limit before it refuses clients.`,
    })],
    [true, rule(LAYER_ALERT_NAMES.imbalance, "warning", {
      query: q.imbalance,
      threshold: l.imbalanceFactor,
      thresholdKey: "imbalanceFactor",
      for: l.imbalanceFor,
      summary: `WebSocket connections${whichService(s, "of")} unevenly spread over the instances in ${s.environment}`,
      description: (value) =>
        `One instance of job ${job} holds {{ ${value} | humanize }} times the average per instance, more than ${l.imbalanceFactor}x, for ${l.imbalanceFor.text}: ` +
        `long-lived connections piled up (after a deploy or a restart), which neither the load balancer nor CPU-based autoscaling corrects.`,
    })],
    [l.exposes.closeCodes, rule(LAYER_ALERT_NAMES.abnormalCloses, "warning", {
      query: q.abnormalShare,
      threshold: l.abnormalCloseRatio,
      thresholdKey: "abnormalCloseRatio",
      for: l.abnormalClosesFor,
      summary: `Abnormal WebSocket closes${whichService(s, "of")} in ${s.environment}`,
      description: (value) =>
        `{{ ${value} | humanizePercentage }} of the connections job ${job} closed over ${l.window.text} ended abnormally (1006 without a close frame, 1011 server error), ` +
        `more than ${percent(l.abnormalCloseRatio)}, for ${l.abnormalClosesFor.text}: clients see these as drops.`,
    })],
  ];
  return rules.filter(([on]) => on).map(([, definition]) => definition);
}

/** Which of the WebSocket layer's signals a service has (its alerts, the handshake objective, the upgrade probe), in a line for `npm run render` and `npm run up`. */
export function layerSummary(s: Settings): string {
  const e = s.alerts.layer.exposes;
  const signal = (on: boolean, alert: string, key: string) => `${alert} ${on ? "on" : `off (${key}: false)`}`;
  return (
    `WebSocket layer of ${s.service.name}: ${signal(e.upgrades, `${LAYER_ALERT_NAMES.handshakeFailures} and the handshake objective`, "exposesUpgrades")}, ` +
    `${signal(e.connectionLimit, LAYER_ALERT_NAMES.nearLimit, "exposesConnectionLimit")}, ${signal(e.closeCodes, LAYER_ALERT_NAMES.abnormalCloses, "exposesCloseCodes")}, ` +
    `${LAYER_ALERT_NAMES.imbalance} on (it reads the connection gauge), ${signal(s.scrape.upgradeProbe !== undefined, "the upgrade probe", "upgradeProbe")}`
  );
}
