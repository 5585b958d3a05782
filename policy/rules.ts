/**
 * The checks of the policy pack as pure functions of plain resource properties (as a policy sees
 * them: JSON, secrets already unwrapped), so that each is unit-tested without the Pulumi engine.
 * policy/index.ts applies them to resource types. Each returns one message per problem.
 */
import type { AlertDefinition } from "../alerts/definitions";
import { SCHEMA } from "../config/schema";
import { parseDuration } from "../config/validate";
import { isHttpUrl } from "../lib/url";

/** Type tokens of the @pulumiverse/grafana resources the policies look at (`__pulumiType`). */
export const GRAFANA_TYPES = {
  ruleGroup: "grafana:alerting/ruleGroup:RuleGroup",
  contactPoint: "grafana:alerting/contactPoint:ContactPoint",
  folder: "grafana:oss/folder:Folder",
  dashboard: "grafana:oss/dashboard:Dashboard",
  dataSource: "grafana:oss/dataSource:DataSource",
} as const;

/** Stacks whose Grafana objects must carry Pulumi's `protect` flag. */
const PROTECTED_STACKS: readonly string[] = ["prod"];
/** What `protect: true` covers (components/grafanaFolder.ts, dashboard.ts, alerting.ts, datasource.ts). */
export const PROTECTED_TYPES: readonly string[] = [
  GRAFANA_TYPES.folder,
  GRAFANA_TYPES.dashboard,
  GRAFANA_TYPES.ruleGroup,
  GRAFANA_TYPES.dataSource,
];

const REQUIRED_ANNOTATIONS = ["summary", "description", "runbook_url"] as const;

export interface RuleData {
  refId?: string;
  /** The query or expression as a JSON string, as Grafana stores it. */
  model?: string;
}

export interface AlertRule {
  name?: string;
  for?: string;
  condition?: string;
  /** Set on recording rules, which neither notify nor wait. */
  record?: unknown;
  annotations?: Record<string, string>;
  datas?: RuleData[];
}

export interface RuleGroupProps {
  name?: string;
  rules?: AlertRule[];
}

export interface ThresholdRange {
  key: string;
  min: number;
  max: number;
}

/** Alert name -> the allowed range of its threshold: the range of the config key its definition names. */
export function thresholdRanges(definitions: readonly AlertDefinition[]): Map<string, ThresholdRange> {
  return new Map(
    definitions.flatMap(({ name, thresholdKey: key }) => {
      if (!key) return [];
      const spec = SCHEMA.find((s) => s.key === key);
      if (spec?.min === undefined || spec.max === undefined) throw new Error(`${name}: config key '${key}' has no range in config/schema.ts`);
      return [[name, { key, min: spec.min, max: spec.max }]];
    }),
  );
}

function alertRules(group: RuleGroupProps): AlertRule[] {
  return (group.rules ?? []).filter((r) => r.record === undefined || r.record === null);
}

/** Every alert rule says what is wrong and links the runbook that says what to do. */
export function undocumentedRules(group: RuleGroupProps): string[] {
  return alertRules(group).flatMap((rule) => {
    const annotations = rule.annotations ?? {};
    const problems: string[] = REQUIRED_ANNOTATIONS.filter((a) => !annotations[a]?.trim()).map(
      (a) => `alert rule '${rule.name}' has no '${a}' annotation`,
    );
    const runbook = annotations.runbook_url?.trim();
    if (runbook && !isHttpUrl(runbook))
      problems.push(`alert rule '${rule.name}': runbook_url '${runbook}' is not an http(s) URL`);
    return problems;
  });
}

/** A rule without a pending period pages on a single bad evaluation (one slow scrape). */
export function rulesWithoutPendingPeriod(group: RuleGroupProps): string[] {
  return alertRules(group).flatMap((rule) => {
    const pending = rule.for ? parseDuration(rule.for) : undefined;
    if (pending === undefined) return [`alert rule '${rule.name}' has no pending period ('for' is '${rule.for ?? ""}')`];
    return pending.seconds > 0 ? [] : [`alert rule '${rule.name}' has a zero pending period ('for' is '${rule.for}')`];
  });
}

interface ThresholdModel {
  type?: string;
  conditions?: { evaluator?: { params?: unknown[]; type?: string } }[];
}

/** Thresholds are numbers, and those set from config stay within what the config allows (`ranges`: thresholdRanges). */
export function thresholdsOutOfRange(group: RuleGroupProps, ranges: ReadonlyMap<string, ThresholdRange>): string[] {
  return alertRules(group).flatMap((rule) => {
    const range = ranges.get(rule.name ?? "");
    return (rule.datas ?? []).flatMap((data) => {
      let model: ThresholdModel;
      try {
        model = JSON.parse(data.model ?? "{}");
      } catch {
        return [`alert rule '${rule.name}': model of ${data.refId} is not JSON`];
      }
      if (model.type !== "threshold") return [];
      const params = (model.conditions ?? []).flatMap((c) => c.evaluator?.params ?? []);
      if (params.length === 0) return [`alert rule '${rule.name}': threshold ${data.refId} has no value`];
      return params.flatMap((p) => {
        if (typeof p !== "number" || !Number.isFinite(p))
          return [`alert rule '${rule.name}': threshold ${data.refId} is ${JSON.stringify(p)}, not a number`];
        if (range && (p < range.min || p > range.max))
          return [`alert rule '${rule.name}': threshold ${p} is outside ${range.min}..${range.max} (the range of ${range.key})`];
        return [];
      });
    });
  });
}

/** The stack of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1] ?? "";
}

/** Production's folder, dashboard, rule group and datasource survive an accidental `pulumi destroy`. */
export function unprotectedResource(stack: string, type: string, protect: boolean): string[] {
  if (!PROTECTED_STACKS.includes(stack) || !PROTECTED_TYPES.includes(type) || protect) return [];
  return [`${type} in stack '${stack}' is not protected: set websocket-monitoring:protect to "true" in Pulumi.${stack}.yaml`];
}

/** A refresh faster than the scrape interval only re-reads the same samples, at Prometheus' cost. */
export function refreshFasterThanScrape(configJson: string, scrapeIntervalSeconds: number): string[] {
  let refresh: unknown;
  try {
    refresh = (JSON.parse(configJson) as { refresh?: unknown }).refresh;
  } catch {
    return ["the dashboard's configJson is not JSON"];
  }
  // Grafana stores "no auto-refresh" as "" or false.
  if (refresh === undefined || refresh === "" || refresh === false) return [];
  const every = typeof refresh === "string" ? parseDuration(refresh) : undefined;
  if (!every) return [`dashboard refresh ${JSON.stringify(refresh)} is not a duration such as 30s or 1m`];
  return every.seconds < scrapeIntervalSeconds
    ? [`dashboard refresh ${every.text} is faster than the scrape interval (${scrapeIntervalSeconds}s)`]
    : [];
}
