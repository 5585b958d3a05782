/**
 * What reaches the on-call engineer, defined once for both engines: every Slack message and e-mail
 * says, per alert, firing or resolved, the alert name, severity, environment, service, summary,
 * description (which carries the value), the runbook and the dashboard over the alert's time range.
 *
 * The message is Go text/template over the notification data, whose fields Alertmanager and
 * Grafana name alike (.Status, .Alerts, .CommonLabels; per alert .Labels, .Annotations, .StartsAt,
 * .EndsAt), using only Alertmanager's template functions, which Grafana has too. Alertmanager gets
 * each text inline in its receiver fields (alerts/alertmanager.ts, alerts/kubernetes.ts: an
 * AlertmanagerConfig cannot load template files); Grafana gets them as `{{ define }}` blocks of one
 * notification template group, which the contact points name (alerts/notifications.ts).
 */
import { eachService, type Services, type Settings } from "../config/settings";
import { dashboardUid } from "../dashboards/ids";
import { resourceBaseName } from "../lib/naming";
import { dashboardUidOf } from "../lib/uids";
import { alertDefinitions } from "./definitions";

/** One line of an alert in a message: a label and a pipeline over the alert (dot is one of .Alerts). */
interface MessageField {
  label: string;
  pipeline: string;
  /** A URL: a link in HTML. */
  link?: boolean;
}

/** The message's texts, each a Go template over one notification (a group of alerts). */
export interface NotificationMessage {
  /** One line: status, count, alert name, severity, environment, service. Slack title, e-mail subject. */
  title: string;
  /** Every alert with every field, one per line. Slack text, plain-text e-mail. */
  text: string;
  /** The same as HTML: Alertmanager's e-mail body (html/template escapes the values). */
  html: string;
  /** The dashboard over the first alert's time range: Slack's title link (Alertmanager). */
  titleLink: string;
}

/** How far the dashboard link reaches after an alert resolved. */
const AFTER_MS = 10 * 60_000;

/** The Grafana dashboard's URL, without a time range. */
export function dashboardBaseUrl(s: Settings): string {
  return `${s.grafana.url.replace(/\/+$/, "")}/d/${dashboardUid(s)}`;
}

/** The dashboard link starts this long before an alert fired: its longest pending period, plus 10 minutes. */
export function dashboardLeadMs(s: Settings): number {
  return (Math.max(0, ...alertDefinitions(s).map((a) => a.for.seconds)) + 600) * 1000;
}

const NS_PER_MS = 1_000_000;

/** Sets `$to` for the alert in dot: its end (plus AFTER_MS) once resolved, else Grafana's `now`. */
const TO = `{{ $to := "now" }}{{ if eq .Status "resolved" }}{{ $to = printf "%d" (.EndsAt.Add ${AFTER_MS * NS_PER_MS}).UnixMilli }}{{ end }}`;

/** The alert's dashboard over its time range; a listed service's dashboard is named after it, as the alert's `service` label is. */
function dashboardPipeline(services: Services): string {
  const all = eachService(services);
  const s = all[0];
  const lead = Math.max(...all.map(dashboardLeadMs)) * NS_PER_MS;
  if (!s.service.listed) return `printf ${JSON.stringify(`${dashboardBaseUrl(s).replace(/%/g, "%%")}?from=%d&to=%s`)} (.StartsAt.Add -${lead}).UnixMilli $to`;
  const grafana = `${s.grafana.url.replace(/\/+$/, "").replace(/%/g, "%%")}/d/${dashboardUidOf("%s", s.grafana.uidSuffix)}`;
  return `printf ${JSON.stringify(`${grafana}?from=%d&to=%s`)} .Labels.service (.StartsAt.Add -${lead}).UnixMilli $to`;
}

/** Each alert's lines, in order. */
function fields(s: Services): MessageField[] {
  return [
    { label: "Severity", pipeline: ".Labels.severity" },
    { label: "Environment", pipeline: ".Labels.environment" },
    { label: "Service", pipeline: ".Labels.service" },
    { label: "Summary", pipeline: ".Annotations.summary" },
    { label: "Description", pipeline: ".Annotations.description" },
    { label: "Runbook", pipeline: ".Annotations.runbook_url", link: true },
    { label: "Dashboard", pipeline: dashboardPipeline(s), link: true },
  ];
}

const HEADING = "{{ .Status | toUpper }}: {{ .Labels.alertname }}";

/** The message for the stack's dashboard; pure, and the same for both engines. */
export function notificationMessage(s: Services): NotificationMessage {
  const f = fields(s);
  const eachAlert = (body: string) => `{{ range .Alerts }}${TO}${body}{{ end }}`;
  const html = (field: MessageField) => {
    const value = field.link ? `<a href="{{ ${field.pipeline} }}">{{ ${field.pipeline} }}</a>` : `{{ ${field.pipeline} }}`;
    return `<tr><th align="left">${field.label}</th><td>${value}</td></tr>`;
  };
  const message: NotificationMessage = {
    title:
      '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} ' +
      "({{ .CommonLabels.severity }}, {{ .CommonLabels.environment }}, {{ .CommonLabels.service }})",
    text: eachAlert(`${HEADING}\n${f.map((field) => `${field.label}: {{ ${field.pipeline} }}\n`).join("")}\n`),
    html: eachAlert(`<h3>${HEADING}</h3>\n<table>\n${f.map(html).join("\n")}\n</table>\n`),
    titleLink: `{{ with index .Alerts 0 }}${TO}{{ ${dashboardPipeline(s)} }}{{ end }}`,
  };
  for (const [part, text] of Object.entries(message)) assertTemplate(`the message's ${part}`, text);
  return message;
}

/** The parts of the message Grafana's contact points use (its e-mail wraps the text in its own HTML). */
export const GRAFANA_MESSAGE_PARTS = ["title", "text"] as const;
type GrafanaPart = (typeof GRAFANA_MESSAGE_PARTS)[number];

/** Grafana's notification templates share one namespace per organisation: the names carry the stack's. */
export function grafanaTemplateName(s: Settings, part: GrafanaPart): string {
  return `${resourceBaseName(s)}.${part}`;
}

/** What a contact point field holds: a reference to the stack's template. */
export function grafanaTemplateRef(s: Settings, part: GrafanaPart): string {
  return `{{ template "${grafanaTemplateName(s, part)}" . }}`;
}

/** The notification template group (grafana.alerting.MessageTemplate) that defines each part. */
export function grafanaMessageTemplate(services: Services): { name: string; template: string } {
  const s = eachService(services)[0];
  const message = notificationMessage(services);
  const template = GRAFANA_MESSAGE_PARTS.map((part) => `{{ define "${grafanaTemplateName(s, part)}" }}${message[part]}{{ end }}`).join("\n");
  return { name: `${resourceBaseName(s)}-messages`, template: assertTemplate("Grafana's template group", template) };
}

const BLOCK_OPENERS = new Set(["if", "range", "with", "define", "block"]);
/** The annotations every rule of both engines carries (alerts/prometheus.ts, alerts/grafana.ts): a template may read only these. */
export const ALERT_ANNOTATIONS = ["summary", "description", "runbook_url"] as const;

/**
 * What would keep a Go template from parsing, found without Go: an unclosed action, a block
 * (`if`, `range`, `with`, `define`) without its `end` or an `end` too many, a `{{ template }}` of a
 * name not in `defined`, an annotation no rule carries (it would print nothing, silently). Empty
 * when the text is sound. The renderers throw on any (assertTemplate).
 */
export function templateProblems(text: string, defined: readonly string[] = []): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  const defines: string[] = [];
  const references: { action: string; name?: string }[] = [];
  let rest = text;
  for (let at = rest.indexOf("{{"); at >= 0; at = rest.indexOf("{{")) {
    const close = rest.indexOf("}}", at + 2);
    if (close < 0) return [...problems, `unclosed action: ${rest.slice(at, at + 40)}`];
    const action = rest.slice(at + 2, close).replace(/^-?\s*|\s*-?$/g, "");
    const word = action.split(/\s+/)[0];
    if (BLOCK_OPENERS.has(word)) open.push(word);
    const name = /^(?:define|template)\s+"([^"]*)"/.exec(action)?.[1];
    if (word === "define" && name !== undefined) defines.push(name);
    if (word === "template") references.push({ action, name });
    if (word === "end" && open.pop() === undefined) problems.push("{{ end }} without a block to close");
    for (const [, key] of action.matchAll(/\.(?:Common)?Annotations\.(\w+)/g))
      if (!(ALERT_ANNOTATIONS as readonly string[]).includes(key)) problems.push(`{{ ${action} }}: no alert has the annotation '${key}' (they have ${ALERT_ANNOTATIONS.join(", ")})`);
    rest = rest.slice(close + 2);
  }
  if (open.length) problems.push(`{{ ${open.join(" }}, {{ ")} }} without its {{ end }}`);
  for (const r of references)
    if (r.name === undefined || ![...defined, ...defines].includes(r.name)) problems.push(`{{ ${r.action} }}: no template of that name is defined`);
  return problems;
}

/** Throws, naming the field, when `text` would not parse (templateProblems). */
export function assertTemplate(where: string, text: string, defined: readonly string[] = []): string {
  const problems = templateProblems(text, defined);
  if (problems.length) throw new Error(`notification template of ${where} does not parse: ${problems.join("; ")}`);
  return text;
}
