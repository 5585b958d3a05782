/** Config validation: the committed stacks pass; every kind of mistake is named clearly. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { withConfigReference } from "../../config/reference";
import { componentArgsSource } from "../../config/argsSource";
import { SCHEMA } from "../../config/schema";
import { onPlatform } from "../../config/settings";
import { stackNames } from "../../config/stackFile";
import { parseDuration, validateConfig } from "../../config/validate";
import { problemsOf, raw } from "../support/configCases";
import { stackRawConfig } from "../support/stacks";
import { prometheusRetention } from "../../slo/retention";

describe("committed stacks", () => {
  for (const stack of stackNames()) {
    test(`Pulumi.${stack}.yaml is valid with its secrets set`, () => {
      const s = validateConfig(stackRawConfig(stack), stack);
      assert.equal(s.environment, stack);
    });
  }

  test("prod differs from dev where real teams differ", () => {
    const dev = validateConfig(stackRawConfig("dev"), "dev");
    const prod = validateConfig(stackRawConfig("prod"), "prod");
    assert.equal(dev.protect, false);
    assert.equal(prod.protect, true);
    assert.ok(prod.alerts.connectionsMax > dev.alerts.connectionsMax);
    assert.ok(prod.scrape.interval.seconds > dev.scrape.interval.seconds);
    assert.notDeepEqual(prod.notifications.critical, dev.notifications.critical);
    assert.notDeepEqual(prod.alerts.operationalHours, dev.alerts.operationalHours);
  });
});

describe("defaults", () => {
  test("a minimal local config gets the documented defaults", () => {
    const s = validateConfig(raw({}), "local");
    assert.equal(s.scrape.jobName, "websocket");
    assert.equal(s.scrape.metricsPath, "/ws/metrics");
    assert.equal(s.scrape.healthUrl, "http://127.0.0.1:8080/ws/health");
    assert.equal(s.grafana.folderTitle, "WebSocket Service Monitoring");
    assert.equal(s.grafana.prometheusUrl, "http://127.0.0.1:9090");
    assert.deepEqual(s.notifications.critical, ["webhook"]);
    assert.deepEqual(s.alerts.operationalHours, { timezone: "UTC", weekdays: ["monday:friday"], start: "08:00", end: "20:00" });
  });

  test("Prometheus evaluates at any interval from 1s; Grafana only at multiples of its 10s base interval", () => {
    const fast = { alertEvaluationInterval: "2s", noConnectionsFor: "2s", aboveThresholdFor: "2s", unstableFor: "2s", serviceDownFor: "2s" };
    assert.equal(validateConfig(raw({ ...fast, alertEngine: "prometheus" }), "local").alerts.evaluationInterval.seconds, 2);
    assert.match(problemsOf(raw(fast)).join("\n"), /alertEvaluationInterval = "2s": allowed with alertEngine 'grafana': a multiple of 10s/);
    assert.deepEqual(problemsOf(raw({ alertEvaluationInterval: "20s", noConnectionsFor: "40s" })), []);
  });

  test("durations parse to seconds, composite ones too", () => {
    assert.deepEqual(parseDuration("1h30m"), { text: "1h30m", seconds: 5400 });
    assert.equal(parseDuration("15"), undefined);
    assert.equal(parseDuration("5 m"), undefined);
  });

  test("a secret never appears in a message, even when its value is bad", () => {
    const p = problemsOf(raw({ slackWebhookUrl: "http://hooks.slack.com/s3cr3t-token" }));
    assert.equal(p.length, 1);
    assert.match(p[0], /slackWebhookUrl = \(secret value hidden\): allowed: an https:\/\/ Slack/);
    assert.ok(!p.join().includes("s3cr3t"));
  });

  test("the local Alertmanager may send e-mail through a plain SMTP server, and Slack messages to a receiver on the machine", () => {
    const changes = { alertEngine: "prometheus", emailAddresses: '["oncall@example.com"]', smtpHost: "127.0.0.1:2525", smtpRequireTls: "false", slackWebhookUrl: "http://127.0.0.1:9999/slack" };
    const s = onPlatform(validateConfig(raw(changes), "local"), "local");
    assert.deepEqual(s.local.smtp, { host: "127.0.0.1:2525", user: undefined, password: undefined, fromAddress: "grafana@localhost", requireTls: false });
    assert.equal(s.notifications.slack?.webhookUrl.reveal(), "http://127.0.0.1:9999/slack");
  });

  test("a stack's platform part is there on its platform only", () => {
    const s = validateConfig(raw({}), "local");
    assert.equal(onPlatform(s, "local").local.prometheusPort, 9090);
    assert.throws(() => onPlatform(s, "docker"), /stack 'local' is on platform 'local', not 'docker'/);
  });

  test("on Kubernetes, an objectives' period longer than the operator's Prometheus keeps data is refused; a retention that covers it is not", () => {
    assert.throws(() => validateConfig(stackRawConfig("prod", { k8sPrometheusRetention: "15d" }), "prod"), /sloPeriod = "30d": allowed: at most k8sPrometheusRetention \(15d\)/);
    assert.doesNotThrow(() => validateConfig(stackRawConfig("prod", { k8sPrometheusRetention: "40d" }), "prod"));
    // The committed staging and prod say what their Prometheus keeps: a longer period is refused as it is.
    for (const stack of ["staging", "prod"])
      assert.throws(() => validateConfig(stackRawConfig(stack, { sloPeriod: "60d" }), stack), /sloPeriod = "60d": allowed: at most k8sPrometheusRetention \(38d\)/);
  });

  test("sloRolloutWindow: a duration up to 1h, 0s (off) or at least the evaluation interval", () => {
    assert.equal(validateConfig(stackRawConfig("prod", {}), "prod").alerts.objectives.rolloutWindow.text, "5m");
    assert.equal(validateConfig(stackRawConfig("prod", { sloRolloutWindow: "0s" }), "prod").alerts.objectives.rolloutWindow.seconds, 0);
    assert.throws(() => validateConfig(stackRawConfig("prod", { sloRolloutWindow: "2h" }), "prod"), /sloRolloutWindow = "2h": allowed: .*1h/);
    assert.throws(() => validateConfig(stackRawConfig("prod", { sloRolloutWindow: "soon" }), "prod"), /sloRolloutWindow = "soon": allowed: a duration/);
    assert.throws(() => validateConfig(stackRawConfig("prod", { sloRolloutWindow: "30s" }), "prod"), /sloRolloutWindow = "30s": allowed: 0s \(every refusal counts\) or at least alertEvaluationInterval \(1m\)/);
  });

  test("where the stack runs Prometheus, it keeps the objectives' period and a quarter more", () => {
    assert.equal(prometheusRetention({ text: "30d", seconds: 30 * 86400 }).text, "37d12h");
    assert.equal(prometheusRetention({ text: "12h", seconds: 12 * 3600 }).text, "15h");
  });

  test("all problems come in one error that says how to fix them", () => {
    assert.throws(
      () => validateConfig(raw({ scrapeInterval: "fast", connectionsMax: "-1" }), "dev"),
      (e: Error) => /Invalid configuration for stack 'dev' \(2 problems\)/.test(e.message) && /pulumi config set --stack dev/.test(e.message),
    );
  });
});

/** A valid Kubernetes service, for the cases about Kubernetes keys. */
const K8S = { platform: "kubernetes", targets: undefined, grafanaUrl: "https://g.example.com", k8sServiceNamespace: "rt", healthUrl: "http://s/ws/health", k8sServiceSelector: '{"app":"ws"}' };

/** [case, config changes, keys stored in plain text, expected problem(s)] */
const BAD: [string, Record<string, string | undefined>, string[], RegExp[]][] = [
  ["missing platform", { platform: undefined }, [], [/websocket-monitoring:platform: required; allowed: one of 'local', 'docker', 'kubernetes'/]],
  ["unknown platform", { platform: "dockr" }, [], [/platform = "dockr": allowed: one of 'local', 'docker', 'kubernetes'/]],
  ["typo in a key", { scrapeIntervall: "15s" }, [], [/scrapeIntervall: unknown key\. Did you mean 'scrapeInterval'\?/]],
  ["Grafana auth in plain text", {}, ["grafanaAuth"], [/grafanaAuth: must be a secret, but it is stored in plain text; run 'pulumi config set --secret grafanaAuth <value>'/]],
  ["webhook URL in plain text", {}, ["webhookUrl"], [/webhookUrl: must be a secret/]],
  ["Grafana auth missing", { grafanaAuth: undefined }, [], [/grafanaAuth: required on platform 'local'; allowed: a non-empty string \(set it with --secret\)/]],
  ["targets missing on local", { targets: undefined }, [], [/targets: required on platform 'local'; allowed: a JSON list of host:port/]],
  ["target without port", { targets: '["localhost"]' }, [], [/targets = "\["localhost"\]": allowed: a JSON list of host:port \(not allowed: 'localhost'\)/]],
  ["scrape interval without unit", { scrapeInterval: "15" }, [], [/scrapeInterval = "15": allowed: a duration such as 30s, 5m, 1h from 1s to 5m/]],
  ["timeout longer than interval", { scrapeInterval: "10s", scrapeTimeout: "20s" }, [], [/scrapeTimeout = "20s": allowed: at most scrapeInterval \(10s\)/]],
  ["refresh faster than scraping", { dashboardRefresh: "5s" }, [], [/dashboardRefresh = "5s": allowed: at least scrapeInterval \(15s\)/]],
  ["threshold not a number", { connectionsMax: "lots" }, [], [/connectionsMax = "lots": allowed: a whole number from 1 to 10000000/]],
  ["warning above max", { connectionsWarning: "900", connectionsMax: "500" }, [], [/connectionsWarning = "900": allowed: less than connectionsMax \(500\)/]],
  ["change ratio out of range", { unstableChangeRatio: "20" }, [], [/unstableChangeRatio = "20": allowed: a number from 0.05 to 10/]],
  ["pending period not a multiple of the evaluation interval", { noConnectionsFor: "90s" }, [], [/noConnectionsFor = "90s": allowed: a multiple of alertEvaluationInterval \(1m\)/]],
  ["evaluation interval Grafana's scheduler cannot run", { alertEvaluationInterval: "15s", noConnectionsFor: "15s", aboveThresholdFor: "15s", unstableFor: "15s", serviceDownFor: "15s" }, [], [/alertEvaluationInterval = "15s": allowed with alertEngine 'grafana': a multiple of 10s/]],
  ["heartbeat faster than the rules are evaluated", { heartbeatInterval: "30s" }, [], [/heartbeatInterval = "30s": allowed: at least alertEvaluationInterval \(1m\)/]],
  ["limit share above 1", { connectionLimitShare: "1.5" }, [], [/connectionLimitShare = "1.5": allowed: a number from 0.01 to 1/]],
  ["limit share of 0", { connectionLimitShare: "0" }, [], [/connectionLimitShare = "0": allowed: a number from 0.01 to 1/]],
  ["imbalance factor below 1", { imbalanceFactor: "0.9" }, [], [/imbalanceFactor = "0.9": allowed: a number from 1 to 100/]],
  ["handshake objective of 100", { sloHandshakeObjective: "100" }, [], [/sloHandshakeObjective = "?100"?: allowed: a percentage strictly between 0 and 100/]],
  ["unknown time zone", { operationalTimezone: "Mars/Olympus" }, [], [/operationalTimezone = "Mars\/Olympus": allowed: an IANA time zone/]],
  ["operational hours end before start", { operationalStart: "18:00", operationalEnd: "09:00" }, [], [/operationalEnd = "09:00": allowed: a time after operationalStart \(18:00\)/]],
  ["bad weekday range", { operationalDays: '["friday:monday"]' }, [], [/operationalDays = "friday:monday": allowed: a range from an earlier to a later weekday/]],
  ["weekday misspelt", { operationalDays: '["mondey"]' }, [], [/operationalDays = "\["mondey"\]": allowed: a JSON list of weekday names/]],
  ["no receiver at all", { webhookUrl: undefined }, [], [/none is set; allowed: at least one, so that alerts reach someone/]],
  ["receiver kind without settings", { criticalReceivers: '["slack"]' }, [], [/criticalReceivers = "\["slack"\]": allowed: only configured kinds \(webhook\); 'slack' has no contact settings/]],
  ["unknown receiver kind", { warningReceivers: '["pager"]' }, [], [/warningReceivers = "\["pager"\]": allowed: a JSON list of 'slack', 'email', 'webhook' \(not allowed: 'pager'\)/]],
  ["bad e-mail address", { emailAddresses: '["oncall-at-example.com"]' }, [], [/emailAddresses = .*: allowed: a JSON list of e-mail addresses \(not allowed: 'oncall-at-example.com'\)/]],
  ["runbook base not a URL", { runbookBaseUrl: "docs/runbooks.md" }, [], [/runbookBaseUrl = "docs\/runbooks.md": allowed: an http\(s\) URL/]],
  ["metric name with a dash", { metricActiveConnections: "websocket-active" }, [], [/metricActiveConnections = "websocket-active": allowed: a Prometheus metric name/]],
  ["docker key on local", { prometheusImage: "prom/prometheus:v2.55.1" }, [], [/prometheusImage: applies only to platform 'docker', not 'local'; remove it/]],
  ["kubernetes without its required keys", { platform: "kubernetes", targets: undefined }, [], [
    /grafanaUrl: required on platform 'kubernetes'/,
    /k8sServiceNamespace: required on platform 'kubernetes'/,
    /k8sServiceSelector: required on platform 'kubernetes'/,
    /healthUrl: required on platform 'kubernetes'/,
  ]],
  ["selector not a label map", { platform: "kubernetes", targets: undefined, grafanaUrl: "https://g.example.com", k8sServiceNamespace: "rt", healthUrl: "http://s/ws/health", k8sServiceSelector: '["app"]' }, [], [/k8sServiceSelector = "\["app"\]": allowed: a JSON object of label names to string values/]],
  ["docker image not pinned", { platform: "docker", grafanaImage: "grafana/grafana:" }, [], [/grafanaImage = "grafana\/grafana:": allowed: a pinned image reference/]],
  ["e-mail on docker without SMTP", { platform: "docker", emailAddresses: '["a@example.com"]' }, [], [/smtpHost: required on platform 'docker' when emailAddresses is set/]],
  ["docker Grafana auth as a token", { platform: "docker", grafanaAuth: "glsa_token" }, [], [/grafanaAuth = \(secret value hidden\): allowed on platform 'docker': 'admin:<password>'/]],
  ["unknown alert engine", { alertEngine: "alertmanager" }, [], [/alertEngine = "alertmanager": allowed: one of 'grafana', 'prometheus'/]],
  ["Grafana routing with the prometheus engine", { alertEngine: "prometheus", grafanaRouting: "perRule" }, [], [/grafanaRouting = "perRule": applies only with alertEngine 'grafana'/]],
  ["unknown Grafana routing", { grafanaRouting: "tree" }, [], [/grafanaRouting = "tree": allowed: one of 'policyTree', 'perRule'/]],
  ["uid suffix with capitals", { uidSuffix: "EU" }, [], [/uidSuffix = "EU": allowed: 1-11 lower-case letters, digits or '-'/]],
  ["e-mail with the local Alertmanager without an SMTP server", { alertEngine: "prometheus", emailAddresses: '["a@example.com"]' }, [], [/smtpHost: required with alertEngine 'prometheus' on platform 'local' when emailAddresses is set/]],
  ["operational hours outside UTC for prometheus-operator", { platform: "kubernetes", targets: undefined, grafanaUrl: "https://g.example.com", k8sServiceNamespace: "rt", healthUrl: "http://s/ws/health", k8sServiceSelector: '{"app":"ws"}', alertEngine: "prometheus", operationalTimezone: "Europe/Berlin" }, [], [/operationalTimezone = "Europe\/Berlin": allowed with alertEngine 'prometheus' on platform 'kubernetes': UTC only/]],
  ["Alertmanager file on docker", { platform: "docker", alertmanagerConfigFile: "am.yml" }, [], [/alertmanagerConfigFile: applies only to platform 'local', not 'docker'/]],
  ["e-mail through prometheus-operator's shared Alertmanager without an SMTP server of its own", { platform: "kubernetes", targets: undefined, grafanaUrl: "https://g.example.com", k8sServiceNamespace: "rt", healthUrl: "http://s/ws/health", k8sServiceSelector: '{"app":"ws"}', alertEngine: "prometheus", emailAddresses: '["a@example.com"]' }, [], [/smtpHost: required with alertEngine 'prometheus' on platform 'kubernetes' when emailAddresses is set/]],
  ["SMTP on local with Grafana's alerting", { alertEngine: "grafana", smtpHost: "smtp.example.com:587" }, [], [/smtpHost = "smtp.example.com:587": applies on platform 'local' only with alertEngine 'prometheus'/]],
  ["SMTP without STARTTLS elsewhere than local", { platform: "docker", smtpRequireTls: "false" }, [], [/smtpRequireTls: applies only to platform 'local', not 'docker'/]],
  // A refused value is reported once, on its key: the rules that need the key see it given.
  ["Slack URL in plain text, listed as a receiver", { slackWebhookUrl: "https://hooks.slack.com/services/T0/B0/x", criticalReceivers: '["slack","webhook"]', warningReceivers: '["slack"]' }, ["slackWebhookUrl"], [/slackWebhookUrl: must be a secret/]],
  ["webhook URL in plain text, the only receiver listed", { criticalReceivers: '["webhook"]', warningReceivers: '["webhook"]' }, ["webhookUrl"], [/webhookUrl: must be a secret/]],
  ["webhook URL in plain text, the only receiver", {}, ["webhookUrl"], [/webhookUrl: must be a secret/]],
  ["SMTP host malformed on docker, not missing", { platform: "docker", emailAddresses: '["a@example.com"]', smtpHost: "smtp.example.com" }, [], [/smtpHost = "smtp.example.com": allowed: host:port/]],
  ["Grafana auth missing on Kubernetes with dashboards through Grafana's API", { ...K8S, grafanaAuth: undefined }, [], [/grafanaAuth: required on platform 'kubernetes' with dashboardDelivery 'grafanaApi' \(the default\).*Or deliver the dashboards as ConfigMaps/]],
  ["ConfigMap dashboards with Grafana's alerting", { ...K8S, dashboardDelivery: "configMap" }, [], [/dashboardDelivery = "configMap": allowed with alertEngine 'prometheus' only: with alertEngine 'grafana'.*Set alertEngine to 'prometheus', or dashboardDelivery to 'grafanaApi'/]],
  ["ConfigMap dashboards with a datasource to create", { ...K8S, alertEngine: "prometheus", operationalTimezone: "UTC", dashboardDelivery: "configMap", createDatasource: "true", prometheusUrl: "http://p:9090" }, [], [/createDatasource = "true": allowed with dashboardDelivery 'configMap': false only/]],
  ["ConfigMap dashboards on local", { dashboardDelivery: "configMap" }, [], [/dashboardDelivery: applies only to platform 'kubernetes', not 'local'; remove it/]],
  ["ConfigMap labels without ConfigMap dashboards", { ...K8S, dashboardConfigMapLabels: '{"grafana_dashboard":"1"}' }, [], [/dashboardConfigMapLabels = .*: applies only with dashboardDelivery 'configMap'/]],
  ["folder annotation not an annotation key", { ...K8S, alertEngine: "prometheus", operationalTimezone: "UTC", dashboardDelivery: "configMap", grafanaAuth: undefined, dashboardFolderAnnotation: "grafana folder" }, [], [/dashboardFolderAnnotation = "grafana folder": allowed: a Kubernetes annotation key/]],
  ["health link not a URL", { healthLinkUrl: "websocket.example.com/ws/health" }, [], [/healthLinkUrl = "websocket.example.com\/ws\/health": allowed: an http\(s\) URL/]],
];

describe("bad config is rejected before anything is registered, naming key, value and what is allowed", () => {
  for (const [name, changes, plain, expected] of BAD) {
    test(name, () => {
      const problems = problemsOf(raw(changes, plain));
      assert.equal(problems.length, expected.length, `problems:\n${problems.join("\n")}`);
      for (const re of expected) assert.ok(problems.some((p) => re.test(p)), `no problem matches ${re}:\n${problems.join("\n")}`);
      for (const p of problems) assert.match(p, /^websocket-monitoring:/);
    });
  }
});

describe("documentation", () => {
  test("README's configuration reference is generated from the schema (npm run docs:config)", () => {
    const readme = readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    assert.equal(readme, withConfigReference(readme));
  });

  test("the components' Args (components/args.ts) are generated from the schema (npm run docs:config)", () => {
    assert.equal(readFileSync(path.join(__dirname, "..", "..", "components", "args.ts"), "utf8"), componentArgsSource());
  });

  test("every key has documentation, and every key with a pattern explains it", () => {
    for (const spec of SCHEMA) {
      assert.ok(spec.doc.length > 10, spec.key);
      if (spec.pattern) assert.ok(spec.patternDoc, `${spec.key} has a pattern but no patternDoc`);
    }
  });
});
