/**
 * The operator-generated scrape config doing its job: a real Prometheus (the release the operator
 * generates for, with Kubernetes discovery) runs the config prometheus-operator generated from
 * prod's ServiceMonitor and Probe (or, for additionalScrapeConfig, from its Secret), discovers the
 * reference service through a Service and its EndpointSlice on the real API server, and the
 * dashboard's own queries then show the true connection count of real WebSocket clients. The
 * upgrade probe is on (its Probe, or its job in the Secret): the blackbox exporter's upgrade of
 * each service's host:port succeeds. Also with two services (`services`), a reference service,
 * Service and EndpointSlice each.
 *
 * Runs inside harness/kubernetes/isolated.sh (a network namespace of its own): the API server
 * refuses loopback endpoint addresses, so the service listens on a TEST-NET-1 address there.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { parse, stringify } from "yaml";
import { onPlatform, type KubernetesStack } from "../../config/settings";
import { PANEL_TITLES } from "../../dashboards/websocket";
import { LoadGenerator } from "../../harness/load";
import { pollUntil } from "../../harness/poll";
import type { ServerProcess } from "../../harness/processes";
import { PrometheusApi } from "../../harness/prometheusApi";
import { startBlackboxExporter, startPrometheus, startReferenceService, startedTogether, type ReferenceService } from "../../harness/servers";
import type { KubeObject } from "../../harness/kubernetes/api";
import { startControlPlane, type ControlPlane } from "../../harness/kubernetes/controlPlane";
import { clusterObjects, generatedPrometheusConfig, revealed, type PrometheusConfig } from "../../harness/kubernetes/monitoringCluster";
import { queries, stackJobsRegex } from "../../promql/queries";
import { kubernetesManifests } from "../../render/renderedFiles";
import { servicesFromStackFile } from "../../render/stackSettings";
import { panelQuery } from "../support/dashboardQueries";
import { TEST_SECRETS } from "../support/stacks";

const address = process.env.WSMON_TEST_NET_ADDRESS;
const TIMEOUT_MS = 60_000;
/** Stands in for Grafana's $__rate_interval. */
const RATE_WINDOW = "1m";

/** The Service the service's selector finds, and the EndpointSlice that names its reference service. */
function serviceObjects(s: KubernetesStack, port: number): KubeObject[] {
  const k = s.kubernetes;
  const name = s.service.listed ? s.service.name : "websocket-service";
  return [
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace: k.serviceNamespace, labels: k.serviceSelector },
      // Headless: no cluster IP, the slice below is all there is.
      spec: { clusterIP: "None", ports: [{ name: k.servicePort, port, targetPort: port }] },
    },
    {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: `${name}-reference`, namespace: k.serviceNamespace, labels: { "kubernetes.io/service-name": name } },
      addressType: "IPv4",
      ports: [{ name: k.servicePort, port, protocol: "TCP" }],
      endpoints: [{ addresses: [address!], conditions: { ready: true } }],
    },
  ];
}

/**
 * The operator's config as its config-reloader sidecar and in-cluster credentials would make it:
 * shard and pod placeholders filled in, and each Kubernetes discovery pointed at this API server
 * with the test's client certificate. The scrape jobs and their relabelling stay as generated.
 */
function outOfCluster(text: string, cluster: ControlPlane): PrometheusConfig {
  const config = parse(text.replaceAll("$(SHARD)", "0").replaceAll("$(POD_NAME)", "prometheus-0")) as PrometheusConfig & { alerting?: unknown };
  const { caCert, clientCert, clientKey } = cluster.certificates;
  for (const job of config.scrape_configs ?? []) {
    for (const sd of job.kubernetes_sd_configs ?? []) Object.assign(sd, { api_server: cluster.api.url, tls_config: { ca_file: caCert, cert_file: clientCert, key_file: clientKey } });
  }
  // No Alertmanager and no rules here: this test is about discovery and scraping.
  delete config.alerting;
  delete config.rule_files;
  return config;
}

const healthUrlOf = (service: ReferenceService) => `http://${address}:${new URL(service.url).port}/ws/health`;

/** Where prod's one service was, the listed services: each its own Service selector and its reference service's health URL. */
function servicesOverride(names: string[], referenceServices: ReferenceService[]): Record<string, string | undefined> {
  const list = names.map((name, i) => ({ name, healthUrl: healthUrlOf(referenceServices[i]), k8sServiceSelector: { "app.kubernetes.io/name": name } }));
  return { services: JSON.stringify(list), healthUrl: undefined, k8sServiceSelector: undefined };
}

const VARIANTS: { mode: "serviceMonitor" | "additionalScrapeConfig"; services?: string[] }[] = [
  { mode: "serviceMonitor" },
  { mode: "additionalScrapeConfig" },
  { mode: "serviceMonitor", services: ["chat", "presence"] },
];

for (const { mode, services: names } of VARIANTS) {
  const what = names ? `the services ${names.join(" and ")}` : "the service";
  describe(`prod (k8sScrapeMode ${mode}): a real Prometheus runs the operator's config and finds ${what} through EndpointSlices`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-discovery-"));
    const started: ServerProcess[] = [];
    let cluster: ControlPlane;
    let referenceServices: ReferenceService[];
    let prometheus: PrometheusApi;
    let loads: LoadGenerator[];
    let services: KubernetesStack[];

    before(async () => {
      assert.ok(address, "WSMON_TEST_NET_ADDRESS is not set: run this test through `npm run test:kubernetes`, which gives it a network namespace of its own");
      cluster = await startControlPlane();
      const serviceStarts = (names ?? [""]).map(() => startReferenceService(0, address));
      const [blackbox] = await startedTogether(started, [startBlackboxExporter(), ...serviceStarts]);
      referenceServices = await Promise.all(serviceStarts);
      const where = names ? servicesOverride(names, referenceServices) : { healthUrl: healthUrlOf(referenceServices[0]) };
      const overrides = {
        k8sScrapeMode: mode,
        k8sNamespace: `discovery-${mode.toLowerCase()}${names ? `-${names.length}` : ""}`,
        // The probe through the blackbox exporter on this machine, of each service's address.
        blackboxExporter: blackbox.address,
        blackboxModule: "websocket_health",
        // Off by default on Kubernetes; this exporter has the module (prometheus/blackbox.yml).
        upgradeProbe: "true",
        scrapeInterval: "1s",
        scrapeTimeout: "1s",
        dashboardRefresh: "5s",
        ...where,
      };
      services = servicesFromStackFile("prod", overrides, undefined, TEST_SECRETS.prod).map((x) => onPlatform(x, "kubernetes"));
      const s = services[0];
      const serviceSide = services.flatMap((x, i) => serviceObjects(x, Number(new URL(referenceServices[i].url).port)));
      for (const o of [...clusterObjects(s, "OnNamespace"), ...serviceSide]) await cluster.api.apply(o);
      for (const m of kubernetesManifests(services)) await cluster.api.apply(revealed(m));
      const jobs = 3 * services.length;
      const { value } = await pollUntil(`the operator's Prometheus config with ${jobs} jobs`, () => generatedPrometheusConfig(cluster.api, s.kubernetes.namespace), (g) => (g?.config.scrape_configs ?? []).length >= jobs, {
        timeoutMs: TIMEOUT_MS,
        intervalMs: 250,
      });
      const configFile = path.join(dir, "prometheus.yaml");
      writeFileSync(configFile, stringify(outOfCluster(value!.text, cluster)));
      mkdirSync(path.join(dir, "data"));
      const server = await startPrometheus(configFile, path.join(dir, "data"), { binary: path.join(cluster.binDir, "prometheus") });
      started.push(server.process);
      prometheus = new PrometheusApi(`http://${server.address}`);
      loads = referenceServices.map((r) => new LoadGenerator(r.wsUrl));
    });

    after(async () => {
      for (const load of loads ?? []) load.terminateAll();
      for (const p of started.reverse()) await p.stop();
      await cluster?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    test("each service's targets are discovered and up, under the job names the queries use, with the service's own namespace", async () => {
      for (const [i, s] of services.entries()) {
        const { value } = await pollUntil(
          `up of the jobs of ${s.service.name}`,
          () => prometheus.query(`up{job=~"${stackJobsRegex(s)}"}`),
          (samples) => samples.length === 3 && samples.every((x) => x.value === 1),
          { timeoutMs: TIMEOUT_MS, intervalMs: 250 },
        );
        const metrics = value.find((x) => x.labels.job === s.scrape.jobName)!;
        assert.equal(metrics.labels.instance, `${address}:${new URL(referenceServices[i].url).port}`);
        assert.equal(metrics.labels.namespace, s.kubernetes.serviceNamespace);
        assert.equal(metrics.labels.environment, "prod");
        const probe = await prometheus.query(`probe_success{job="${s.scrape.healthJobName}"}`);
        assert.deepEqual(probe.map((x) => x.value), [1], `${s.service.name}: the health probe through the blackbox exporter succeeds`);
        const upgrade = await prometheus.query(queries(s).upgradeProbe!);
        assert.deepEqual(upgrade.map((x) => [x.labels.instance, x.value]), [[`${address}:${new URL(referenceServices[i].url).port}`, 1]], `${s.service.name}: the upgrade probe of its host:port succeeds`);
      }
    });

    test("each service's dashboard shows the true count of its own real WebSocket clients", async () => {
      // Different counts per service at each step: a panel reading another service's series would show the wrong one.
      for (const step of [25, 7, 0]) {
        await Promise.all(loads.map((load, i) => load.setConnections(step && step + i)));
        for (const [i, s] of services.entries()) {
          const gauge = panelQuery(s, RATE_WINDOW, PANEL_TITLES.activeConnections).expr;
          const count = step && step + i;
          await pollUntil(`${s.service.name}'s gauge showing ${count}`, () => prometheus.query(gauge), (x) => x.length === 1 && x[0].value === count, { timeoutMs: TIMEOUT_MS, intervalMs: 250 });
        }
      }
    });
  });
}
