/**
 * The policy pack's checks (policy/rules.ts, policy/secrets.ts), each with a resource that passes
 * and one that fails. The pack as a whole runs in policyPack.test.ts.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { Secret } from "@pulumi/policy";
import { alertDefinitions } from "../../alerts/definitions";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { grafanaRuleGroups } from "../../alerts/grafana";
import { ConfigError, validateConfig } from "../../config/validate";
import { stableJson } from "../../lib/stableJson";
import {
  PROTECTED_TYPES,
  protectedStackWithoutHeartbeat,
  refreshFasterThanScrape,
  rulesWithoutPendingPeriod,
  stackOfUrn,
  thresholdRanges,
  thresholdsOutOfRange,
  undocumentedRules,
  unprotectedResource,
} from "../../policy/rules";
import { alertRulesOf } from "../../policy/alertForms";
import { plainCredentials } from "../../policy/secrets";
import { GRAFANA_TYPES } from "../../policy/types";
import { ofType, reveal } from "../support/mockStack";
import { run } from "../support/stackRuns";
import { TEST_SECRETS, stackRawConfig } from "../support/stacks";

const prod = validateConfig(stackRawConfig("prod"), "prod");

/** A rule as the policy pack gets it from the engine: each model a JSON string. */
type DeployedRule = { name: string; for?: string; record?: unknown; annotations: Record<string, string>; datas: { refId: string; model: string }[] };
type DeployedGroup = { rules: DeployedRule[] };

/** prod's rule group and dashboard JSON as the program registers them. */
let prodDeployed: { group: DeployedGroup; dashboardJson: string };
before(async () => {
  const r = await run("prod");
  const group = reveal(ofType(r, GRAFANA_TYPES.ruleGroup).find((x) => x.name.endsWith("-alerting-rules"))!.inputs) as DeployedGroup;
  prodDeployed = { group, dashboardJson: ofType(r, GRAFANA_TYPES.dashboard)[0].inputs.configJson as string };
});

/** The alert rules of a Grafana rule group, as every alert policy reads them. */
const views = (group: { rules: unknown[] }) => alertRulesOf(GRAFANA_TYPES.ruleGroup, group)!;

function prodRuleGroup(): DeployedGroup {
  return structuredClone(prodDeployed.group);
}

function rule<R extends { name: string }>(group: { rules: R[] }, name: string): R {
  const found = group.rules.find((r) => r.name === name);
  assert.ok(found, `no rule ${name}`);
  return found;
}

/** The rule group with the threshold (condition C) of one rule set to `value`. */
function withThreshold(name: string, value: unknown): DeployedGroup {
  const group = prodRuleGroup();
  const threshold = rule(grafanaRuleGroups(prod)[0], name).datas.find((d) => d.refId === "C")!.model;
  assert.ok("conditions" in threshold);
  const evaluator = { ...threshold.conditions[0].evaluator, params: [value] };
  rule(group, name).datas.find((d) => d.refId === "C")!.model = stableJson({ ...threshold, conditions: [{ evaluator }] });
  return group;
}

describe("alert-rules-documented", () => {
  test("passes: prod's rule group", () => {
    assert.deepEqual(undocumentedRules(views(prodRuleGroup())), []);
  });

  test("fails: a pull request that drops a runbook URL", () => {
    const group = prodRuleGroup();
    delete rule(group, ALERT_NAMES.aboveThreshold).annotations.runbook_url;
    assert.deepEqual(undocumentedRules(views(group)), [`alert rule '${ALERT_NAMES.aboveThreshold}' has no 'runbook_url' annotation`]);
  });

  test("fails: an empty summary, and a runbook that is not an http(s) URL", () => {
    const group = prodRuleGroup();
    rule(group, ALERT_NAMES.serviceDown).annotations.summary = " ";
    rule(group, ALERT_NAMES.unstable).annotations.runbook_url = "docs/runbooks.md#websocketconnectioncountunstable";
    assert.deepEqual(undocumentedRules(views(group)), [
      `alert rule '${ALERT_NAMES.unstable}': runbook_url 'docs/runbooks.md#websocketconnectioncountunstable' is not an http(s) URL`,
      `alert rule '${ALERT_NAMES.serviceDown}' has no 'summary' annotation`,
    ]);
  });

  test("recording rules need no annotations", () => {
    assert.deepEqual(undocumentedRules(views({ rules: [{ name: "ws:connections:sum", record: { metric: "ws:connections:sum", from: "A" } }] })), []);
  });
});

describe("alert-rules-pending-period", () => {
  test("passes: prod's rule group", () => {
    assert.deepEqual(rulesWithoutPendingPeriod(views(prodRuleGroup())), []);
  });

  test("fails: a zero or missing pending period", () => {
    const group = prodRuleGroup();
    rule(group, ALERT_NAMES.serviceDown).for = "0s";
    delete (rule(group, ALERT_NAMES.unstable) as { for?: string }).for;
    assert.deepEqual(rulesWithoutPendingPeriod(views(group)), [
      `alert rule '${ALERT_NAMES.unstable}' has no pending period ('for' is '')`,
      `alert rule '${ALERT_NAMES.serviceDown}' has a zero pending period ('for' is '0s')`,
    ]);
  });
});

describe("alert-thresholds-in-range", () => {
  const ranges = thresholdRanges(alertDefinitions(prod));

  test("the ranges are those of the config keys the definitions name", () => {
    assert.deepEqual([...ranges], [
      [ALERT_NAMES.aboveThreshold, { key: "connectionsMax", min: 1, max: 10_000_000 }],
      [ALERT_NAMES.unstable, { key: "unstableChangeRatio", min: 0.05, max: 10 }],
      [ALERT_NAMES.imbalance, { key: "imbalanceFactor", min: 1, max: 100 }],
    ]);
    const [definition] = alertDefinitions(prod);
    assert.throws(() => thresholdRanges([{ ...definition, thresholdKey: "jobName" }]), /WebSocketNoActiveConnections: config key 'jobName' has no range/);
  });

  test("passes: prod's rule group", () => {
    assert.deepEqual(thresholdsOutOfRange(views(prodRuleGroup()), ranges), []);
  });

  test("fails: a connection limit of 0 or above 10M, a change ratio below 0.05", () => {
    assert.deepEqual(thresholdsOutOfRange(views(withThreshold(ALERT_NAMES.aboveThreshold, 0)), ranges), [
      `alert rule '${ALERT_NAMES.aboveThreshold}': threshold 0 is outside 1..10000000 (the range of connectionsMax)`,
    ]);
    assert.equal(thresholdsOutOfRange(views(withThreshold(ALERT_NAMES.aboveThreshold, 20_000_000)), ranges).length, 1);
    assert.deepEqual(thresholdsOutOfRange(views(withThreshold(ALERT_NAMES.unstable, 0.01)), ranges), [
      `alert rule '${ALERT_NAMES.unstable}': threshold 0.01 is outside 0.05..10 (the range of unstableChangeRatio)`,
    ]);
  });

  test("fails: a threshold that is not a number", () => {
    assert.deepEqual(thresholdsOutOfRange(views(withThreshold(ALERT_NAMES.serviceDown, "0")), ranges), [
      `alert rule '${ALERT_NAMES.serviceDown}': threshold C is "0", not a number`,
    ]);
  });
});

describe("receiver-credentials-secret: Grafana contact points", () => {
  const contactPoint = (webhookUrl: unknown) => ({
    name: "websocket-prod-critical",
    slacks: [{ url: new Secret(TEST_SECRETS.prod.slackWebhookUrl), title: "t" }],
    emails: [{ addresses: ["oncall@example.com"] }],
    webhooks: [{ url: webhookUrl, httpMethod: "POST" }],
  });

  test("passes: every credential a secret, wherever the engine marked it", () => {
    assert.deepEqual(plainCredentials(GRAFANA_TYPES.contactPoint, contactPoint(new Secret(TEST_SECRETS.prod.webhookUrl))), []);
    assert.deepEqual(plainCredentials(GRAFANA_TYPES.contactPoint, { webhooks: new Secret([{ url: TEST_SECRETS.prod.webhookUrl }]) }), []);
  });

  test("fails: a plain-text webhook URL in config is refused before any resource exists", () => {
    const raw = stackRawConfig("prod");
    const plain = { values: raw.values, secretKeys: new Set([...raw.secretKeys].filter((k) => k !== "webhookUrl")) };
    assert.throws(
      () => validateConfig(plain, "prod"),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message.includes("websocket-monitoring:webhookUrl: must be a secret") &&
        !e.message.includes(TEST_SECRETS.prod.webhookUrl),
    );
  });

  test("fails: a contact point whose webhook URL is not a secret", () => {
    assert.deepEqual(plainCredentials(GRAFANA_TYPES.contactPoint, contactPoint(TEST_SECRETS.prod.webhookUrl)), ["webhooks[0].url"]);
  });
});

describe("prod-resources-protected", () => {
  test("passes: protected in prod; anything in other stacks", () => {
    for (const type of PROTECTED_TYPES) assert.deepEqual(unprotectedResource("prod", type, true), []);
    assert.deepEqual(unprotectedResource("dev", GRAFANA_TYPES.folder, false), []);
    assert.deepEqual(unprotectedResource("prod", GRAFANA_TYPES.contactPoint, false), []);
  });

  test("fails: prod's dashboard without protect", () => {
    assert.deepEqual(unprotectedResource("prod", GRAFANA_TYPES.dashboard, false), [
      `${GRAFANA_TYPES.dashboard} in stack 'prod' is not protected: set websocket-monitoring:protect to "true" in Pulumi.prod.yaml`,
    ]);
  });

  test("the stack comes from the URN", () => {
    assert.equal(stackOfUrn("urn:pulumi:prod::websocket-monitoring::grafana:oss/folder:Folder::f"), "prod");
  });
});

describe("heartbeat-on-protected-stack", () => {
  const rules = [ALERT_NAMES.serviceDown, ALERT_NAMES.heartbeat];
  test("passes: a protected stack with the heartbeat rule; an unprotected one without", () => {
    assert.deepEqual(protectedStackWithoutHeartbeat("prod", ["websocket-prod-folder"], rules), []);
    assert.deepEqual(protectedStackWithoutHeartbeat("staging", [], rules.slice(0, 1)), []);
  });

  test("fails: a protected stack without it, naming what it protects and the key to set", () => {
    assert.deepEqual(protectedStackWithoutHeartbeat("prod", ["websocket-prod-folder", "websocket-prod-dashboard"], rules.slice(0, 1)), [
      `stack 'prod' protects websocket-prod-folder, websocket-prod-dashboard but sends no heartbeat (${ALERT_NAMES.heartbeat}): when its Prometheus, Alertmanager or Grafana dies, nobody is told. ` +
        "Set websocket-monitoring:heartbeatUrl ('pulumi config set --secret') to a check that alarms when the heartbeat stops",
    ]);
  });
});

describe("dashboard-refresh-not-faster-than-scrape", () => {
  test("passes: prod's dashboard (refresh 1m, scrape 30s), and no auto-refresh", () => {
    assert.deepEqual(refreshFasterThanScrape(prodDeployed.dashboardJson, prod.scrape.interval.seconds), []);
    assert.deepEqual(refreshFasterThanScrape(JSON.stringify({ refresh: "" }), 30), []);
  });

  test("fails: a refresh faster than the scrape interval, or not a duration", () => {
    assert.deepEqual(refreshFasterThanScrape(prodDeployed.dashboardJson, 120), ["dashboard refresh 1m is faster than the scrape interval (120s)"]);
    assert.deepEqual(refreshFasterThanScrape(JSON.stringify({ refresh: "often" }), 30), [
      'dashboard refresh "often" is not a duration such as 30s or 1m',
    ]);
  });
});
