/**
 * The Kubernetes stacks on a real kube-apiserver with the real prometheus-operator
 * (harness/kubernetes): what each stack deploys — staging and prod, both alert engines, both
 * scrape modes, Secrets with test values — is server-side applied, must be accepted and read back
 * unpruned, and what the operator generates from it must be what the stack's queries and routing
 * assume: the scrape jobs and their `job` labels (promtool check config with Kubernetes
 * discovery), the rule file (promtool), and the Alertmanager routing (amtool), where every alert of
 * the stack reaches the receiver of its severity and no other alert of the namespace reaches ours.
 * Two of the variants have two services (`services`): each service's jobs, rules and routes.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { parse, stringify } from "yaml";
import { environmentHeartbeat } from "../../alerts/definitions";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { SERVICE_NAMESPACE_LABEL, alertmanagerConfigObject, prometheusRule } from "../../alerts/kubernetes";
import type { KubernetesStack } from "../../config/settings";
import { isSecret, type KubernetesObject } from "../../lib/kubernetes";
import { resourceBaseName } from "../../lib/naming";
import { runCommand } from "../../harness/processes";
import { pollUntil } from "../../harness/poll";
import { startControlPlane, type ControlPlane } from "../../harness/kubernetes/controlPlane";
import { clusterObjects, generatedAlertmanagerConfig, generatedPrometheusConfig, generatedRuleFiles, revealed } from "../../harness/kubernetes/monitoringCluster";
import { stackJobs } from "../../promql/queries";
import { kubernetesManifests } from "../../render/renderedFiles";
import { FIXTURES_DIR, settingsFromStackFile } from "../../render/stackSettings";
import { GENERATED_TIMEOUT_MS, VARIANTS, assertContained, assertUpgradeJob, jobLabels, promtool, reconciled, routeOf, strategyOf, variantServices } from "../support/operatorChecks";
import { TEST_SECRETS } from "../support/stacks";
import { writeRuleTestFiles } from "../support/ruleTestFiles";
const RULE_TESTS_DIR = path.join(__dirname, "../rules");
const dir = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-operator-"));
let cluster: ControlPlane;

before(async () => {
  cluster = await startControlPlane();
});
after(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

for (const v of VARIANTS) {
  describe(`${v.stack}, alertEngine ${v.engine}, k8sScrapeMode ${v.mode}${v.services ? `, services ${v.services.join(" and ")}` : ""}${v.upgradeProbe ? ", upgradeProbe" : ""}`, () => {
    const services = variantServices(v);
    const s = services[0];
    const namespace = s.kubernetes.namespace;
    const manifests = kubernetesManifests(services);
    const variantDir = path.join(dir, namespace);

    before(async () => {
      mkdirSync(variantDir, { recursive: true });
      for (const o of clusterObjects(s, strategyOf(v))) await cluster.api.apply(o);
    });

    test("every object is accepted by server-side apply (strict field validation) and reads back as sent", async () => {
      for (const m of manifests) {
        const sent = revealed(m);
        const got = await cluster.api.apply(sent);
        const back = await cluster.api.get(sent);
        assert.equal(got.metadata.name, m.metadata.name);
        if (isSecret(m)) {
          const data = Object.fromEntries(Object.entries((back.data ?? {}) as Record<string, string>).map(([k, b64]) => [k, Buffer.from(b64, "base64").toString("utf8")]));
          assert.deepEqual(data, (sent as unknown as { stringData: Record<string, string> }).stringData, `Secret ${m.metadata.name}`);
          assertContained(back.metadata, m.metadata, `${m.kind} ${m.metadata.name} metadata`);
        } else {
          assertContained(back, sent, `${m.kind} ${m.metadata.name}`);
        }
      }
    });

    test("the operator's Prometheus config scrapes each service and probes its health (and upgrades) under the job names the queries use", async () => {
      const jobs = services.flatMap(stackJobs);
      const { value } = await pollUntil(
        `generated Prometheus config with the jobs ${jobs.join(", ")}`,
        () => generatedPrometheusConfig(cluster.api, namespace),
        (g) => g !== undefined && jobs.every((job) => jobLabels(g.config).has(job)),
        { timeoutMs: GENERATED_TIMEOUT_MS, intervalMs: 250 },
      );
      const config = value!.config;
      for (const x of services) {
        const metricsJob = config.scrape_configs!.find((j) => j.job_name === jobLabels(config).get(x.scrape.jobName))!;
        assert.deepEqual(metricsJob.kubernetes_sd_configs?.map((sd) => sd.role), ["endpointslice"], `${x.service.name}: EndpointSlice discovery`);
        assertUpgradeJob(config, x);
      }
      const file = path.join(variantDir, "prometheus.yaml");
      writeFileSync(file, value!.text);
      await promtool(path.join(cluster.binDir, "promtool"), "check", "config", file);
      await reconciled(cluster.api, clusterObjects(s, strategyOf(v))[2]);
    });

    if (v.engine !== "prometheus") return;

    // Each service's, and with `services` and a heartbeat the environment's heartbeat's.
    const ruleObjects = manifests.filter((m) => m.kind === "PrometheusRule") as KubernetesObject[];

    test("the operator's rule files hold each PrometheusRule (each service's, the environment's heartbeat's), and promtool checks them", async () => {
      assert.equal(ruleObjects.length, services.length + (environmentHeartbeat(services) ? 1 : 0), "a PrometheusRule per service, and the heartbeat's with services");
      for (const rule of ruleObjects) {
        const ruleName = rule.metadata.name;
        const { value: files } = await pollUntil(
          `generated rule file of ${ruleName}`,
          () => generatedRuleFiles(cluster.api, namespace),
          (f) => Object.keys(f).some((k) => k.startsWith(`${namespace}-${ruleName}-`)),
          { timeoutMs: GENERATED_TIMEOUT_MS, intervalMs: 250 },
        );
        const [name, text] = Object.entries(files).find(([k]) => k.startsWith(`${namespace}-${ruleName}-`))!;
        assert.deepEqual(parse(text), rule.spec);
        const file = path.join(variantDir, name);
        writeFileSync(file, text);
        await promtool(path.join(cluster.binDir, "promtool"), "check", "rules", file);
      }
    });

    describe("the operator's Alertmanager config", () => {
      const base = resourceBaseName(s);
      const configName = alertmanagerConfigObject(services).metadata.name;
      const receiverOf = (name: string) => `${namespace}/${configName}/${name}`;
      const file = path.join(variantDir, "alertmanager.yaml");
      let ruleLabels: Record<string, string>[];

      before(async () => {
        const { value } = await pollUntil(
          "generated Alertmanager config with the stack's receivers",
          () => generatedAlertmanagerConfig(cluster.api, namespace),
          (text) => text?.includes(receiverOf(`${base}-critical`)) === true,
          { timeoutMs: GENERATED_TIMEOUT_MS, intervalMs: 250 },
        );
        writeFileSync(file, value!);
        const rules = ruleObjects.map((x) => x.spec as { groups: { rules: { alert?: string; labels: Record<string, string> }[] }[] });
        ruleLabels = rules.flatMap((rule) => rule.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [{ ...r.labels, alertname: r.alert }] : []))));
      });

      test("amtool check-config passes, and the operator reports no reconcile error", async () => {
        const result = await runCommand("amtool", ["check-config", file]);
        assert.equal(result.code, 0, result.summary);
        await reconciled(cluster.api, clusterObjects(s, strategyOf(v))[3]);
      });

      test("the inhibitions of one incident, one page reached the generated config, for this stack's alerts only", async () => {
        const config = parse((await generatedAlertmanagerConfig(cluster.api, namespace))!) as { inhibit_rules?: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[] };
        const ours = (config.inhibit_rules ?? []).filter((r) => r.target_matchers.some((m) => m.includes(ALERT_NAMES.noActiveConnections) || m.includes(ALERT_NAMES.availabilityBudgetBurn)));
        assert.deepEqual(ours.map((r) => r.source_matchers.find((m) => m.startsWith("alertname"))), [`alertname="${ALERT_NAMES.serviceDown}"`, `alertname="${ALERT_NAMES.outage}"`]);
        for (const r of ours) assert.ok(r.equal.includes("service") && r.equal.includes("environment"), JSON.stringify(r));
      });

      test("the receivers' secrets reached the generated config (the operator read the Secret)", async () => {
        const config = parse((await generatedAlertmanagerConfig(cluster.api, namespace))!) as { receivers: Record<string, unknown>[] };
        const text = JSON.stringify(config.receivers);
        // The heartbeat's URL among them: staging and prod carry one.
        const urls = Object.values(TEST_SECRETS[v.stack]).filter((x) => x.startsWith("https://"));
        for (const value of urls) assert.ok(text.includes(value), `${value} not in the generated receivers`);
      });

      test("every alert of the stack reaches the receiver of its severity", async () => {
        for (const labels of ruleLabels) {
          // The heartbeat (severity none) goes to its own receiver, the outage inhibitor to the one that tells no one, every other alert to its severity's.
          const receiver = labels.alertname === ALERT_NAMES.heartbeat ? "heartbeat" : labels.alertname === ALERT_NAMES.outage ? "silent" : labels.severity;
          assert.equal(await routeOf(file, labels), receiverOf(`${base}-${receiver}`), `${labels.alertname} of ${labels.service}`);
        }
      });

      test("other alerts of the namespace reach none of the stack's receivers", async () => {
        const foreign: Record<string, string>[] = [
          { alertname: "KubePodCrashLooping", severity: "warning", namespace },
          { alertname: "PrometheusOperatorReconcileErrors", severity: "critical", namespace, service: "kube-prometheus-stack-operator" },
          { alertname: "SomeoneElsesAlert", severity: "critical", namespace, environment: s.environment },
          // Our alert's name, of a service this stack does not watch.
          { alertname: ALERT_NAMES.serviceDown, severity: "critical", namespace, environment: s.environment, service: "billing" },
        ];
        for (const labels of foreign) {
          const receivers = await routeOf(file, labels);
          assert.ok(!receivers.includes(`${namespace}/${configName}/`), `${labels.alertname} reached ${receivers}`);
        }
      });
    });
  });
}

/**
 * The promtool rule tests of test/rules/ on the rule file the operator generated from the test
 * stack's PrometheusRule (its alert settings on prod's Kubernetes placement). The operator's
 * file carries two labels more than the plain rule file (prometheusRule): each expected alert
 * gets them too.
 */
describe("the promtool rule tests on the operator's rule file", () => {
  const rules = settingsFromStackFile("rules", {}, FIXTURES_DIR);
  const [prod] = variantServices({ stack: "prod", engine: "prometheus", mode: "serviceMonitor" });
  const s: KubernetesStack = { ...rules, platform: "kubernetes", kubernetes: { ...prod.kubernetes, namespace: "rules-fixture" } };
  const rule = prometheusRule(s);
  const extraLabels = { namespace: s.kubernetes.namespace, [SERVICE_NAMESPACE_LABEL]: s.kubernetes.serviceNamespace };
  const testDir = path.join(dir, "rules-fixture");

  before(async () => {
    mkdirSync(testDir, { recursive: true });
    for (const o of clusterObjects(s, "OnNamespace")) await cluster.api.apply(o);
    await cluster.api.apply(revealed(rule));
    const { value: files } = await pollUntil(
      "generated rule file of the test stack",
      () => generatedRuleFiles(cluster.api, s.kubernetes.namespace),
      (f) => Object.keys(f).length > 0,
      { timeoutMs: GENERATED_TIMEOUT_MS, intervalMs: 250 },
    );
    writeRuleTestFiles(Object.values(files)[0], testDir);
  });

  for (const file of readdirSync(RULE_TESTS_DIR).filter((f) => f.endsWith(".test.yml")).sort()) {
    test(`promtool test rules ${file}`, async () => {
      const spec = parse(readFileSync(path.join(RULE_TESTS_DIR, file), "utf8")) as { tests: { alert_rule_test?: { exp_alerts: { exp_labels: Record<string, string> }[] }[] }[] };
      for (const t of spec.tests) for (const a of t.alert_rule_test ?? []) for (const e of a.exp_alerts) Object.assign(e.exp_labels, extraLabels);
      writeFileSync(path.join(testDir, file), stringify(spec));
      await promtool("promtool", "test", "rules", path.join(testDir, file));
    });
  }
});
