/**
 * Every form in which the stack deploys its alert rules, read back into one view, so that each
 * alert policy checks every engine and platform alike: the Grafana rule group, the Prometheus rule
 * file (a LocalFile on local, an upload of the Prometheus container on docker) and the
 * PrometheusRule on Kubernetes. The Prometheus forms are alerts/prometheus.ts' rendering, whose
 * expression ends in `<op> <threshold>`: that is the one thing read out of PromQL text.
 */
import { parse } from "yaml";
import { FILE_TYPES, GRAFANA_TYPES } from "./types";

/** One alert rule, whatever form it was deployed in. */
export interface AlertRuleView {
  name: string;
  for?: string;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  /** Each threshold the rule compares with (`ref`: where it is, for messages), or why it could not be read. */
  thresholds: { ref: string; value: unknown }[];
  problems: string[];
}

interface GrafanaRule {
  name?: string;
  for?: string;
  record?: unknown;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  datas?: { refId?: string; model?: string }[];
}

interface PrometheusRuleEntry {
  alert?: string;
  record?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function fromGrafana(rule: GrafanaRule): AlertRuleView {
  const view: AlertRuleView = { name: rule.name ?? "", for: rule.for, annotations: rule.annotations ?? {}, labels: rule.labels ?? {}, thresholds: [], problems: [] };
  for (const data of rule.datas ?? []) {
    let model: { type?: string; conditions?: { evaluator?: { params?: unknown[] } }[] };
    try {
      model = JSON.parse(data.model ?? "{}");
    } catch {
      view.problems.push(`alert rule '${view.name}': model of ${data.refId} is not JSON`);
      continue;
    }
    if (model.type !== "threshold") continue;
    const params = (model.conditions ?? []).flatMap((c) => c.evaluator?.params ?? []);
    if (params.length === 0) view.problems.push(`alert rule '${view.name}': threshold ${data.refId} has no value`);
    view.thresholds.push(...params.map((value) => ({ ref: `threshold ${data.refId}`, value })));
  }
  return view;
}

/** `(<query>) <op> <threshold>`, as alerts/prometheus.ts renders every alert. */
const COMPARISON = /\)\s*(?:==|!=|>=|<=|>|<)\s*(\S+)\s*$/;

function fromPrometheus(rule: PrometheusRuleEntry): AlertRuleView {
  const name = rule.alert ?? "";
  const view: AlertRuleView = { name, for: rule.for, annotations: rule.annotations ?? {}, labels: rule.labels ?? {}, thresholds: [], problems: [] };
  const threshold = COMPARISON.exec(rule.expr ?? "")?.[1];
  if (threshold === undefined) view.problems.push(`alert rule '${name}': expr does not end in a comparison with a threshold`);
  else view.thresholds.push({ ref: "threshold", value: Number.isNaN(Number(threshold)) ? threshold : Number(threshold) });
  return view;
}

function alertsOfRuleFile(file: { groups?: { rules?: PrometheusRuleEntry[] }[] } | undefined): AlertRuleView[] {
  return (file?.groups ?? []).flatMap((g) => (g.rules ?? []).filter((r) => r.alert !== undefined).map(fromPrometheus));
}

/** A deployed file's YAML with a list under `key` (rule files: `groups`; alertmanager.yml: `receivers`), or undefined. */
export function yamlWithList<T>(text: unknown, key: string): T | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const doc = parse(text) as Record<string, unknown> | null;
    return doc && typeof doc === "object" && Array.isArray(doc[key]) ? (doc as T) : undefined;
  } catch {
    return undefined;
  }
}

/** A file's text as a Prometheus rule file, or undefined when it is not one (prometheus.yml, alertmanager.yml, a blackbox config). */
function ruleFileText(text: unknown): AlertRuleView[] | undefined {
  const file = yamlWithList<{ groups: { rules?: PrometheusRuleEntry[] }[] }>(text, "groups");
  return file && alertsOfRuleFile(file);
}

/** The alert rules a resource deploys, or undefined when it deploys none. */
export function alertRulesOf(type: string, props: unknown): AlertRuleView[] | undefined {
  const p = (props ?? {}) as Record<string, any>;
  switch (type) {
    case GRAFANA_TYPES.ruleGroup:
      return ((p.rules ?? []) as GrafanaRule[]).filter((r) => r.record === undefined || r.record === null).map(fromGrafana);
    case FILE_TYPES.prometheusRule:
      return alertsOfRuleFile(p.spec);
    case FILE_TYPES.localFile:
      return ruleFileText(p.content);
    case FILE_TYPES.container: {
      const files = ((p.uploads ?? []) as { content?: unknown }[]).map((u) => ruleFileText(u.content)).filter((r) => r !== undefined);
      return files.length ? files.flat() : undefined;
    }
    default:
      return undefined;
  }
}
