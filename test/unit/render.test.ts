/** The render command: files, overrides, and its errors and exit codes; in process, and once as users run it. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { contactPoints } from "../../alerts/notifications";
import { PROJECT_DIR, stackNames } from "../../config/stackFile";
import { validateConfig } from "../../config/validate";
import { renderCommand } from "../../scripts/renderCommand";
import { DEPLOYMENT_FILE } from "../../render/deployment";
import { RENDERED, renderedFiles } from "../../render/renderedFiles";
import { settingsFromStackFile } from "../../render/stackSettings";
import { readWithPyYaml } from "../support/pyyaml";
import { renderCli } from "../support/renderCli";
import { withAlertEngine } from "../support/renderedStacks";
import { stackRawConfig } from "../support/stacks";
import { tempDir } from "../../harness/tempDir";

const out = tempDir("websocket-monitoring-render-");
const render = (...args: string[]) => renderCommand(args);
const read = (stack: string, file: string) => readFileSync(path.join(out, stack, file), "utf8");
/** The rendered files in YAML: `.yml`, `.yaml` and dashboard-linter's `.lint`. */
const YAML_FILE = /(\.ya?ml|\/\.lint)$/;
/** Render's output: a line per file, `<path>: <what the stack deploys of it>`. */
const writtenFiles = (stdout: string) => Object.fromEntries(stdout.trim().split("\n").map((line) => [line.slice(0, line.indexOf(": ")), line.slice(line.indexOf(": ") + 2)]));

describe("npm run render", { concurrency: true }, () => {
  test("writes the files of a stack from the models, without secrets", () => {
    const result = render("--stack", "dev", "--out", path.join(out, "dev"));
    assert.equal(result.code, 0, result.stderr);
    const scrape = parse(read("dev", RENDERED.scrapeConfig)) as { rule_files: string[]; scrape_configs: { job_name: string }[] };
    assert.deepEqual(scrape.rule_files, ["rules.yml"]);
    assert.deepEqual(scrape.scrape_configs.map((j) => j.job_name), ["websocket", "websocket-health", "websocket-upgrade"]);
    const rules = parse(read("dev", RENDERED.rules)) as { groups: { rules: { alert: string }[] }[] };
    assert.equal(rules.groups[0].rules.length, 6, "the connection alerts, the instance imbalance and the unexpected restart; each SLO has a group of its own (the availability one with the outage inhibitor of its page)");
    const dashboard = JSON.parse(read("dev", RENDERED.dashboard)) as { uid: string; refresh: string; panels: { title: string }[] };
    assert.deepEqual([dashboard.uid, dashboard.refresh, dashboard.panels[1].title], ["websocket-service-monitoring", "30s", "Active WebSocket Connections"]);
    assert.deepEqual(Object.keys(dashboard), Object.keys(dashboard).sort(), "keys sorted, as deployed");
    const [group, tickets] = JSON.parse(read("dev", RENDERED.alertRules)) as { name: string; rules: { datas: { model: { expr?: string } }[] }[] }[];
    assert.match(group.rules[0].datas[0].model.expr ?? "", /websocket_active_connections/);
    assert.equal(tickets.name, "websocket-slo-tickets");
    for (const file of Object.keys(writtenFiles(result.stdout))) assert.doesNotMatch(readFileSync(file, "utf8"), /placeholder/, `${file} holds a placeholder secret`);
  });

  test("alertEngine prometheus: alertmanager.yml instead of Grafana's alerting objects; a URL placeholder names its secret", () => {
    const result = render("--stack", "local", "--out", path.join(out, "local"));
    assert.equal(result.code, 0, result.stderr);
    assert.match(read("local", RENDERED.alertmanager), /- url: https:\/\/placeholder\.invalid\/webhookUrl\n/);
    const written = Object.keys(writtenFiles(result.stdout)).map((f) => path.relative(path.join(out, "local"), f));
    for (const grafanaOnly of [RENDERED.alertRules, RENDERED.contactPoints, RENDERED.messageTemplates, RENDERED.notificationPolicy, RENDERED.timeInterval]) assert.ok(!written.includes(grafanaOnly), grafanaOnly);
  });

  test("says of each file whether the stack deploys it and as what: prod deploys no Prometheus file, local each", () => {
    const deployedOf = (stack: string) => {
      const result = render("--stack", stack, "--out", path.join(out, `${stack}-deployment`));
      assert.equal(result.code, 0, result.stderr);
      const printed = Object.fromEntries(Object.entries(writtenFiles(result.stdout)).map(([f, d]) => [path.relative(path.join(out, `${stack}-deployment`), f), d]));
      const index = readFileSync(path.join(out, `${stack}-deployment`, DEPLOYMENT_FILE), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
      assert.deepEqual(index, Object.entries(printed).map(([f, d]) => `${f}: ${d}`), "DEPLOYMENT.txt says what render printed");
      for (const [file, deployment] of Object.entries(printed)) {
        assert.match(deployment, /^(deployed|not deployed)\b/, file);
        if (YAML_FILE.test(file)) assert.ok(readFileSync(path.join(out, `${stack}-deployment`, file), "utf8").includes(`\n# ${stack}: ${deployment}.\n`), `${file}'s header`);
      }
      return printed;
    };
    const prod = deployedOf("prod");
    assert.match(prod[RENDERED.scrapeConfig], /^not deployed: the operator's Prometheus scrapes through the ServiceMonitor and Probe in kubernetes\/objects\.yaml/);
    assert.match(prod[RENDERED.rules], /^not deployed: with alertEngine grafana, Grafana evaluates these alerts/);
    assert.match(prod[RENDERED.datasource], /^not deployed: the stack looks up the existing datasource prometheus/);
    assert.match(prod[RENDERED.kubernetes], /^deployed to the cluster/);
    assert.match(deployedOf("staging")[RENDERED.scrapeConfig], /^not deployed as this file: its scrape_configs are the scrape-config Secret's/);
    assert.match(deployedOf("dev")[RENDERED.scrapeConfig], /^deployed as prometheus\.yml in \/etc\/prometheus in the Prometheus container, without its rule_files/);
    const local = deployedOf("local");
    // Local deploys every file but the linter's exclusions, which are for review and the linter only.
    assert.deepEqual(Object.entries(local).filter(([, d]) => !d.startsWith("deployed")).map(([f]) => f), [RENDERED.linterConfig]);
    assert.match(local[RENDERED.linterConfig], /^not deployed: the dashboards' deliberate departures from Grafana's dashboard linter/);
    assert.equal(local[RENDERED.rules], "deployed as rules.yml in .local/prometheus");
  });

  test("grafanaRouting perRule (prod's default): no policy tree, each rule names its contact point", () => {
    const result = render("--stack", "prod", "--out", path.join(out, "prod-per-rule"));
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes(RENDERED.notificationPolicy));
    const groups = JSON.parse(readFileSync(path.join(out, "prod-per-rule", RENDERED.alertRules), "utf8")) as { rules: { labels: { severity: string }; notificationSettings: { contactPoint: string } }[] }[];
    // The heartbeat (severity none) goes to its own contact point.
    const pointOf = (severity: string) => `websocket-prod-${severity === "none" ? "heartbeat" : severity}`;
    for (const rule of groups.flatMap((g) => g.rules)) assert.equal(rule.notificationSettings.contactPoint, pointOf(rule.labels.severity));
  });

  test("routing: contact points with secrets as placeholders, notification policy, time interval, datasource", () => {
    // prod routes per rule: its policy tree is rendered only as it would be with policyTree.
    const result = render("--stack", "prod", "--out", path.join(out, "prod"), "--set", "grafanaRouting=policyTree");
    assert.equal(result.code, 0, result.stderr);
    type Point = { name: string; slack?: { url: string; recipient: string }; email?: { addresses: string[] }; webhook?: { url: string } };
    const [critical, warning, heartbeat] = JSON.parse(read("prod", RENDERED.contactPoints)) as Point[];
    assert.equal(critical.name, "websocket-prod-critical");
    assert.deepEqual([critical.slack?.url, critical.webhook?.url, critical.email?.addresses], ["[secret]", "[secret]", ["websocket-oncall@example.com"]]);
    assert.deepEqual([warning.name, warning.slack?.recipient, warning.email, warning.webhook], ["websocket-prod-warning", "#websocket-oncall", undefined, undefined]);
    assert.deepEqual([heartbeat.name, heartbeat.webhook?.url, heartbeat.slack, heartbeat.email], ["websocket-prod-heartbeat", "[secret]", undefined, undefined]);
    const interval = JSON.parse(read("prod", RENDERED.timeInterval)) as { name: string; times: unknown; location: string };
    assert.deepEqual([interval.times, interval.location], [[{ start: "06:00", end: "23:00" }], "Europe/Berlin"]);
    const policy = JSON.parse(read("prod", RENDERED.notificationPolicy)) as { routes: { contactPoint: string; activeTimings?: string[] }[] };
    assert.deepEqual(policy.routes.map((r) => [r.contactPoint, r.activeTimings]), [
      [heartbeat.name, undefined],
      [critical.name, [interval.name]],
      [critical.name, undefined],
      [warning.name, undefined],
    ]);
    assert.deepEqual(JSON.parse(read("prod", RENDERED.datasource)), { uid: "prometheus", created: false });
    const dev = render("--stack", "dev", "--out", path.join(out, "dev-datasource"));
    assert.equal(dev.code, 0, dev.stderr);
    const created = JSON.parse(readFileSync(path.join(out, "dev-datasource", RENDERED.datasource), "utf8"));
    assert.deepEqual([created.created, created.url, created.jsonData], [true, "http://prometheus:9090", { httpMethod: "POST", timeInterval: "15s" }]);
  });

  test("each committed stack renders the contact points it deploys with the secrets it is given", () => {
    // Render stands in for every secret; a stack relying on the default receivers ("every
    // configured kind") would show kinds it never gets.
    for (const stack of stackNames()) {
      const rendered = JSON.parse(JSON.stringify(contactPoints(settingsFromStackFile(stack))));
      const deployed = JSON.parse(JSON.stringify(contactPoints(validateConfig(stackRawConfig(stack), stack))));
      const kinds = (points: { kinds: string[] }[]) => points.map((p) => p.kinds.join("+")).join(", ");
      assert.deepEqual(
        rendered,
        deployed,
        `${stack} renders ${kinds(rendered)} but deploys ${kinds(deployed)}: list criticalReceivers and warningReceivers in Pulumi.${stack}.yaml`,
      );
    }
  });

  test("--set overrides config keys; a kubernetes stack gets its discovery jobs in a whole prometheus.yml", () => {
    const result = render("--stack", "staging", "--out", path.join(out, "staging"), "--set", "scrapeInterval=20s", "--set", "scrapeTimeout=5s");
    assert.equal(result.code, 0, result.stderr);
    const scrape = parse(read("staging", RENDERED.scrapeConfig)) as { global: Record<string, unknown>; scrape_configs: Record<string, unknown>[] };
    assert.equal(scrape.global.scrape_interval, "20s");
    assert.ok(scrape.scrape_configs[0].kubernetes_sd_configs, "metrics job discovers the Service's endpoints");
  });

  test("kubernetes/objects.yaml: every object the stack creates, Secrets with their names, keys and labels but no value", () => {
    const stack = "prod-prometheus";
    const set = ["alertEngine=prometheus", "operationalTimezone=UTC", "smtpHost=smtp.example.com:587"].flatMap((a) => ["--set", a]);
    const result = render("--stack", "prod", "--out", path.join(out, stack), ...set);
    assert.equal(result.code, 0, result.stderr);
    const text = read(stack, RENDERED.kubernetes);
    const objects = parseAllDocuments(text).map((d) => d.toJSON() as { kind: string; metadata: { name: string; labels: Record<string, string> }; stringData?: Record<string, string> });
    assert.deepEqual(objects.map((o) => `${o.kind} ${o.metadata.name}`), [
      "ServiceMonitor websocket-prod",
      "Probe websocket-prod-health",
      "Secret websocket-prod-alert-receivers",
      "PrometheusRule websocket-prod-alerts",
      "AlertmanagerConfig websocket-prod",
    ]);
    const receivers = objects[2];
    assert.equal(receivers.metadata.labels.release, "kube-prometheus-stack");
    assert.deepEqual(receivers.stringData, { "slack-webhook-url": "[secret]", "webhook-url": "[secret]", "heartbeat-url": "[secret]" });
    assert.doesNotMatch(text, /placeholder/);
    // HH:MM quoted, so that a YAML 1.1 reader (PyYAML, kubectl's Python cousins) does not send sexagesimal numbers.
    assert.match(text, /endTime: "23:00"/);
  });

  test("every rendered YAML file (dashboard-linter's .lint too) of every stack reads the same with PyYAML (YAML 1.1, strict) as with a YAML 1.2 reader", () => {
    const files = stackNames().flatMap((stack) => [{}, withAlertEngine(stack, "prometheus")].flatMap((overrides) =>
      Object.entries(renderedFiles(settingsFromStackFile(stack, overrides)))
        .filter(([name]) => YAML_FILE.test(name))
        .map(([name, text]) => ({ name: `${stack} ${JSON.stringify(overrides)} ${name}`, text })),
    ));
    const read = readWithPyYaml(files.map((f) => f.text));
    files.forEach(({ name, text }, i) => assert.deepEqual(read[i], { docs: parseAllDocuments(text, { version: "1.2" }).map((d) => d.toJSON()) }, name));
  });

  test("unknown stack, from the command line: the loader's message on stderr, exit 1", async () => {
    const result = await renderCli("--stack", "nope", "--out", path.join(out, "nope"));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^unknown stack 'nope': no Pulumi\.nope\.yaml; stacks here: .*dev/);
  });

  test("invalid config: every problem on stderr, exit 1", () => {
    const result = render("--stack", "dev", "--out", path.join(out, "bad"), "--set", "scrapeInterval=0s", "--set", "scrapeIntervall=1s");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Invalid configuration for stack 'dev' \(2 problems\)/);
    assert.match(result.stderr, /scrapeIntervall: unknown key\. Did you mean 'scrapeInterval'\?/);
  });

  test("a key in a misspelt namespace: exit 1, naming the right one; providers' keys in the file are theirs", () => {
    const dir = mkdtempSync(path.join(out, "namespace-"));
    const stackFile = readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), `${stackFile}  grafana:url: http://localhost:3000\n  pulumi:disable-default-providers: ["kubernetes"]\n`);
    assert.equal(render("--stack", "dev", "--stack-dir", dir, "--out", path.join(dir, "out")).code, 0);
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), `${stackFile}  websocketmonitoring:connectionsMax: "300"\n`);
    const result = render("--stack", "dev", "--stack-dir", dir, "--out", path.join(dir, "out"));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /\(1 problem\):\n  - websocketmonitoring:connectionsMax: namespace 'websocketmonitoring' is not this project's[^\n]*'websocket-monitoring:connectionsMax'/);
  });

  test("missing or malformed arguments: usage, exit 2", () => {
    for (const args of [["--stack", "dev"], ["--stack", "dev", "--out", out, "--set", "noequals"], ["--bogus"]]) {
      const result = render(...args);
      assert.equal(result.code, 2, `render ${args.join(" ")}`);
      assert.match(result.stderr, /usage: npm run render/);
    }
  });

  test("says which of the WebSocket layer's optional signals page, per service", () => {
    assert.match(render("--stack", "prod", "--out", path.join(out, "prod-signals")).stderr, /^WebSocket layer of websocket: WebSocketHandshakeFailures and the handshake objective off \(exposesUpgrades: false\), .*WebSocketInstanceImbalance on \(it reads the connection gauge\), the upgrade probe off \(upgradeProbe: false\)$/m);
    assert.match(render("--stack", "local", "--out", path.join(out, "local-signals")).stderr, /WebSocketHandshakeFailures and the handshake objective on, WebSocketConnectionsNearLimit on, WebSocketAbnormalCloses on, .*, the upgrade probe on/);
  });

  test("--help and -h: the usage on stdout, exit 0, nothing written", () => {
    for (const args of [["--help"], ["-h"], ["--stack", "dev", "--help"]]) {
      const result = render(...args);
      assert.equal(result.code, 0, `render ${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stdout, /^usage: npm run render -- --stack <name> --out <dir>[^]*--help, -h/);
      assert.equal(result.stderr, "");
    }
  });
});
