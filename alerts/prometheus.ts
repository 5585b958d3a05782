/**
 * Renders the alert definitions as a Prometheus rule file: the same queries, conditions and
 * pending periods as the Grafana rule group, for `promtool test rules` and for users who alert
 * from Prometheus itself.
 */
import { eachService, type Services, type Settings } from "../config/settings";
import { toYaml } from "../lib/yaml";
import { sloRuleGroupName } from "../slo/conventions";
import { sloRecordings, type RecordingRule } from "../slo/recordingRules";
import { alertDefinitions, environmentHeartbeat, heartbeatGroupName, ruleGroupName } from "./definitions";
import { type AlertDefinition } from "./vocabulary";

export interface PrometheusRule {
  alert: string;
  expr: string;
  for: string;
  keep_firing_for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PrometheusRuleFile {
  groups: { name: string; interval: string; rules: (PrometheusRule | RecordingRule)[] }[];
}

function alertRule(a: AlertDefinition): PrometheusRule {
  return {
    alert: a.name,
    expr: `(${a.prometheusQuery ?? a.query}) ${a.op} ${a.threshold}`,
    for: a.for.text,
    ...(a.keepFiringFor && { keep_firing_for: a.keepFiringFor.text }),
    labels: a.labels,
    annotations: { summary: a.summary, description: a.description("$value"), runbook_url: a.runbookUrl },
  };
}

/**
 * The connection alerts in one group; each objective in a group of its own: its recordings, then
 * its page and ticket, which read them.
 */
export function prometheusRules(services: Services): PrometheusRuleFile {
  const all = eachService(services);
  return { groups: [...all.flatMap((s) => serviceRules(s).groups), ...environmentRules(all).groups] };
}

/** The environment's own groups: with `services`, its heartbeat's (environmentHeartbeat); none otherwise. */
export function environmentRules(services: Services): PrometheusRuleFile {
  const s = eachService(services)[0];
  const heartbeat = environmentHeartbeat(services);
  return { groups: heartbeat ? [{ name: heartbeatGroupName(s), interval: s.alerts.evaluationInterval.text, rules: [alertRule(heartbeat)] }] : [] };
}

/** One service's groups (its PrometheusRule on Kubernetes). */
export function serviceRules(s: Settings): PrometheusRuleFile {
  const definitions = alertDefinitions(s);
  const interval = s.alerts.evaluationInterval.text;
  return {
    groups: [
      { name: ruleGroupName(s), interval, rules: definitions.filter((a) => !a.slo).map(alertRule) },
      ...sloRecordings(s).map(({ slo, rules }) => ({
        name: sloRuleGroupName(s, slo.name),
        interval,
        rules: [...rules, ...definitions.filter((a) => a.slo === slo.name).map(alertRule)],
      })),
    ],
  };
}

/** The rule file exactly as the local and Docker platforms deploy it. */
export function prometheusRulesYaml(services: Services): string {
  return toYaml(prometheusRules(services));
}
