/**
 * Renders the alert definitions as a Prometheus rule file: the same queries, conditions and
 * pending periods as the Grafana rule group, for `promtool test rules` and for users who alert
 * from Prometheus itself.
 */
import type { Settings } from "../config/settings";
import { toYaml } from "../lib/yaml";
import { alertDefinitions, ruleGroupName } from "./definitions";

export interface PrometheusRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PrometheusRuleFile {
  groups: { name: string; interval: string; rules: PrometheusRule[] }[];
}

export function prometheusRules(s: Settings): PrometheusRuleFile {
  return {
    groups: [
      {
        name: ruleGroupName(s),
        interval: s.alerts.evaluationInterval.text,
        rules: alertDefinitions(s).map((a) => ({
          alert: a.name,
          expr: `(${a.query}) ${a.op} ${a.threshold}`,
          for: a.for.text,
          labels: a.labels,
          annotations: {
            summary: a.summary,
            description: a.description("$value"),
            runbook_url: a.runbookUrl,
          },
        })),
      },
    ],
  };
}

/** The rule file exactly as the local and Docker platforms deploy it. */
export function prometheusRulesYaml(s: Settings): string {
  return toYaml(prometheusRules(s));
}
