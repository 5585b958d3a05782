/**
 * The checks of the policy pack as pure functions of plain resource properties (as a policy sees
 * them: JSON, secrets already unwrapped) or of the alert rules read out of them (alertForms.ts), so
 * that each is unit-tested without the Pulumi engine. policies.ts applies them to resource types.
 * Each returns one message per problem.
 */
import { ALERT_NAMES, type AlertDefinition } from "../alerts/vocabulary";
import { SCHEMA } from "../config/schema";
import { parseDuration } from "../config/validate";
import { isHttpUrl } from "../lib/url";
import type { AlertRuleView } from "./alertForms";
import { FILE_TYPES, GRAFANA_TYPES } from "./types";

/** Stacks whose Grafana objects must carry Pulumi's `protect` flag. */
const PROTECTED_STACKS: readonly string[] = ["prod"];
/**
 * What `protect: true` covers (components/grafanaFolder.ts, dashboard.ts, alerting.ts, datasource.ts,
 * and kubernetesObjects.ts for alertEngine prometheus: its rule group and routing).
 */
export const PROTECTED_TYPES: readonly string[] = [
  GRAFANA_TYPES.folder,
  GRAFANA_TYPES.dashboard,
  GRAFANA_TYPES.ruleGroup,
  GRAFANA_TYPES.dataSource,
  FILE_TYPES.prometheusRule,
  FILE_TYPES.alertmanagerConfig,
];

const REQUIRED_ANNOTATIONS = ["summary", "description", "runbook_url"] as const;
/** The severities routing knows (alerts/notifications.ts; `none`: the heartbeat, routed by its name): any other reaches only the default receiver. */
const SEVERITIES: readonly string[] = ["critical", "warning", "none"];

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

/** Every alert rule says what is wrong and links the runbook that says what to do. */
export function undocumentedRules(rules: readonly AlertRuleView[]): string[] {
  return rules.flatMap((rule) => {
    const problems: string[] = REQUIRED_ANNOTATIONS.filter((a) => !rule.annotations[a]?.trim()).map((a) => `alert rule '${rule.name}' has no '${a}' annotation`);
    const runbook = rule.annotations.runbook_url?.trim();
    if (runbook && !isHttpUrl(runbook)) problems.push(`alert rule '${rule.name}': runbook_url '${runbook}' is not an http(s) URL`);
    return problems;
  });
}

/** A rule without a pending period pages on a single bad evaluation (one slow scrape). */
export function rulesWithoutPendingPeriod(rules: readonly AlertRuleView[]): string[] {
  return rules.flatMap((rule) => {
    const pending = rule.for ? parseDuration(rule.for) : undefined;
    if (pending === undefined) return [`alert rule '${rule.name}' has no pending period ('for' is '${rule.for ?? ""}')`];
    return pending.seconds > 0 ? [] : [`alert rule '${rule.name}' has a zero pending period ('for' is '${rule.for}')`];
  });
}

/** Routing picks the receiver by severity: a rule without a known one pages nobody on call. */
export function rulesWithoutSeverity(rules: readonly AlertRuleView[]): string[] {
  return rules.flatMap((rule) => {
    const severity = rule.labels.severity;
    return SEVERITIES.includes(severity) ? [] : [`alert rule '${rule.name}' has severity '${severity ?? ""}'; allowed: ${SEVERITIES.join(", ")}`];
  });
}

/** Thresholds are numbers, and those set from config stay within what the config allows (`ranges`: thresholdRanges). */
export function thresholdsOutOfRange(rules: readonly AlertRuleView[], ranges: ReadonlyMap<string, ThresholdRange>): string[] {
  return rules.flatMap((rule) => {
    const range = ranges.get(rule.name);
    return [
      ...rule.problems,
      ...rule.thresholds.flatMap(({ ref, value }) => {
        if (typeof value !== "number" || !Number.isFinite(value)) return [`alert rule '${rule.name}': ${ref} is ${JSON.stringify(value)}, not a number`];
        if (range && (value < range.min || value > range.max))
          return [`alert rule '${rule.name}': threshold ${value} is outside ${range.min}..${range.max} (the range of ${range.key})`];
        return [];
      }),
    ];
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

/**
 * A stack that protects its objects is one whose monitoring matters; without the heartbeat, a dead
 * Prometheus, Alertmanager or Grafana alerts nobody, and Alertmanager even resolves what was
 * firing (README, "When monitoring itself fails"). `protectedNames`: the stack's protected
 * resources; `ruleNames`: every alert rule it deploys, in any form (the heartbeat rule is
 * deployed exactly when heartbeatUrl is set, and routed only there).
 */
export function protectedStackWithoutHeartbeat(stack: string, protectedNames: readonly string[], ruleNames: readonly string[]): string[] {
  if (protectedNames.length === 0 || ruleNames.includes(ALERT_NAMES.heartbeat)) return [];
  return [
    `stack '${stack}' protects ${protectedNames.join(", ")} but sends no heartbeat (${ALERT_NAMES.heartbeat}): when its Prometheus, Alertmanager or Grafana dies, nobody is told. ` +
      `Set websocket-monitoring:heartbeatUrl ('pulumi config set --secret') to a check that alarms when the heartbeat stops`,
  ];
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

interface AlertmanagerConfigSpec {
  receivers?: { name?: string; slackConfigs?: { apiURL?: unknown }[]; webhookConfigs?: { url?: unknown }[]; emailConfigs?: { authPassword?: unknown }[] }[];
}

/**
 * An AlertmanagerConfig's receivers take their URLs and passwords from Kubernetes Secrets (a
 * `{name, key}` reference): a plain value would sit in the object, readable by everyone who can
 * list AlertmanagerConfigs.
 */
export function plainAlertmanagerConfigCredentials(spec: AlertmanagerConfigSpec | undefined): string[] {
  const isRef = (v: unknown) => v !== null && typeof v === "object" && "name" in v && "key" in v;
  return (spec?.receivers ?? []).flatMap((r) => [
    ...(r.slackConfigs ?? []).flatMap((c, i) => (isRef(c.apiURL) ? [] : [`receiver '${r.name}': slackConfigs[${i}].apiURL is not a reference to a Secret key`])),
    ...(r.webhookConfigs ?? []).flatMap((c, i) => (c.url === undefined ? [] : [`receiver '${r.name}': webhookConfigs[${i}] has a plain url; use urlSecret`])),
    ...(r.emailConfigs ?? []).flatMap((c, i) =>
      c.authPassword === undefined || isRef(c.authPassword) ? [] : [`receiver '${r.name}': emailConfigs[${i}].authPassword is not a reference to a Secret key`],
    ),
  ]);
}
