/**
 * The policies of the pack (index.ts serves them). The checks themselves are pure functions in
 * rules.ts and secrets.ts; this file applies them to resource types.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Policies, ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { alertDefinitions } from "../alerts/definitions";
import { readRawConfig } from "../config/rawConfig";
import { SCHEMA } from "../config/schema";
import type { Settings } from "../config/settings";
import { validateServices } from "../config/validate";
import { alertRulesOf, type AlertRuleView } from "./alertForms";
import * as checks from "./rules";
import { CREDENTIAL_TYPES, plainCredentials } from "./secrets";
import { FILE_TYPES, GRAFANA_TYPES } from "./types";

/** A resource validation that runs `check` on resources of one type and reports each problem. */
function onType<P>(type: string, check: (props: P, args: ResourceValidationArgs) => string[]) {
  return (args: ResourceValidationArgs, report: ReportViolation) => {
    if (args.type !== type) return;
    for (const problem of check(args.props as P, args)) report(problem);
  };
}

/**
 * The settings of each service of the stack, read and validated as the program reads them (config/pulumi.ts): the CLI
 * hands a policy pack the stack's config as it does a program, secrets decrypted, but without
 * saying which keys are secret. The program, which is told, has refused plain ones already, so
 * here every secret key counts as secret.
 */
function stackServices(): Settings[] {
  const secret = new Set<string>(SCHEMA.filter((spec) => spec.secret).map((spec) => spec.key));
  return validateServices(readRawConfig(pulumi.runtime.allConfig(), (text, key) => ({ text, secret: secret.has(key) })), pulumi.getStack());
}

/**
 * Resource URN -> credentials found in plain text. Filled by the remediation pass (the only one
 * that sees secretness, see secrets.ts), which the engine runs for each resource just before the
 * validation pass that reports them.
 */
const plainCredentialsByUrn = new Map<string, string[]>();

/** A validation of the alert rules a resource deploys, in whichever form (alertForms.ts). */
function onAlertRules(check: (rules: AlertRuleView[]) => string[]) {
  return (args: ResourceValidationArgs, report: ReportViolation) => {
    const rules = alertRulesOf(args.type, args.props);
    if (rules) for (const problem of check(rules)) report(problem);
  };
}

/** Every policy is mandatory unless it says otherwise: a violation fails the preview and the update. */
export const policies: Policies = [
  {
    name: "alert-rules-documented",
    description: "Every alert rule (Grafana rule group, Prometheus rule file, PrometheusRule) has summary, description and runbook_url (an http(s) URL) annotations.",
    validateResource: onAlertRules(checks.undocumentedRules),
  },
  {
    name: "alert-rules-pending-period",
    description: "Every alert rule has a non-zero pending period ('for').",
    validateResource: onAlertRules(checks.rulesWithoutPendingPeriod),
  },
  {
    name: "alert-rules-severity",
    description: "Every alert rule has a severity label that routing knows (critical, warning).",
    validateResource: onAlertRules(checks.rulesWithoutSeverity),
  },
  {
    name: "alert-thresholds-in-range",
    description: "Alert thresholds are numbers within the range their config key allows.",
    validateResource: onAlertRules((rules) => checks.thresholdsOutOfRange(rules, checks.thresholdRanges(stackServices().flatMap(alertDefinitions)))),
  },
  {
    name: "receiver-credentials-secret",
    description:
      "Receiver credentials (Slack and webhook URLs, tokens, SMTP passwords) are Pulumi secrets in every form: Grafana contact points, alertmanager.yml, the receivers' Kubernetes Secret; an AlertmanagerConfig only references Secret keys.",
    // "remediate" makes the engine run remediateResource (which changes nothing) before
    // validateResource; the violations it finds are reported as mandatory.
    enforcementLevel: "remediate",
    remediateResource: (args) => {
      if (CREDENTIAL_TYPES.includes(args.type)) plainCredentialsByUrn.set(args.urn, plainCredentials(args.type, args.props));
    },
    validateResource: (args, report) => {
      if (args.type === FILE_TYPES.alertmanagerConfig) {
        for (const problem of checks.plainAlertmanagerConfigCredentials((args.props as { spec?: never }).spec)) report(problem);
        return;
      }
      if (!CREDENTIAL_TYPES.includes(args.type)) return;
      const plain = plainCredentialsByUrn.get(args.urn);
      if (!plain) return report("not checked: this policy only works at enforcement level 'remediate'");
      for (const path of plain) report(`${path} is plain text: pass it through pulumi.secret() (config: 'pulumi config set --secret')`);
    },
  },
  {
    name: "prod-resources-protected",
    description: "In prod, the folder, dashboard, rule group and datasource are protected from deletion.",
    validateResource: (args, report) => {
      for (const problem of checks.unprotectedResource(checks.stackOfUrn(args.urn), args.type, args.opts.protect)) report(problem);
    },
  },
  {
    name: "heartbeat-on-protected-stack",
    description: "A stack that protects its resources (protect: true) sends the heartbeat (heartbeatUrl), the dead man's switch that alarms when its monitoring dies.",
    // Advisory: the heartbeat needs an outside check to send it to, which not every team has yet.
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
      const protectedNames = args.resources.filter((r) => r.opts.protect).map((r) => r.name);
      const ruleNames = args.resources.flatMap((r) => alertRulesOf(r.type, r.props) ?? []).map((rule) => rule.name);
      const stack = checks.stackOfUrn(args.resources[0]?.urn ?? "");
      for (const problem of checks.protectedStackWithoutHeartbeat(stack, protectedNames, ruleNames)) report(problem);
    },
  },
  {
    name: "dashboard-refresh-not-faster-than-scrape",
    description: "No dashboard auto-refreshes faster than Prometheus scrapes (websocket-monitoring:scrapeInterval).",
    validateResource: onType(GRAFANA_TYPES.dashboard, (props: { configJson?: string }) =>
      checks.refreshFasterThanScrape(props.configJson ?? "{}", stackServices()[0].scrape.interval.seconds),
    ),
  },
];
