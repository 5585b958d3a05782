/**
 * The message of alerts/messages.ts: every receiver field of both engines carries it, Grafana's
 * contact points name only templates its template group defines, and every template parses and
 * executes, as Alertmanager's template package runs it, on Alertmanager's and Grafana's data.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { alertmanagerConfig } from "../../alerts/alertmanager";
import { alertDefinitions } from "../../alerts/definitions";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { alertmanagerConfigObject } from "../../alerts/kubernetes";
import {
  GRAFANA_MESSAGE_PARTS, dashboardLeadMs, grafanaMessageTemplate, grafanaTemplateName, notificationMessage, templateProblems, type NotificationMessage,
} from "../../alerts/messages";
import { contactPoints } from "../../alerts/notifications";
import { eachService, onPlatform, type Services } from "../../config/settings";
import { validateConfig } from "../../config/validate";
import { notificationData, renderTemplates, type Engine, type RenderCase, type SampleAlert } from "../support/goTemplates";
import { checkMessage } from "../support/messageChecks";
import { stackRawConfig } from "../support/stacks";
import { FIXTURES_DIR, servicesFromStackFile } from "../../render/stackSettings";

const localRaw = stackRawConfig("local", { emailAddresses: '["oncall@example.com"]', smtpHost: "127.0.0.1:25", criticalReceivers: '["slack","email","webhook"]', slackWebhookUrl: "http://127.0.0.1:9099/slack" });
const local = validateConfig({ ...localRaw, secretKeys: new Set([...localRaw.secretKeys, "slackWebhookUrl"]) }, "local");
const prod = validateConfig(stackRawConfig("prod", { alertEngine: "prometheus", operationalTimezone: "UTC", smtpHost: "smtp.example.com:587" }), "prod");
const grafanaProd = validateConfig(stackRawConfig("prod"), "prod");

describe("one message for both engines", () => {
  test("the message names every element: status, alert, severity, environment, service, summary, description, runbook, dashboard", () => {
    const m = notificationMessage(local);
    for (const part of [".Status", ".CommonLabels.alertname", ".CommonLabels.severity", ".CommonLabels.environment", ".CommonLabels.service"]) assert.ok(m.title.includes(part), `title lacks ${part}`);
    for (const body of [m.text, m.html])
      for (const part of [".Status", ".Labels.alertname", ".Labels.severity", ".Labels.environment", ".Labels.service", ".Annotations.summary", ".Annotations.description", ".Annotations.runbook_url", `/d/websocket-service-monitoring?from=`])
        assert.ok(body.includes(part), `body lacks ${part}:\n${body}`);
  });

  test("alertmanager.yml: every Slack and e-mail receiver carries the message itself", () => {
    const m = notificationMessage(local);
    const receivers = parse(JSON.stringify(alertmanagerConfig(local))).receivers as Record<string, any>[];
    const critical = receivers.find((r) => r.name.endsWith("-critical"))!;
    assert.deepEqual(critical.slack_configs.map((c: any) => [c.title, c.title_link, c.text]), [[m.title, m.titleLink, m.text]]);
    assert.deepEqual(critical.email_configs.map((c: any) => [c.headers, c.html, c.text]), [[{ Subject: m.title }, m.html, m.text]]);
    assert.deepEqual(alertmanagerConfig(local).global, { smtp_smarthost: "127.0.0.1:25", smtp_from: "grafana@localhost" }, "TLS stays required unless smtpRequireTls is false");
  });

  test("AlertmanagerConfig (prometheus-operator v1alpha1): the same message inline in every Slack and e-mail receiver", () => {
    const m = notificationMessage(prod);
    const receivers = (alertmanagerConfigObject(onPlatform(prod, "kubernetes")).spec as { receivers: Record<string, any>[] }).receivers;
    const slack = receivers.flatMap((r) => r.slackConfigs ?? []);
    const email = receivers.flatMap((r) => r.emailConfigs ?? []);
    assert.ok(slack.length > 0 && email.length > 0, "prod has Slack and e-mail");
    for (const c of slack) assert.deepEqual([c.title, c.titleLink, c.text], [m.title, m.titleLink, m.text]);
    for (const c of email) assert.deepEqual([c.headers, c.html, c.text], [[{ key: "Subject", value: m.title }], m.html, m.text]);
  });

  test("Grafana: the contact points name only templates of the stack's template group, which holds the same message", () => {
    const group = grafanaMessageTemplate(grafanaProd);
    const defined = GRAFANA_MESSAGE_PARTS.map((part) => grafanaTemplateName(grafanaProd, part));
    assert.deepEqual(templateProblems(group.template), []);
    const fields = contactPoints(grafanaProd).flatMap((cp) => [cp.slack?.title, cp.slack?.text, cp.email?.subject, cp.email?.message].filter((f) => f !== undefined));
    assert.ok(fields.length >= 4, "prod has Slack and e-mail");
    for (const field of fields) assert.deepEqual(templateProblems(field, defined), [], field);
    const m = notificationMessage(grafanaProd);
    for (const part of GRAFANA_MESSAGE_PARTS) assert.ok(group.template.includes(`{{ define "${grafanaTemplateName(grafanaProd, part)}" }}${m[part]}{{ end }}`));
    assert.notEqual(grafanaTemplateName(grafanaProd, "title"), grafanaTemplateName(validateConfig(stackRawConfig("staging"), "staging"), "title"), "template names are per stack: one organisation may hold several");
  });

  test("a template that would not parse is refused, naming what is wrong", () => {
    assert.deepEqual(templateProblems('{{ if eq .Status "firing" }}x'), ['{{ if }} without its {{ end }}']);
    assert.deepEqual(templateProblems("x{{ end }}"), ["{{ end }} without a block to close"]);
    assert.deepEqual(templateProblems("{{ .Status "), ["unclosed action: {{ .Status "]);
    assert.deepEqual(templateProblems("{{ .Annotations.summary }} {{ .Annotations.runbook }}"), ["{{ .Annotations.runbook }}: no alert has the annotation 'runbook' (they have summary, description, runbook_url)"]);
    assert.deepEqual(templateProblems('{{ template "websocket.nope" . }}', ["websocket.title"]), ['{{ template "websocket.nope" . }}: no template of that name is defined']);
  });
});

describe("the templates execute as Alertmanager and Grafana execute them (Alertmanager 0.25's template package)", { timeout: 600_000 }, () => {
  const s = local;
  const startsAt = new Date("2025-03-04T10:00:00Z");
  const endsAt = new Date("2025-03-04T10:07:00Z");
  const down = alertDefinitions(s).find((a) => a.name === ALERT_NAMES.serviceDown)!;
  const sample = (status: SampleAlert["status"]): SampleAlert => ({
    status,
    labels: { alertname: down.name, ...down.labels, reason: "scrape_failed" },
    annotations: { summary: down.summary, description: "WebSocket service not healthy: value 0 (scrape_failed)", runbook_url: down.runbookUrl },
    startsAt,
    ...(status === "resolved" && { endsAt }),
  });
  /** Each field of the stack's message (Grafana's: its contact points' references) on one notification of `alert`. */
  const cases = (engine: Engine, status: SampleAlert["status"], alert = sample(status), stack: Services = s): RenderCase[] => {
    const data = notificationData(engine, [alert]);
    const m: NotificationMessage = notificationMessage(stack);
    const [first] = eachService(stack);
    const grafanaFields = { title: `{{ template "${grafanaTemplateName(first, "title")}" . }}`, text: `{{ template "${grafanaTemplateName(first, "text")}" . }}` };
    const fields = engine === "grafana" ? grafanaFields : { title: m.title, text: m.text, html: m.html, titleLink: m.titleLink };
    return Object.entries(fields).map(([field, template]) => ({ name: `${engine} ${status} ${field}`, engine, mode: field === "html" ? "html" : "text", template, data }));
  };
  const all = (["alertmanager", "grafana"] as const).flatMap((engine) => (["firing", "resolved"] as const).flatMap((status) => cases(engine, status)));

  test("firing and resolved, on both engines' data: every element, and the dashboard over the alert's time range", () => {
    const run = renderTemplates(grafanaMessageTemplate(s).template, all);
    assert.equal(run.status, 0, run.stderr);
    const out = (name: string) => run.results.find((r) => r.name === name)?.output;
    for (const engine of ["alertmanager", "grafana"] as const)
      for (const status of ["firing", "resolved"] as const) {
        const message = { title: out(`${engine} ${status} title`)!, text: out(`${engine} ${status} text`)!, html: out(`${engine} ${status} html`) };
        const expected = { status, alertname: down.name, severity: "critical", environment: s.environment, service: s.scrape.jobName, summary: down.summary, description: /value 0 \(scrape_failed\)/, runbookUrl: down.runbookUrl };
        const { problems, range } = checkMessage(s, message, expected);
        assert.deepEqual(problems, [], `${engine} ${status}:\n${message.text}\n${message.html ?? ""}`);
        assert.deepEqual(range, { from: startsAt.getTime() - dashboardLeadMs(s), to: status === "firing" ? "now" : endsAt.getTime() + 600_000 });
        if (engine === "alertmanager") assert.ok(message.text.length > 0 && out(`${engine} ${status} titleLink`)!.includes(`?from=${range!.from}&to=`));
      }
  });

  test("two services (the two-service fixture): the title and the summary say which service is down, on both engines' data", () => {
    const two = servicesFromStackFile("services", {}, FIXTURES_DIR);
    const presence = two[1];
    const down = alertDefinitions(presence).find((a) => a.name === ALERT_NAMES.serviceDown)!;
    const alert: SampleAlert = { status: "firing", labels: { alertname: down.name, ...down.labels, reason: "health_failed" }, annotations: { summary: down.summary, description: "health_failed", runbook_url: down.runbookUrl }, startsAt };
    const run = renderTemplates(grafanaMessageTemplate(two).template, (["alertmanager", "grafana"] as const).flatMap((engine) => cases(engine, "firing", alert, two)));
    assert.equal(run.status, 0, run.stderr);
    for (const engine of ["alertmanager", "grafana"] as const) {
      const out = (field: string) => run.results.find((r) => r.name === `${engine} firing ${field}`)?.output ?? "";
      const message = { title: out("title"), text: out("text") };
      const expected = { status: "firing" as const, alertname: down.name, severity: "critical", environment: "services", service: "presence", summary: "WebSocket service presence down or not monitored in services", description: /health_failed/, runbookUrl: down.runbookUrl };
      assert.deepEqual(checkMessage(presence, message, expected).problems, [], `${engine}:\n${message.title}\n${message.text}`);
    }
  });

  test("a template that does not parse fails, naming the field and the error", () => {
    const broken = all.filter((c) => c.name === "alertmanager firing text").map((c) => ({ ...c, template: `{{ if eq .Status "firing" }}${c.template}` }));
    const run = renderTemplates(grafanaMessageTemplate(s).template, broken);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /alertmanager firing text: template: :\d+: unexpected EOF/);
    const group = renderTemplates(`{{ define "x" }}{{ if .Status }}`, all.filter((c) => c.engine === "grafana"));
    assert.equal(group.status, 1);
    assert.match(group.stderr, /Grafana's template group does not parse: .*unexpected EOF/);
  });
});
