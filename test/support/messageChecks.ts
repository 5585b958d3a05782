/**
 * What a notification about an alert must say (README, "What a notification says"), read back from
 * what a person receives: the title, and in the text the alert's block, `<STATUS>: <alertname>`
 * followed by `Label: value` lines; the HTML body, where there is one, with the same fields and links.
 */
import { dashboardBaseUrl } from "../../alerts/messages";
import type { Settings } from "../../config/settings";

export interface ExpectedAlert {
  status: "firing" | "resolved";
  alertname: string;
  severity: string;
  environment: string;
  service: string;
  summary: string;
  description: RegExp;
  runbookUrl: string;
}

export interface DashboardRange {
  from: number;
  to: number | "now";
}

/** The `Label: value` lines of the alert's block in `text`; undefined when there is no block for it. */
function alertBlock(text: string, alert: ExpectedAlert): Record<string, string> | undefined {
  const block = text
    .split(/\n\s*\n/)
    .map((b) => b.trim().split("\n"))
    .find(([heading]) => heading.trim() === `${alert.status.toUpperCase()}: ${alert.alertname}`);
  return block && Object.fromEntries(block.slice(1).map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()]));
}

/** Every way the message falls short of the promise, and the dashboard link's time range. */
export function checkMessage(s: Settings, m: { title: string; text: string; html?: string }, alert: ExpectedAlert): { problems: string[]; range?: DashboardRange } {
  const problems: string[] = [];
  const status = alert.status.toUpperCase();
  const title = new RegExp(`^\\[${status}(:\\d+)?\\] ${alert.alertname} \\(${alert.severity}, ${alert.environment}, ${alert.service}\\)$`);
  if (!title.test(m.title.trim())) problems.push(`title '${m.title}' is not ${title}`);
  const fields = alertBlock(m.text, alert);
  if (!fields) return { problems: [...problems, `no block '${status}: ${alert.alertname}' in the text:\n${m.text}`] };
  const expect = (label: string, ok: (value: string) => boolean, what: string) => {
    if (!ok(fields[label] ?? "")) problems.push(`${label}: '${fields[label] ?? "(missing)"}' is not ${what}`);
  };
  expect("Severity", (v) => v === alert.severity, alert.severity);
  expect("Environment", (v) => v === alert.environment, alert.environment);
  expect("Service", (v) => v === alert.service, alert.service);
  expect("Summary", (v) => v === alert.summary, alert.summary);
  expect("Description", (v) => alert.description.test(v), String(alert.description));
  expect("Runbook", (v) => v === alert.runbookUrl, alert.runbookUrl);
  const base = dashboardBaseUrl(s);
  const link = /^(.*)\?from=(\d+)&to=(now|\d+)$/.exec(fields.Dashboard ?? "");
  if (!link || link[1] !== base) problems.push(`Dashboard: '${fields.Dashboard}' is not ${base}?from=<ms>&to=<ms or now>`);
  const range = link ? { from: Number(link[2]), to: link[3] === "now" ? ("now" as const) : Number(link[3]) } : undefined;
  if (range && (alert.status === "firing") !== (range.to === "now")) problems.push(`Dashboard: a ${alert.status} alert's range ends at ${range.to}`);
  if (m.html !== undefined) {
    for (const label of Object.keys(fields)) if (!m.html.includes(`<th align="left">${label}</th>`)) problems.push(`HTML: no ${label} row`);
    if (!m.html.includes(`<a href="${alert.runbookUrl}">`)) problems.push("HTML: no runbook link");
    if (!m.html.includes(`<a href="${base}?from=${link?.[2]}&amp;to=${link?.[3]}">`)) problems.push("HTML: no dashboard link with the text's range");
  }
  return { problems, range };
}
