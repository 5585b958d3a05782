/** The pure dashboard and scrape models, without Pulumi (alert and routing models: alertModels.test.ts). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { onPlatform, type Settings } from "../../config/settings";
import { validateConfig } from "../../config/validate";
import { LAYER_PANEL_IDS, PANEL_IDS } from "../../dashboards/ids";
import { PANEL_TITLES, buildDashboard } from "../../dashboards/websocket";
import { stableJson } from "../../lib/stableJson";
import { kubernetesScrapeJobs, prometheusConfig, serviceMonitor } from "../../scrape/model";
import { probeObjects } from "../../scrape/probes";
import { stackRawConfig } from "../support/stacks";

const dev = validateConfig(stackRawConfig("dev"), "dev");
const prod = onPlatform(validateConfig(stackRawConfig("prod"), "prod"), "kubernetes");
const renamed = validateConfig(stackRawConfig("dev", { jobName: "realtime", metricActiveConnections: "rt_open_sockets" }), "dev");

type Panel = { id: number; type: string; title: string; datasource?: unknown; targets?: { expr: string; legendFormat?: string }[]; fieldConfig?: any; gridPos: any };
const panels = (s = dev) => buildDashboard(s).panels as Panel[];
const panel = (title: string, s = dev) => panels(s).find((p) => p.title === title)!;

describe("dashboard", () => {
  test("the gauge shows the summed active connections, with thresholds from config", () => {
    const gauge = panel(PANEL_TITLES.activeConnections);
    assert.equal(gauge.type, "gauge");
    assert.equal(gauge.id, PANEL_IDS.activeConnections);
    assert.equal(gauge.targets![0].expr, 'sum(websocket_active_connections{job=~"$job", job="websocket", instance=~"$instance"})');
    assert.equal(gauge.fieldConfig.defaults.unit, "short");
    assert.deepEqual(gauge.fieldConfig.defaults.thresholds.steps, [
      { value: null, color: "green" },
      { value: 150, color: "orange" },
      { value: 200, color: "red" },
    ]);
  });

  test("the time series shows the total and each instance", () => {
    const series = panel(PANEL_TITLES.connectionsOverTime);
    assert.equal(series.type, "timeseries");
    assert.deepEqual(series.targets!.map((t) => t.legendFormat), ["total", "{{instance}}"]);
    assert.equal(series.targets![1].expr, 'sum by (instance) (websocket_active_connections{job=~"$job", job="websocket", instance=~"$instance"})');
  });

  test("then what an operator looks at next: churn, reasons, messages, lifetime, scrape and health, saturation", () => {
    const titles = panels().map((p) => p.title);
    const next = ["Connects and disconnects per second", "Disconnects by reason", "Messages per second", "Connection lifetime", "Scrape targets", "Health probe", "Scrape duration"];
    for (const t of [...next, "Saturation", "CPU", "Resident memory", "File descriptors in use", "Event-loop lag (p99)"]) assert.ok(titles.includes(t), t);
    assert.equal(panel("Disconnects by reason").targets![0].expr, 'sum by (reason) (rate(websocket_disconnections_total{job=~"$job", job="websocket", instance=~"$instance"}[$__rate_interval]))');
    // The probe's instance is the probed URL: its targets follow $job, not $instance (a pod picked would empty them).
    assert.equal(panel("Health probe").targets![0].expr, 'probe_success{job=~"$job", job="websocket-health"}');
    assert.deepEqual(panel("Scrape targets").targets!.map((x) => x.expr), ['up{job=~"$job", job="websocket", instance=~"$instance"}', 'up{job=~"$job", job="websocket-health"}']);
    assert.equal(panel("CPU").targets![0].expr, 'sum by (instance) (rate(process_cpu_seconds_total{job=~"$job", job="websocket", instance=~"$instance"}[$__rate_interval]))');
    assert.equal(
      panel("File descriptors in use").targets![0].expr,
      'sum by (instance) (process_open_fds{job=~"$job", job="websocket", instance=~"$instance"}) / sum by (instance) (process_max_fds{job=~"$job", job="websocket", instance=~"$instance"})',
    );
  });

  test("Service levels: per SLO its SLI over the period against the objective, the budget left, the page tiers' burn rates", () => {
    const titles = panels(prod).map((p) => p.title);
    for (const slo of ["availability", "connections"])
      for (const t of [`${slo}: SLI over 30d`, `${slo}: error budget left`, `${slo}: burn rate`]) assert.ok(titles.includes(t), t);
    const sli = panel("availability: SLI over 30d", prod);
    // The SLO's own series, as its alerts read them: no $job, no $instance.
    assert.equal(sli.targets![0].expr, '1 - (1 - sum(sum_over_time(probe_success{job="websocket-health"}[30d])) / sum(count_over_time(probe_success{job="websocket-health"}[30d])))');
    assert.deepEqual(sli.fieldConfig.defaults.thresholds.steps, [{ value: null, color: "red" }, { value: 0.999, color: "green" }]);
    assert.deepEqual(panel("connections: burn rate", prod).targets!.map((t) => t.legendFormat), ["1h", "6h"]);
    assert.match(panel("connections: error budget left", prod).targets![0].expr, /^1 - \(sum\(increase\(websocket_disconnections_total\{job="websocket", reason=~"error\|timeout"\}\[30d\]\)\) .*\/ 0\.005$/);
  });

  test("variables: the data source, the stack's two jobs, every instance; all at the stack's own values by default", () => {
    const list = buildDashboard(prod).templating!.list! as { name: string; type: string; query?: unknown; current?: { value: unknown }; allValue?: string }[];
    assert.deepEqual(list.map((v) => [v.name, v.type]), [["datasource", "datasource"], ["job", "query"], ["instance", "query"]]);
    // Only this stack's jobs, and only the service's pods (not the probed URL), on a Prometheus other teams share.
    assert.deepEqual(list.slice(1).map((v) => v.query), ['label_values(up{job=~"websocket|websocket-health"}, job)', 'label_values(up{job=~"$job", job="websocket"}, instance)']);
    assert.deepEqual(list.map((v) => v.current?.value), ["prometheus", ["websocket", "websocket-health"], "$__all"]);
    assert.equal(list[2].allValue, ".+");
    for (const p of panels().filter((x) => x.type !== "row")) assert.deepEqual(p.datasource, { type: "prometheus", uid: "${datasource}" }, p.title);
  });

  test("alert annotations: Grafana's own with its engine; this stack's firing ALERTS but the heartbeat from Prometheus with the Prometheus engine", () => {
    type Annotation = { builtIn?: number; type?: string; expr?: string };
    const annotations = (s: Settings) => buildDashboard(s).annotations!.list as Annotation[];
    assert.deepEqual(annotations(prod).map((a) => [a.builtIn, a.type])[0], [1, "dashboard"]);
    const local = validateConfig(stackRawConfig("local"), "local");
    assert.deepEqual(annotations(local).map((a) => a.expr)[0], 'ALERTS{alertstate="firing", service="websocket", environment="local", severity!="none"}');
  });

  test("the reconnect storm of a rollout is readable on the WebSocket layer row: upgrades per second by outcome and status", () => {
    const upgrades = (buildDashboard(prod).panels as { id: number; title: string; targets?: { expr: string; legendFormat: string }[] }[]).find((p) => p.id === LAYER_PANEL_IDS.upgradeRate);
    assert.equal(upgrades?.title, "Upgrades per second");
    assert.deepEqual(upgrades?.targets?.map((t) => [t.expr, t.legendFormat]), [
      ['sum by (outcome, status) (rate(websocket_upgrades_total{job=~"$job", job="websocket", instance=~"$instance"}[$__rate_interval]))', "{{outcome}} {{status}}"],
    ]);
  });

  test("rollouts and restarts in place are marked on the graphs, from what Prometheus sees of the processes", () => {
    type Annotation = { name: string; expr?: string; titleFormat?: string };
    const list = buildDashboard(prod).annotations!.list as Annotation[];
    const byName = new Map(list.map((a) => [a.name, a]));
    const sel = '{job=~"$job", job="websocket"}';
    // A rollout: a process of the job started within sloRolloutWindow (new pods have new instances: their start times, not changes, tell), or one drained its clients.
    const drained = 'sum(increase(websocket_disconnections_total{job=~"$job", job="websocket", reason="server_shutdown"}[5m])) > 0';
    assert.equal(byName.get("Rollouts")?.expr, `(count(time() - process_start_time_seconds${sel} < 300) > 0 or ${drained})`);
    // A restart in place: the same instance with a new start time.
    assert.equal(byName.get("Restarts in place")?.expr, `changes(process_start_time_seconds${sel}[2m]) > 0`);
    assert.equal(byName.get("Restarts in place")?.titleFormat, "restart of {{instance}}");
    // With sloRolloutWindow 0s the objective excepts nothing, but a rollout is still marked (over 5m).
    const off = validateConfig(stackRawConfig("prod", { sloRolloutWindow: "0s" }), "prod");
    assert.match((buildDashboard(off).annotations!.list as Annotation[]).find((a) => a.name === "Rollouts")!.expr!, /< 300\) > 0 or .*\[5m\]\)\) > 0\)$/);
  });

  test("panels never overlap and stay inside the 24-column grid", () => {
    const cells = new Set<string>();
    for (const { gridPos: g } of panels()) {
      assert.ok(g.x + g.w <= 24);
      for (let x = g.x; x < g.x + g.w; x++)
        for (let y = g.y; y < g.y + g.h; y++) {
          assert.ok(!cells.has(`${x},${y}`), `overlap at ${x},${y}`);
          cells.add(`${x},${y}`);
        }
    }
  });

  test("stable uid, refresh from config; the job variable defaults to the configured jobs", () => {
    const d = buildDashboard(prod);
    assert.equal(d.uid, "websocket-service-monitoring");
    assert.equal(d.refresh, "1m");
    const job = buildDashboard(renamed).templating!.list!.find((v) => v.name === "job") as { current: { value: string[] } };
    assert.deepEqual(job.current.value, ["realtime", "websocket-health", "websocket-upgrade"]);
    assert.match(panel(PANEL_TITLES.activeConnections, renamed).targets![0].expr, /^sum\(rt_open_sockets\{job=~"\$job"/);
  });

  test("a health link only to an address a browser resolves: healthLinkUrl, or the local stack's own healthUrl", () => {
    const link = (s: Settings) => buildDashboard(s).links!.find((l) => l.title === "Health endpoint")?.url;
    assert.equal(link(prod), undefined, "prod's healthUrl is cluster-internal");
    assert.equal(link(dev), undefined, "dev's healthUrl is an address on the Docker network");
    assert.equal(link(validateConfig(stackRawConfig("local"), "local")), "http://127.0.0.1:8080/ws/health");
    const published = "https://websocket.example.com/ws/health";
    assert.equal(link(validateConfig(stackRawConfig("prod", { healthLinkUrl: published }), "prod")), published);
  });

  test("the model holds no secret", () => {
    const json = JSON.stringify(buildDashboard(dev));
    assert.ok(!json.includes("dev-password") && !json.includes("dev-token"));
  });

  test("deployed models are JSON with keys sorted at every level, as Grafana hands them back", () => {
    assert.equal(stableJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: null } }), '{"a":{"c":null,"d":[{"e":2,"f":1}]},"b":1}');
  });
});

describe("scrape", () => {
  test("prometheus.yml: metrics job and blackbox health job for each target", () => {
    const config = prometheusConfig(dev) as { global: any; scrape_configs: any[] };
    assert.equal(config.global.external_labels, undefined, "environment comes from the targets and the rules, not twice");
    const [metrics, health] = config.scrape_configs;
    assert.deepEqual([metrics.job_name, metrics.metrics_path, metrics.scrape_interval, metrics.scrape_timeout], ["websocket", "/ws/metrics", "15s", "10s"]);
    assert.deepEqual(metrics.static_configs[0].targets, ["websocket-service:8080"]);
    assert.deepEqual(health.params, { module: ["websocket_health"] });
    assert.deepEqual(health.static_configs[0].targets, ["http://websocket-service:8080/ws/health"]);
    assert.deepEqual(health.relabel_configs.at(-1), { target_label: "__address__", replacement: "blackbox-exporter:9115" });
  });

  test("ServiceMonitor and Probe for prometheus-operator", () => {
    const sm = serviceMonitor(prod);
    assert.equal(sm.metadata.name, "websocket-prod");
    assert.deepEqual(sm.spec.selector, { matchLabels: { "app.kubernetes.io/name": "websocket-service" } });
    const [probe] = probeObjects(prod);
    assert.deepEqual(probe.spec.prober, { url: "prometheus-blackbox-exporter.monitoring.svc:9115", path: "/probe", scheme: "http" });
    assert.equal(probe.spec.jobName, "websocket-health");
  });

  test("additionalScrapeConfigs on Kubernetes: EndpointSlice discovery filtered by the service's labels and port", () => {
    const [metrics] = kubernetesScrapeJobs(prod) as any[];
    assert.deepEqual(metrics.kubernetes_sd_configs, [{ role: "endpointslice", namespaces: { names: ["realtime"] } }]);
    assert.deepEqual(metrics.relabel_configs[0], { source_labels: ["__meta_kubernetes_service_label_app_kubernetes_io_name"], regex: "websocket-service", action: "keep" });
    assert.deepEqual(metrics.relabel_configs[1], { source_labels: ["__meta_kubernetes_endpointslice_port_name"], regex: "http", action: "keep" });
  });
});
