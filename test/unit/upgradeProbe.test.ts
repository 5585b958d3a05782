/**
 * The upgrade probe (`upgradeProbe`): its defaults per platform, its targets, its job and Probe
 * object only when it is on, WebSocketServiceDown's reasons for it, the availability SLI that
 * counts it, and the config mistakes about it.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { alertQueries } from "../../promql/queries";
import { onPlatform, type Settings } from "../../config/settings";
import { validateConfig, validateServices } from "../../config/validate";
import type { KubernetesObject } from "../../lib/kubernetes";
import { kubernetesScrapeJobs, prometheusConfig, serviceScrapeObjects } from "../../scrape/model";
import { slos } from "../../slo/model";
import { problemsOf, raw } from "../support/configCases";
import { stackRawConfig } from "../support/stacks";

type Job = { job_name: string; params?: { module: string[] }; static_configs?: { targets: string[] }[]; relabel_configs?: unknown[] };

const stack = (name: string, overrides: Record<string, string | undefined> = {}) => validateConfig(stackRawConfig(name, overrides), name);
const kubernetes = (overrides: Record<string, string | undefined> = {}) => onPlatform(stack("prod", overrides), "kubernetes");
const upgradeJob = (jobs: unknown[], name = "websocket-upgrade") => (jobs as Job[]).find((j) => j.job_name === name);

describe("the upgrade probe", () => {
  test("on by default where the stack runs the blackbox exporter (local, docker), off on Kubernetes", () => {
    assert.deepEqual(stack("local").scrape.upgradeProbe, { jobName: "websocket-upgrade", module: "websocket_upgrade", targets: ["127.0.0.1:8080"] });
    assert.deepEqual(stack("dev").scrape.upgradeProbe?.targets, ["websocket-service:8080"]);
    for (const name of ["prod", "staging"]) assert.equal(stack(name).scrape.upgradeProbe, undefined, name);
    assert.equal(validateConfig(raw({ upgradeProbe: "false" }), "test").scrape.upgradeProbe, undefined);
  });

  test("local and docker: a job through the blackbox exporter for each target; none when off", () => {
    const s = validateConfig(raw({ targets: '["10.0.0.1:8080","10.0.0.2:8080"]', blackboxExporter: "127.0.0.1:9115" }), "test");
    const job = upgradeJob(prometheusConfig(s).scrape_configs as unknown[])!;
    assert.deepEqual(job.params, { module: ["websocket_upgrade"] });
    assert.deepEqual(job.static_configs![0].targets, ["10.0.0.1:8080", "10.0.0.2:8080"]);
    assert.deepEqual(job.relabel_configs!.at(-1), { target_label: "__address__", replacement: "127.0.0.1:9115" });
    const off = validateConfig(raw({ upgradeProbe: "false" }), "test");
    assert.deepEqual((prometheusConfig(off).scrape_configs as Job[]).map((j) => j.job_name), ["websocket", "websocket-health"]);
  });

  test("Kubernetes: a Probe <service>-upgrade (serviceMonitor) or a job (additionalScrapeConfig) of healthUrl's host:port, only when on", () => {
    assert.deepEqual(serviceScrapeObjects(kubernetes()).map((o) => o.metadata.name), ["websocket-prod", "websocket-prod-health"]);
    assert.equal(upgradeJob(kubernetesScrapeJobs(kubernetes())), undefined);
    const on = kubernetes({ upgradeProbe: "true", upgradeProbeModule: "ws_upgrade", upgradeJobName: "ws-upgrade" });
    const probe = serviceScrapeObjects(on).find((o) => o.metadata.name === "websocket-prod-upgrade") as KubernetesObject;
    assert.deepEqual(probe.spec, {
      jobName: "ws-upgrade", interval: "30s", scrapeTimeout: "10s", module: "ws_upgrade",
      prober: { url: "prometheus-blackbox-exporter.monitoring.svc:9115", path: "/probe", scheme: "http" },
      targets: { staticConfig: { static: ["websocket-service.realtime.svc:8080"], labels: { environment: "prod" } } },
    });
    assert.deepEqual(upgradeJob(kubernetesScrapeJobs(on), "ws-upgrade")!.static_configs![0].targets, ["websocket-service.realtime.svc:8080"]);
    // A health URL without a port: the scheme's.
    for (const [url, target] of [["https://ws.example.com/ws/health", "ws.example.com:443"], ["http://ws.realtime.svc/ws/health", "ws.realtime.svc:80"]])
      assert.deepEqual(kubernetes({ upgradeProbe: "true", healthUrl: url }).scrape.upgradeProbe?.targets, [target], url);
  });

  test("with services: each service's upgrade job is <name>-upgrade", () => {
    const list = [{ name: "chat", targets: ["127.0.0.1:8081"] }, { name: "presence", targets: ["127.0.0.1:8082"] }];
    const all = validateServices(raw({ targets: undefined, services: JSON.stringify(list) }), "test");
    assert.deepEqual(all.map((s) => s.scrape.upgradeProbe?.jobName), ["chat-upgrade", "presence-upgrade"]);
  });

  test("WebSocketServiceDown: upgrade_failed and probe_missing of the upgrade job only when it is on", () => {
    const on = alertQueries(stack("local")).serviceDown;
    assert.ok(on.includes('label_replace(1 - probe_success{job="websocket-upgrade"}, "reason", "upgrade_failed", "", "")'), on);
    assert.ok(on.includes('label_replace(label_replace(absent(probe_success{job="websocket-upgrade"}), "instance", "none", "", ""), "reason", "probe_missing", "", "")'), on);
    const off = alertQueries(stack("prod")).serviceDown;
    assert.ok(!off.includes("upgrade"), off);
  });

  test("the availability SLI counts both probes when the upgrade probe is on, the health probe alone otherwise", () => {
    const availability = (s: Settings) => slos(s).find((x) => x.name === "availability")!.errorRatio("5m");
    assert.match(availability(stack("local")), /probe_success\{job=~"websocket-health\|websocket-upgrade"\}\[5m\]/);
    assert.match(availability(stack("prod")), /probe_success\{job="websocket-health"\}\[5m\]/);
  });
});

describe("upgrade probe config mistakes, each naming the key", () => {
  test("a module name that is not one", () => {
    assert.deepEqual(problemsOf(raw({ upgradeProbeModule: "websocket upgrade" })), [
      `websocket-monitoring:upgradeProbeModule = "websocket upgrade": allowed: a blackbox module name.`,
    ]);
  });

  test("not a boolean, not a job name", () => {
    const problems = problemsOf(raw({ upgradeProbe: "yes", upgradeJobName: "9-upgrade" }));
    assert.equal(problems.length, 2, problems.join("\n"));
    assert.match(problems[0], /^websocket-monitoring:upgradeProbe = "yes": allowed: true or false/);
    assert.match(problems[1], /^websocket-monitoring:upgradeJobName = "9-upgrade": allowed: a Prometheus job name/);
  });

  test("a job name another job has: refused while the probe is on", () => {
    assert.deepEqual(problemsOf(raw({ upgradeJobName: "websocket-health" })), [
      `websocket-monitoring:upgradeJobName = "websocket-health": also the health job of the stack; every job of the stack needs its own name.`,
    ]);
    assert.deepEqual(problemsOf(raw({ upgradeJobName: "websocket-health", upgradeProbe: "false" })), []);
    const list = [{ name: "chat", targets: ["127.0.0.1:8081"] }, { name: "presence", targets: ["127.0.0.1:8082"], upgradeJobName: "chat-upgrade" }];
    assert.deepEqual(problemsOf(raw({ targets: undefined, services: JSON.stringify(list) })), [
      `websocket-monitoring:services[1].upgradeJobName = "chat-upgrade": also the upgrade job of services[0]; every job of the stack needs its own name.`,
    ]);
  });
});
