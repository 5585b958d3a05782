/**
 * Turns a stack's raw Pulumi config (strings, as Pulumi stores them) into typed Settings, or
 * fails with ONE error that lists every problem: the key, the bad value (never a secret's),
 * what is allowed, and how to fix it. Pure: no Pulumi runtime needed, so it is unit-tested
 * directly and runs before any resource is registered.
 */
import {
  SCHEMA, WEEKDAYS, appliesTo, defaultFor, isRequired,
  type AlertEngine, type GrafanaRouting, type KeySpec, type ReceiverKind, PLATFORMS, RECEIVER_KINDS,
} from "./schema";
import { Secret } from "./secret";
import type { Duration, Settings } from "./settings";
import { isHttpUrl } from "../lib/url";

export const CONFIG_NAMESPACE = "websocket-monitoring";

export interface RawConfig {
  /** Values by bare key (without the namespace), as strings; lists and maps as JSON. */
  values: Record<string, string>;
  /** Bare keys that were set with `--secret`. */
  secretKeys: ReadonlySet<string>;
}

export class ConfigError extends Error {
  constructor(readonly stack: string, readonly problems: string[]) {
    super(
      `Invalid configuration for stack '${stack}' (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        `\nFix each with 'pulumi config set --stack ${stack} <key> <value>' ('--secret' for secret keys, '--path' for map entries); ` +
        `the keys are documented in README.md under "Configuration reference".`,
    );
    this.name = "ConfigError";
  }
}

const DURATION = /^(\d+(ms|s|m|h|d|w))+$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

export function parseDuration(text: string): Duration | undefined {
  if (!DURATION.test(text)) return undefined;
  let seconds = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) seconds += Number(n) * UNIT_SECONDS[unit];
  return { text, seconds };
}

function describeSeconds(s: number): string {
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600}h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** What a key accepts, in words: the "allowed" half of every message. */
export function allowedText(spec: KeySpec): string {
  const range = (fmt: (n: number) => string) =>
    spec.min !== undefined && spec.max !== undefined ? ` from ${fmt(spec.min)} to ${fmt(spec.max)}` : "";
  switch (spec.kind) {
    case "enum":
      return `one of ${spec.values!.map((v) => `'${v}'`).join(", ")}`;
    case "boolean":
      return "true or false";
    case "integer":
      return `a whole number${range(String)}`;
    case "number":
      return `a number${range(String)}`;
    case "duration":
      return `a duration such as 30s, 5m, 1h${range(describeSeconds)}`;
    case "url":
      return "an http(s) URL";
    case "list":
      return `a JSON list of ${spec.values ? spec.values.map((v) => `'${v}'`).join(", ") : spec.patternDoc ?? "strings"}`;
    case "map":
      return 'a JSON object of label names to string values, e.g. {"app":"websocket"}';
    case "string":
      return spec.patternDoc ?? "a non-empty string";
  }
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

function suggestKey(key: string): string {
  const best = SCHEMA.map((s) => ({ key: s.key, d: editDistance(key.toLowerCase(), s.key.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 3 ? ` Did you mean '${best.key}'?` : "";
}

function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_./-]{0,62}$/;

type Value = string | number | boolean | string[] | Record<string, string> | Duration | Secret;

/** Parses one value by its spec; returns the typed value or the reason it is not allowed. */
function parseValue(spec: KeySpec, text: string): { value?: Value; error?: string } {
  const bad = { error: allowedText(spec) };
  const outOfRange = (n: number) => (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max);
  const checkRange = (n: number) => (outOfRange(n) ? bad : { value: n });
  switch (spec.kind) {
    case "enum":
      return spec.values!.includes(text) ? { value: text } : bad;
    case "boolean":
      return text === "true" || text === "false" ? { value: text === "true" } : bad;
    case "integer":
      return /^-?\d+$/.test(text) ? checkRange(Number(text)) : bad;
    case "number":
      return /^-?\d+(\.\d+)?$/.test(text) ? checkRange(Number(text)) : bad;
    case "duration": {
      const d = parseDuration(text);
      if (!d) return bad;
      return outOfRange(d.seconds) ? bad : { value: d };
    }
    case "url":
      return isHttpUrl(text) ? { value: text.replace(/\/+$/, "") } : bad;
    case "string":
      if (text.trim() === "") return bad;
      return !spec.pattern || spec.pattern.test(text) ? { value: text } : bad;
    case "list": {
      let items: unknown;
      try {
        items = text.trim().startsWith("[") ? JSON.parse(text) : text.split(",").map((s) => s.trim()).filter(Boolean);
      } catch {
        return bad;
      }
      if (!Array.isArray(items) || items.length === 0 || !items.every((i) => typeof i === "string")) return bad;
      const list = items as string[];
      const wrong = list.filter((i) => (spec.values ? !spec.values.includes(i) : spec.pattern ? !spec.pattern.test(i) : false));
      return wrong.length ? { error: `${allowedText(spec)} (not allowed: ${wrong.map((w) => `'${w}'`).join(", ")})` } : { value: list };
    }
    case "map": {
      let obj: unknown;
      try {
        obj = JSON.parse(text);
      } catch {
        return bad;
      }
      if (typeof obj !== "object" || obj === null || Array.isArray(obj) || Object.keys(obj).length === 0) return bad;
      const entries = Object.entries(obj as Record<string, unknown>);
      if (!entries.every(([k, v]) => LABEL_NAME.test(k) && typeof v === "string" && v.length <= 63)) return bad;
      return { value: obj as Record<string, string> };
    }
  }
}

export function validateConfig(raw: RawConfig, stack: string): Settings {
  const problems: string[] = [];
  const name = (key: string) => `${CONFIG_NAMESPACE}:${key}`;
  const specs = new Map(SCHEMA.map((s) => [s.key, s]));

  for (const key of Object.keys(raw.values)) {
    if (!specs.has(key)) problems.push(`${name(key)}: unknown key.${suggestKey(key)} Remove it with 'pulumi config rm ${key}'.`);
  }

  const platformText = raw.values.platform;
  const platform = PLATFORMS.find((p) => p === platformText);
  if (platform === undefined) {
    problems.push(
      platformText === undefined
        ? `${name("platform")}: required; allowed: ${allowedText(specs.get("platform")!)}.`
        : `${name("platform")} = "${platformText}": allowed: ${allowedText(specs.get("platform")!)}.`,
    );
  }

  const v: Record<string, Value | undefined> = {};
  for (const spec of SCHEMA) {
    if (spec.key === "platform") continue; // checked above
    const given = raw.values[spec.key];
    const shown = spec.secret ? "(secret value hidden)" : `"${given}"`;
    if (given !== undefined && platform && !appliesTo(spec, platform)) {
      problems.push(`${name(spec.key)}: applies only to platform ${spec.platforms!.map((p) => `'${p}'`).join(" or ")}, not '${platform}'; remove it.`);
      continue;
    }
    if (given !== undefined && spec.secret && !raw.secretKeys.has(spec.key)) {
      problems.push(`${name(spec.key)}: must be a secret, but it is stored in plain text; run 'pulumi config set --secret ${spec.key} <value>'.`);
      continue;
    }
    const text = given ?? (platform ? defaultFor(spec, platform) : undefined);
    if (text === undefined) {
      if (platform && isRequired(spec, platform)) {
        problems.push(`${name(spec.key)}: required${spec.required === true ? "" : ` on platform '${platform}'`}; allowed: ${allowedText(spec)}${spec.secret ? " (set it with --secret)" : ""}.`);
      }
      continue;
    }
    const parsed = parseValue(spec, text);
    if (parsed.error) {
      problems.push(`${name(spec.key)} = ${shown}: allowed: ${parsed.error}.`);
      continue;
    }
    v[spec.key] = spec.secret ? new Secret(parsed.value as string) : parsed.value;
  }

  if (!platform) throw new ConfigError(stack, problems);

  const str = (k: string) => v[k] as string;
  const opt = <T extends Value>(k: string) => v[k] as T | undefined;
  const dur = (k: string) => v[k] as Duration;
  const num = (k: string) => v[k] as number;
  // Relations between keys are checked only where each key parsed: a parse error is reported already.
  if (v.scrapeTimeout && v.scrapeInterval && dur("scrapeTimeout").seconds > dur("scrapeInterval").seconds)
    problems.push(`${name("scrapeTimeout")} = "${dur("scrapeTimeout").text}": allowed: at most scrapeInterval (${dur("scrapeInterval").text}).`);
  if (v.dashboardRefresh && v.scrapeInterval && dur("dashboardRefresh").seconds < dur("scrapeInterval").seconds)
    problems.push(`${name("dashboardRefresh")} = "${dur("dashboardRefresh").text}": allowed: at least scrapeInterval (${dur("scrapeInterval").text}); a faster refresh only re-reads the same samples.`);
  if (v.connectionsWarning !== undefined && v.connectionsMax !== undefined && num("connectionsWarning") >= num("connectionsMax"))
    problems.push(`${name("connectionsWarning")} = "${num("connectionsWarning")}": allowed: less than connectionsMax (${num("connectionsMax")}).`);
  if (v.unstableWindow && v.scrapeInterval && dur("unstableWindow").seconds < 4 * dur("scrapeInterval").seconds)
    problems.push(`${name("unstableWindow")} = "${dur("unstableWindow").text}": allowed: at least 4 x scrapeInterval (${describeSeconds(4 * dur("scrapeInterval").seconds)}), so the window holds enough samples.`);
  if (v.alertEvaluationInterval) {
    const every = dur("alertEvaluationInterval");
    for (const k of ["aboveThresholdFor", "noConnectionsFor", "unstableFor", "serviceDownFor"]) {
      if (v[k] && dur(k).seconds % every.seconds !== 0)
        problems.push(`${name(k)} = "${dur(k).text}": allowed: a multiple of alertEvaluationInterval (${every.text}); Grafana evaluates the rule only that often.`);
    }
  }
  if (v.operationalTimezone && !isValidTimezone(str("operationalTimezone")))
    problems.push(`${name("operationalTimezone")} = "${str("operationalTimezone")}": allowed: an IANA time zone such as UTC or Europe/Berlin.`);
  if (v.operationalStart && v.operationalEnd && str("operationalStart") >= str("operationalEnd"))
    problems.push(`${name("operationalEnd")} = "${str("operationalEnd")}": allowed: a time after operationalStart (${str("operationalStart")}).`);
  for (const range of opt<string[]>("operationalDays") ?? []) {
    const [from, to = from] = range.split(":");
    if (WEEKDAYS.indexOf(from as never) > WEEKDAYS.indexOf(to as never))
      problems.push(`${name("operationalDays")} = "${range}": allowed: a range from an earlier to a later weekday (monday first), e.g. monday:friday.`);
  }
  const auth = opt<Secret>("grafanaAuth");
  if (auth && /\s/.test(auth.reveal()))
    problems.push(`${name("grafanaAuth")} = (secret value hidden): allowed: 'user:password' or a service account token, without spaces.`);
  const slack = opt<Secret>("slackWebhookUrl");
  if (slack && !slack.reveal().startsWith("https://"))
    problems.push(`${name("slackWebhookUrl")} = (secret value hidden): allowed: an https:// Slack incoming-webhook URL.`);

  const configured: ReceiverKind[] = RECEIVER_KINDS.filter(
    (k) => ({ slack: v.slackWebhookUrl, email: v.emailAddresses, webhook: v.webhookUrl })[k] !== undefined,
  );
  const receiverKeySet = ["slackWebhookUrl", "emailAddresses", "webhookUrl"].some((k) => raw.values[k] !== undefined);
  if (configured.length === 0 && !receiverKeySet)
    problems.push(`${name("slackWebhookUrl")}, ${name("emailAddresses")}, ${name("webhookUrl")}: none is set; allowed: at least one, so that alerts reach someone.`);
  for (const k of ["criticalReceivers", "warningReceivers"]) {
    const missing = (opt<ReceiverKind[]>(k) ?? []).filter((kind) => !configured.includes(kind));
    if (missing.length && configured.length)
      problems.push(`${name(k)} = "${raw.values[k]}": allowed: only configured kinds (${configured.join(", ")}); '${missing.join("', '")}' has no contact settings.`);
  }
  if (platform === "docker" && v.emailAddresses && !v.smtpHost)
    problems.push(`${name("smtpHost")}: required on platform 'docker' when emailAddresses is set (the Grafana container must send mail); allowed: host:port.`);
  if (v.createDatasource === true && !v.prometheusUrl && !problems.some((p) => p.startsWith(name("prometheusUrl"))))
    problems.push(`${name("prometheusUrl")}: required when createDatasource is true; allowed: an http(s) URL at which Grafana reaches Prometheus.`);
  if (v.alertEngine === "prometheus") {
    if (raw.values.grafanaRouting !== undefined)
      problems.push(`${name("grafanaRouting")} = "${raw.values.grafanaRouting}": applies only with alertEngine 'grafana'; with 'prometheus' Alertmanager routes the alerts. Remove it.`);
    // prometheus-operator's AlertmanagerConfig has no time zone for its time intervals (Alertmanager's `location`).
    if (platform === "kubernetes" && v.operationalTimezone && str("operationalTimezone") !== "UTC")
      problems.push(`${name("operationalTimezone")} = "${str("operationalTimezone")}": allowed with alertEngine 'prometheus' on platform 'kubernetes': UTC only, because prometheus-operator's AlertmanagerConfig time intervals have no time zone; give the hours in UTC or use alertEngine 'grafana'.`);
    if (platform === "local" && v.emailAddresses)
      problems.push(`${name("emailAddresses")}: not allowed with alertEngine 'prometheus' on platform 'local' (the local Alertmanager has no SMTP server); use webhookUrl or slackWebhookUrl.`);
  }
  if (platform === "docker" && auth && !auth.reveal().includes(":"))
    problems.push(`${name("grafanaAuth")} = (secret value hidden): allowed on platform 'docker': 'admin:<password>', which also sets the container's admin password.`);

  if (problems.length) throw new ConfigError(stack, problems);

  const targets = opt<string[]>("targets") ?? [];
  const scheme = str("scheme") as "http" | "https";
  const receivers = (k: string) => opt<ReceiverKind[]>(k) ?? configured;
  const settings: Settings = {
    stack,
    environment: opt<string>("environment") ?? stack,
    platform,
    namePrefix: str("namePrefix"),
    protect: v.protect as boolean,
    grafana: {
      url: str("grafanaUrl"),
      auth: auth!,
      folderTitle: str("folderTitle"),
      uidSuffix: opt<string>("uidSuffix"),
      routing: str("grafanaRouting") as GrafanaRouting,
      dashboardTitle: str("dashboardTitle"),
      dashboardRefresh: dur("dashboardRefresh"),
      datasourceUid: str("datasourceUid"),
      createDatasource: v.createDatasource as boolean,
      prometheusUrl: opt<string>("prometheusUrl"),
    },
    scrape: {
      jobName: str("jobName"),
      healthJobName: str("healthJobName"),
      metricsPath: str("metricsPath"),
      healthPath: str("healthPath"),
      scheme,
      interval: dur("scrapeInterval"),
      timeout: dur("scrapeTimeout"),
      targets,
      healthUrl: opt<string>("healthUrl") ?? `${scheme}://${targets[0]}${str("healthPath")}`,
      blackboxExporter: str("blackboxExporter"),
      blackboxModule: str("blackboxModule"),
    },
    metrics: {
      activeConnections: str("metricActiveConnections"),
      connectionsTotal: str("metricConnectionsTotal"),
      disconnectionsTotal: str("metricDisconnectionsTotal"),
      messagesTotal: str("metricMessagesTotal"),
      connectionDuration: str("metricConnectionDuration"),
    },
    alerts: {
      engine: str("alertEngine") as AlertEngine,
      evaluationInterval: dur("alertEvaluationInterval"),
      connectionsWarning: num("connectionsWarning"),
      connectionsMax: num("connectionsMax"),
      aboveThresholdFor: dur("aboveThresholdFor"),
      noConnectionsFor: dur("noConnectionsFor"),
      unstableChangeRatio: num("unstableChangeRatio"),
      unstableWindow: dur("unstableWindow"),
      unstableMinBaseline: num("unstableMinBaseline"),
      unstableFor: dur("unstableFor"),
      serviceDownFor: dur("serviceDownFor"),
      runbookBaseUrl: str("runbookBaseUrl"),
      operationalHours: {
        timezone: str("operationalTimezone"),
        weekdays: opt<string[]>("operationalDays")!,
        start: str("operationalStart"),
        end: str("operationalEnd"),
      },
    },
    notifications: {
      slack: slack ? { webhookUrl: slack, channel: opt<string>("slackChannel") } : undefined,
      email: v.emailAddresses ? { addresses: opt<string[]>("emailAddresses")! } : undefined,
      webhook: v.webhookUrl ? { url: opt<Secret>("webhookUrl")! } : undefined,
      critical: receivers("criticalReceivers"),
      warning: receivers("warningReceivers"),
      groupWait: dur("groupWait"),
      groupInterval: dur("groupInterval"),
      repeatInterval: dur("repeatInterval"),
    },
  };
  if (platform === "kubernetes") {
    settings.kubernetes = {
      namespace: str("k8sNamespace"),
      scrapeMode: str("k8sScrapeMode") as "serviceMonitor" | "additionalScrapeConfig",
      serviceNamespace: str("k8sServiceNamespace"),
      serviceSelector: opt<Record<string, string>>("k8sServiceSelector")!,
      servicePort: str("k8sServicePort"),
      monitorLabels: opt<Record<string, string>>("k8sMonitorLabels")!,
    };
  }
  if (platform === "docker") {
    settings.docker = {
      network: str("dockerNetwork"),
      prometheusImage: str("prometheusImage"),
      grafanaImage: str("grafanaImage"),
      blackboxImage: str("blackboxImage"),
      alertmanagerImage: str("alertmanagerImage"),
      prometheusPort: num("prometheusPort"),
      grafanaPort: num("grafanaPort"),
      alertmanagerPort: num("alertmanagerPort"),
      keepData: v.keepData as boolean,
      smtp: v.smtpHost
        ? { host: str("smtpHost"), user: opt<string>("smtpUser"), password: opt<Secret>("smtpPassword"), fromAddress: str("smtpFromAddress") }
        : undefined,
    };
  }
  if (platform === "local") {
    settings.local = {
      prometheusConfigFile: str("prometheusConfigFile"),
      alertmanagerConfigFile: str("alertmanagerConfigFile"),
      prometheusPort: num("prometheusPort"),
      grafanaPort: num("grafanaPort"),
      alertmanagerPort: num("alertmanagerPort"),
    };
  }
  return settings;
}
