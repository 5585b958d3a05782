/**
 * Renders the alert definitions as a Grafana-managed rule group: per rule a PromQL query (A),
 * a reduce to its last value (B) and a threshold (C, the condition). Models are typed query
 * objects (grafana-foundation-sdk) with explicit intervalMs/maxDataPoints, as Grafana stores them;
 * components/alerting.ts serializes them with sorted keys, so that a refresh finds nothing to change.
 */
import * as expr from "@grafana/grafana-foundation-sdk/expr";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import { eachService, type Services, type Settings } from "../config/settings";
import { alertsOf, environmentHeartbeat, heartbeatGroupName, ruleGroupName } from "./definitions";
import { type AlertDefinition } from "./vocabulary";
import { dashboardUid } from "../dashboards/ids";
import { alertPanelId } from "./panels";
import { groupLabels, routeFor } from "./notifications";
import { sloTicketGroupName } from "../slo/conventions";
import { grafanaHold } from "./incident";
import { alertRuleUidOf } from "../lib/uids";

const EXPRESSION_DATASOURCE_UID = "__expr__";
/** How far back each query looks: enough for the longest range or offset used in a rule. */
const QUERY_LOOKBACK_SECONDS = 600;

/** A query (A), reduce (B) or threshold (C) model. */
export type GrafanaRuleModel = prometheus.Dataquery | expr.TypeReduce | expr.TypeThreshold;

export interface GrafanaRuleData {
  refId: string;
  datasourceUid: string;
  queryType: string;
  relativeTimeRange: { from: number; to: number };
  model: GrafanaRuleModel;
}

/** Grafana's per-rule routing (grafanaRouting `perRule`): the organisation's policy tree is not used. */
export interface GrafanaNotificationSettings {
  contactPoint: string;
  groupBies: string[];
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
  activeTimings?: string[];
}

export interface GrafanaRule {
  /** Explicit (lib/uids.ts alertRuleUidOf): left to the provider, it follows the rule's position in the group. */
  uid: string;
  name: string;
  for: string;
  condition: string;
  noDataState: string;
  execErrState: string;
  isPaused: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  datas: GrafanaRuleData[];
  notificationSettings?: GrafanaNotificationSettings;
}

export interface GrafanaRuleGroup {
  name: string;
  intervalSeconds: number;
  rules: GrafanaRule[];
}

/** What the query and expression builders have in common. */
interface ModelBuilder {
  intervalMs(ms: number): this;
  maxDataPoints(points: number): this;
  refId(refId: string): this;
  build(): GrafanaRuleModel;
}

const EXPR_DATASOURCE = { type: "__expr__", uid: EXPRESSION_DATASOURCE_UID };

/** The policy tree's decision for this rule, carried by the rule itself. */
function notificationSettings(s: Settings, a: AlertDefinition): GrafanaNotificationSettings {
  const n = s.notifications;
  const route = routeFor(s, { ...a.labels, alertname: a.name });
  return {
    contactPoint: route.contactPoint,
    // Grafana requires alertname and grafana_folder in a per-rule grouping.
    groupBies: groupLabels(s, "grafana_folder"),
    groupWait: n.groupWait.text,
    groupInterval: n.groupInterval.text,
    repeatInterval: n.repeatInterval.text,
    ...route.timings,
    ...(route.activeTimings && { activeTimings: route.activeTimings }),
  };
}

/** The query, held back while the outage that WebSocketServiceDown pages explains it (Grafana has no inhibition). */
function grafanaQuery(s: Settings, a: AlertDefinition): string {
  const hold = grafanaHold(s, a);
  return hold ? `(${a.query}) unless on () (${hold})` : a.query;
}

/** The panel that shows the rule's signal (dashboards/ids.ts), or nothing: then Grafana marks no graph with it. */
function dashboardLink(s: Settings, a: AlertDefinition): Record<string, string> {
  const panel = alertPanelId(a.name);
  return panel === undefined ? {} : { __dashboardUid__: dashboardUid(s), __panelId__: String(panel) };
}

function rule(s: Settings, a: AlertDefinition, group: string): GrafanaRule {
  const lookback = Math.max(QUERY_LOOKBACK_SECONDS, 2 * s.alerts.unstableWindow.seconds);
  const data = (refId: string, datasourceUid: string, model: ModelBuilder, from = 0): GrafanaRuleData => ({
    refId,
    datasourceUid,
    queryType: "",
    relativeTimeRange: { from, to: 0 },
    // intervalMs and maxDataPoints explicit, as Grafana stores them: left out, every refresh would show a diff.
    model: model.intervalMs(1000).maxDataPoints(43200).refId(refId).build(),
  });
  return {
    uid: alertRuleUidOf({ environment: s.environment, group, alert: a.name, severity: a.severity }),
    name: a.name,
    for: a.for.text,
    condition: "C",
    noDataState: a.noDataState,
    execErrState: a.execErrState,
    isPaused: false,
    labels: a.labels,
    annotations: {
      summary: a.summary,
      description: a.description("$values.B.Value"),
      runbook_url: a.runbookUrl,
      ...dashboardLink(s, a),
    },
    datas: [
      data(
        "A",
        s.grafana.datasourceUid,
        new prometheus.DataqueryBuilder()
          .datasource({ type: "prometheus", uid: s.grafana.datasourceUid })
          .editorMode(prometheus.QueryEditorMode.Code)
          .expr(grafanaQuery(s, a))
          .instant()
          .legendFormat("__auto"),
        lookback,
      ),
      data("B", EXPRESSION_DATASOURCE_UID, new expr.TypeReduceBuilder().datasource(EXPR_DATASOURCE).expression("A").reducer("last")),
      data(
        "C",
        EXPRESSION_DATASOURCE_UID,
        new expr.TypeThresholdBuilder()
          .datasource(EXPR_DATASOURCE)
          .expression("B")
          .conditions([{ evaluator: { params: [a.threshold], type: a.op === ">" ? "gt" : "lt" } }]),
      ),
    ],
    ...(s.grafana.routing === "perRule" && { notificationSettings: notificationSettings(s, a) }),
  };
}

/**
 * The rule groups: every alert in one, except the SLO tickets. Grafana's provider refuses two rules
 * of one title in a group, and each SLO alert is a page and a ticket of the same name (the
 * alertname routing and runbooks know): the tickets get a group of their own.
 */
export function grafanaRuleGroups(s: Settings): GrafanaRuleGroup[] {
  const definitions = alertsOf(s, "grafana");
  const ticket = (a: AlertDefinition) => a.slo !== undefined && a.severity === "warning";
  const group = (name: string, members: AlertDefinition[]) => ({ name, intervalSeconds: s.alerts.evaluationInterval.seconds, rules: members.map((a) => rule(s, a, name)) });
  return [group(ruleGroupName(s), definitions.filter((a) => !ticket(a))), group(sloTicketGroupName(s), definitions.filter(ticket))];
}

/** With `services`, the environment's heartbeat in a group of its own (environmentHeartbeat); none otherwise. */
export function grafanaHeartbeatGroups(services: Services): GrafanaRuleGroup[] {
  const s = eachService(services)[0];
  const heartbeat = environmentHeartbeat(services);
  const name = heartbeatGroupName(s);
  return heartbeat ? [{ name, intervalSeconds: s.alerts.evaluationInterval.seconds, rules: [rule(s, heartbeat, name)] }] : [];
}
