/**
 * The policy pack on every form the alerts and their receivers take: every committed stack with
 * both alert engines passes, and each alert policy's violation, injected into each form of the
 * rules (Grafana rule group, local rules.yml, the docker Prometheus container's upload, the
 * PrometheusRule), fails it; so does a plain credential in each receiver form.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse, stringify } from "yaml";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { FILE_TYPES, GRAFANA_TYPES } from "../../policy/types";
import { reveal, runStack, type Registered, type StackRun } from "../support/mockStack";
import { allViolations, violations } from "../support/policyRuns";
import { TEST_SECRETS, stackRawConfig } from "../support/stacks";

type Engine = "grafana" | "prometheus";

/** What each committed stack needs to run with `engine` (Kubernetes + prometheus: UTC hours, an SMTP server of its own for e-mail). */
function engineConfig(stack: string, engine: Engine): Record<string, string> {
  if (engine === "grafana") return { alertEngine: "grafana" };
  return { alertEngine: "prometheus", ...(stack === "staging" || stack === "prod" ? { operationalTimezone: "UTC" } : {}), ...(stack === "prod" ? { smtpHost: "smtp.example.com:587" } : {}) };
}

const runs = new Map<string, Promise<StackRun>>();
function runWith(stack: string, engine: Engine): Promise<StackRun> {
  const key = `${stack}/${engine}`;
  if (!runs.has(key)) runs.set(key, runStack(stack, stackRawConfig(stack, engineConfig(stack, engine))));
  return runs.get(key)!;
}

/** Every optional signal of the WebSocket layer (the handshake objective among them) and the upgrade probe, which the committed Kubernetes stacks leave off. */
const WHOLE_LAYER = { exposesUpgrades: "true", exposesCloseCodes: "true", exposesConnectionLimit: "true", upgradeProbe: "true" };

describe("every committed stack with either alert engine: no violation", () => {
  for (const stack of Object.keys(TEST_SECRETS))
    for (const engine of ["grafana", "prometheus"] as const)
      test(`${stack}, alertEngine ${engine}`, async () => {
        assert.deepEqual(await allViolations(stack, (await runWith(stack, engine)).resources), []);
      });
  for (const engine of ["grafana", "prometheus"] as const)
    test(`prod with the whole WebSocket layer and the upgrade probe, alertEngine ${engine}`, async () => {
      const r = await runStack("prod", stackRawConfig("prod", { ...engineConfig("prod", engine), ...WHOLE_LAYER }));
      const rules = JSON.stringify(r.resources.map((x) => x.inputs));
      assert.ok(rules.includes(ALERT_NAMES.handshakeBudgetBurn) && rules.includes("websocket-upgrade"), "the handshake objective's rules and the upgrade probe are registered");
      assert.deepEqual(await allViolations("prod", r.resources), []);
    });
});

/** A rule as the Prometheus forms hold it. */
type PromRule = { alert: string; expr: string; for: string; labels: Record<string, string>; annotations: Record<string, string> };
/** Edits one rule, whatever the form: annotations and labels in place; `for` and the threshold through setters. */
interface RuleEdit {
  annotations: Record<string, string>;
  labels: Record<string, string>;
  setFor(value: string): void;
  setThreshold(value: number): void;
}

interface RuleForm {
  name: string;
  stack: string;
  engine: Engine;
  /** The resource that holds the rules. */
  find(r: StackRun): Registered;
  /** The resource with `edit` applied to the rule named `alert`. */
  edited(r: Registered, alert: string, edit: (rule: RuleEdit) => void): Registered;
}

function promEdit(rule: PromRule): RuleEdit {
  return {
    annotations: rule.annotations,
    labels: rule.labels,
    setFor: (v) => (rule.for = v),
    setThreshold: (v) => (rule.expr = rule.expr.replace(/\S+$/, String(v))),
  };
}

/** Edits a rule file's text (YAML with `groups`). */
function editRuleFile(text: string, alert: string, edit: (rule: RuleEdit) => void): string {
  const file = parse(text) as { groups: { rules: PromRule[] }[] };
  edit(promEdit(file.groups.flatMap((g) => g.rules).find((x) => x.alert === alert)!));
  return stringify(file);
}

const byName = (type: string, suffix: string) => (r: StackRun) => r.resources.find((x) => x.type === type && x.name.endsWith(suffix))!;

const RULE_FORMS: RuleForm[] = [
  {
    name: "Grafana rule group",
    stack: "prod",
    engine: "grafana",
    find: byName(GRAFANA_TYPES.ruleGroup, "-alerting-rules"),
    edited(r, alert, edit) {
      const rules = reveal(r.inputs.rules) as { name: string; for: string; annotations: Record<string, string>; labels: Record<string, string>; datas: { model: string }[] }[];
      const rule = rules.find((x) => x.name === alert)!;
      edit({
        annotations: rule.annotations,
        labels: rule.labels,
        setFor: (v) => (rule.for = v),
        setThreshold: (v) => {
          const data = rule.datas.find((d) => JSON.parse(d.model).type === "threshold")!;
          const model = JSON.parse(data.model);
          model.conditions[0].evaluator.params = [v];
          data.model = JSON.stringify(model);
        },
      });
      return { ...r, inputs: { ...r.inputs, rules } };
    },
  },
  {
    name: "local rules.yml (LocalFile)",
    stack: "local",
    engine: "prometheus",
    find: byName(FILE_TYPES.localFile, "-alerting-rules"),
    edited: (r, alert, edit) => ({ ...r, inputs: { ...r.inputs, content: editRuleFile(r.inputs.content as string, alert, edit) } }),
  },
  {
    name: "docker: rules.yml uploaded to the Prometheus container",
    stack: "dev",
    engine: "prometheus",
    find: byName(FILE_TYPES.container, "-prometheus"),
    edited(r, alert, edit) {
      const uploads = (reveal(r.inputs.uploads) as { file: string; content: string }[]).map((u) => (u.file.endsWith("rules.yml") ? { ...u, content: editRuleFile(u.content, alert, edit) } : u));
      return { ...r, inputs: { ...r.inputs, uploads } };
    },
  },
  {
    name: "Kubernetes PrometheusRule",
    stack: "prod",
    engine: "prometheus",
    find: byName(FILE_TYPES.prometheusRule, "-alerting-rules"),
    edited(r, alert, edit) {
      const spec = structuredClone(reveal(r.inputs.spec)) as { groups: { rules: PromRule[] }[] };
      edit(promEdit(spec.groups.flatMap((g) => g.rules).find((x) => x.alert === alert)!));
      return { ...r, inputs: { ...r.inputs, spec } };
    },
  },
];

const INJECTED: { what: string; alert: string; edit: (rule: RuleEdit) => void; expected: string }[] = [
  {
    what: "an empty runbook_url",
    alert: ALERT_NAMES.serviceDown,
    edit: (rule) => (rule.annotations.runbook_url = ""),
    expected: `alert-rules-documented: alert rule '${ALERT_NAMES.serviceDown}' has no 'runbook_url' annotation`,
  },
  {
    what: "a connection limit of 20000000",
    alert: ALERT_NAMES.aboveThreshold,
    edit: (rule) => rule.setThreshold(20_000_000),
    expected: `alert-thresholds-in-range: alert rule '${ALERT_NAMES.aboveThreshold}': threshold 20000000 is outside 1..10000000 (the range of connectionsMax)`,
  },
  {
    what: "no pending period",
    alert: ALERT_NAMES.unstable,
    edit: (rule) => rule.setFor("0s"),
    expected: `alert-rules-pending-period: alert rule '${ALERT_NAMES.unstable}' has a zero pending period ('for' is '0s')`,
  },
  {
    what: "a severity routing does not know",
    alert: ALERT_NAMES.noActiveConnections,
    edit: (rule) => (rule.labels.severity = "page"),
    expected: `alert-rules-severity: alert rule '${ALERT_NAMES.noActiveConnections}' has severity 'page'; allowed: critical, warning, none`,
  },
];

for (const form of RULE_FORMS) {
  describe(`alert policies on the ${form.name} (${form.stack}, alertEngine ${form.engine})`, () => {
    for (const injected of INJECTED) {
      test(`fails: ${injected.what}`, async () => {
        const r = form.find(await runWith(form.stack, form.engine));
        assert.deepEqual(await violations(form.stack, r), [], "as registered");
        assert.deepEqual(await violations(form.stack, form.edited(r, injected.alert, injected.edit)), [injected.expected]);
      });
    }
  });
}

const PLAIN = "is plain text: pass it through pulumi.secret() (config: 'pulumi config set --secret')";

describe("receiver-credentials-secret on every receiver form", () => {
  test("local: alertmanager.yml (LocalFile) with the webhook URL in plain text", async () => {
    const r = byName(FILE_TYPES.localFile, "-alertmanager-config")(await runWith("local", "prometheus"));
    assert.deepEqual(await violations("local", { ...r, inputs: reveal(r.inputs) as Record<string, unknown> }), [`receiver-credentials-secret: content ${PLAIN}`]);
  });

  test("docker: alertmanager.yml uploaded to the Alertmanager container in plain text", async () => {
    const r = byName(FILE_TYPES.container, "-alertmanager")(await runWith("dev", "prometheus"));
    assert.deepEqual(await violations("dev", { ...r, inputs: reveal(r.inputs) as Record<string, unknown> }), [`receiver-credentials-secret: uploads[0].content ${PLAIN}`]);
  });

  test("kubernetes: the receivers' Secret with plain values; an AlertmanagerConfig with a plain webhook URL", async () => {
    const run = await runWith("prod", "prometheus");
    const secret = byName(FILE_TYPES.kubernetesSecret, "-alerting-receivers")(run);
    assert.deepEqual(await violations("prod", { ...secret, inputs: reveal(secret.inputs) as Record<string, unknown> }), [
      `receiver-credentials-secret: stringData.heartbeat-url ${PLAIN}`,
      `receiver-credentials-secret: stringData.slack-webhook-url ${PLAIN}`,
      `receiver-credentials-secret: stringData.webhook-url ${PLAIN}`,
    ]);
    const config = byName(FILE_TYPES.alertmanagerConfig, "-alerting-routing")(run);
    const spec = structuredClone(reveal(config.inputs.spec)) as { receivers: { name: string; webhookConfigs?: Record<string, unknown>[] }[] };
    const critical = spec.receivers.find((x) => x.webhookConfigs)!;
    critical.webhookConfigs = [{ url: TEST_SECRETS.prod.webhookUrl, sendResolved: true }];
    assert.deepEqual(await violations("prod", { ...config, inputs: { ...config.inputs, spec } }), [
      `receiver-credentials-secret: receiver '${critical.name}': webhookConfigs[0] has a plain url; use urlSecret`,
    ]);
  });
});
