/** The pure models (dashboard, alerts, routing, scrape), without Pulumi. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ALERT_NAMES, alertDefinitions } from "../../alerts/definitions";
import { grafanaRuleGroup } from "../../alerts/grafana";
import { alertmanagerWeekdays, contactPoints, notificationPolicy, operationalHours } from "../../alerts/notifications";
import { prometheusRules } from "../../alerts/prometheus";
import { onPlatform } from "../../config/settings";
import { validateConfig } from "../../config/validate";
import { PANEL_IDS } from "../../dashboards/ids";
import { PANEL_TITLES, buildDashboard } from "../../dashboards/websocket";
import { stableJson } from "../../lib/stableJson";
import { healthProbe, kubernetesScrapeJobs, prometheusConfig, serviceMonitor } from "../../scrape/model";
import { stackRawConfig } from "../support/stacks";

const dev = validateConfig(stackRawConfig("dev"), "dev");
const prod = onPlatform(validateConfig(stackRawConfig("prod"), "prod"), "kubernetes");
const renamed = validateConfig(stackRawConfig("dev", { jobName: "realtime", metricActiveConnections: "rt_open_sockets" }), "dev");

type Panel = { id: number; type: string; title: string; targets?: { expr: string; legendFormat?: string }[]; fieldConfig?: any; gridPos: any };
const panels = (s = dev) => buildDashboard(s).panels as Panel[];
const panel = (title: string, s = dev) => panels(s).find((p) => p.title === title)!;

describe("dashboard", () => {
  test("the gauge shows the summed active connections, with thresholds from config", () => {
    const gauge = panel(PANEL_TITLES.activeConnections);
    assert.equal(gauge.type, "gauge");
    assert.equal(gauge.id, PANEL_IDS.activeConnections);
    assert.equal(gauge.targets![0].expr, 'sum(websocket_active_connections{job="websocket", instance=~"$instance"})');
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
    assert.equal(series.targets![1].expr, 'sum by (instance) (websocket_active_connections{job="websocket", instance=~"$instance"})');
  });

  test("then what an operator looks at next: churn, reasons, messages, lifetime, scrape and health", () => {
    const titles = panels().map((p) => p.title);
    for (const t of ["Connects and disconnects per second", "Disconnects by reason", "Messages per second", "Connection lifetime", "Metrics scrape", "Health probe", "Scrape duration"])
      assert.ok(titles.includes(t), t);
    assert.equal(panel("Disconnects by reason").targets![0].expr, 'sum by (reason) (rate(websocket_disconnections_total{job="websocket", instance=~"$instance"}[$__rate_interval]))');
    assert.equal(panel("Health probe").targets![0].expr, 'probe_success{job="websocket-health"}');
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

  test("stable uid, instance variable, health link, refresh from config; every query names the configured job", () => {
    const d = buildDashboard(prod);
    assert.equal(d.uid, "websocket-service-monitoring");
    assert.equal(d.refresh, "1m");
    assert.equal(d.templating!.list![0].name, "instance");
    assert.equal(d.links!.find((l) => l.title === "Health endpoint")!.url, "http://websocket-service.realtime.svc:8080/ws/health");
    for (const p of panels(renamed)) for (const t of p.targets ?? []) assert.ok(!t.expr.includes('job="websocket"'), t.expr);
    assert.match(panel(PANEL_TITLES.activeConnections, renamed).targets![0].expr, /^sum\(rt_open_sockets\{job="realtime"/);
  });

  test("the model holds no secret", () => {
    const json = JSON.stringify(buildDashboard(dev));
    assert.ok(!json.includes("dev-password") && !json.includes("dev-token"));
  });

  test("deployed models are JSON with keys sorted at every level, as Grafana hands them back", () => {
    assert.equal(stableJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: null } }), '{"a":{"c":null,"d":[{"e":2,"f":1}]},"b":1}');
  });
});

describe("alerts", () => {
  const byName = (s = dev) => new Map(alertDefinitions(s).map((a) => [a.name, a]));

  test("four alerts, each with summary, description, runbook, severity and pending period", () => {
    const defs = alertDefinitions(dev);
    assert.deepEqual(defs.map((a) => a.name), Object.values(ALERT_NAMES));
    for (const a of defs) {
      assert.ok(a.summary && a.description("X").length > 40, a.name);
      assert.equal(a.runbookUrl, `https://github.com/acme/websocket-monitoring/blob/main/docs/runbooks.md#${a.name.toLowerCase()}`);
      assert.ok(a.for.seconds > 0, a.name);
    }
  });

  test("conditions follow the config", () => {
    const a = byName(prod);
    assert.deepEqual([a.get(ALERT_NAMES.aboveThreshold)!.op, a.get(ALERT_NAMES.aboveThreshold)!.threshold], [">", 10000]);
    assert.deepEqual([a.get(ALERT_NAMES.noActiveConnections)!.op, a.get(ALERT_NAMES.noActiveConnections)!.threshold], ["<", 1]);
    assert.equal(a.get(ALERT_NAMES.unstable)!.threshold, 0.3);
    // The config keys whose ranges the policy pack holds the thresholds to; the other two are fixed.
    assert.deepEqual([...a.values()].map((d) => d.thresholdKey), [undefined, "connectionsMax", "unstableChangeRatio", undefined]);
    assert.equal(
      a.get(ALERT_NAMES.unstable)!.query,
      'abs(sum(websocket_active_connections{job="websocket"}) - sum(websocket_active_connections{job="websocket"} offset 5m)) / clamp_min(sum(websocket_active_connections{job="websocket"} offset 5m), 200)',
    );
    assert.equal(a.get(ALERT_NAMES.aboveThreshold)!.for.text, "10m");
  });

  test("WebSocketServiceDown turns every kind of absence into a firing series, each with its reason", () => {
    const q = byName().get(ALERT_NAMES.serviceDown)!;
    for (const [reason, expr] of [
      ["scrape_failed", '1 - up{job="websocket"}'],
      ["health_failed", '1 - probe_success{job="websocket-health"}'],
      ["target_missing", 'absent(up{job="websocket"})'],
      ["probe_missing", 'absent(probe_success{job="websocket-health"})'],
      ["metric_missing", '(up{job="websocket"} > bool 0) unless on (instance) websocket_active_connections{job="websocket"}'],
      ["crash_loop", 'changes(process_start_time_seconds{job="websocket"}[15m]) > bool 2'],
    ])
      assert.ok(q.query.includes(`label_replace(${expr}, "reason", "${reason}", "", "")`), reason);
    assert.deepEqual([q.noDataState, q.execErrState], ["Alerting", "Alerting"]);
  });

  test("descriptions format the value for people: counts humanized, ratios as percentages", () => {
    const a = byName();
    assert.match(a.get(ALERT_NAMES.aboveThreshold)!.description("$value"), /holds \{\{ \$value \| humanize \}\} open/);
    assert.match(a.get(ALERT_NAMES.unstable)!.description("$value"), /changed by \{\{ \$value \| humanizePercentage \}\} within 5m, more than the allowed 50%/);
  });

  test("Grafana rendering: query A, reduce B, threshold C, with explicit intervals and datasource uids", () => {
    const group = grafanaRuleGroup(prod);
    assert.deepEqual([group.name, group.intervalSeconds], ["websocket-connections", 60]);
    const rule = group.rules.find((r) => r.name === ALERT_NAMES.aboveThreshold)!;
    assert.equal(rule.condition, "C");
    assert.deepEqual(rule.labels, { environment: "prod", severity: "warning", service: "websocket" });
    assert.equal(rule.annotations.runbook_url, "https://github.com/acme/websocket-monitoring/blob/main/docs/runbooks.md#websocketconnectionsabovethreshold");
    assert.deepEqual(rule.datas.map((d) => [d.refId, d.datasourceUid]), [["A", "prometheus"], ["B", "__expr__"], ["C", "__expr__"]]);
    for (const { refId, model } of rule.datas) assert.deepEqual([model.refId, model.intervalMs, model.maxDataPoints], [refId, 1000, 43200]);
    const [query, reduce, threshold] = rule.datas.map((d) => d.model);
    assert.ok("expr" in query && "reducer" in reduce && "conditions" in threshold);
    assert.deepEqual([query.expr, query.instant, query.datasource], ['sum(websocket_active_connections{job="websocket"})', true, { type: "prometheus", uid: "prometheus" }]);
    assert.deepEqual([reduce.expression, reduce.reducer], ["A", "last"]);
    assert.deepEqual([threshold.expression, threshold.conditions[0].evaluator], ["B", { params: [10000], type: "gt" }]);
  });

  test("Prometheus rendering: same queries, conditions, pending periods and labels", () => {
    const [group] = prometheusRules(prod).groups;
    assert.deepEqual([group.name, group.interval], ["websocket-connections", "1m"]);
    assert.deepEqual(group.rules.map((r) => [r.alert, r.for, r.labels.severity]), [
      [ALERT_NAMES.noActiveConnections, "5m", "critical"],
      [ALERT_NAMES.aboveThreshold, "10m", "warning"],
      [ALERT_NAMES.unstable, "2m", "warning"],
      [ALERT_NAMES.serviceDown, "1m", "critical"],
    ]);
    assert.deepEqual(group.rules[1].labels, { environment: "prod", severity: "warning", service: "websocket" });
    const sum = 'sum(websocket_active_connections{job="websocket"})';
    assert.deepEqual(group.rules.slice(0, 2).map((r) => r.expr), [`(${sum}) < 1`, `(${sum}) > 10000`]);
    assert.match(group.rules[2].expr, /\) > 0\.3$/);
    assert.match(group.rules[3].expr, /\) > 0$/);
    for (const rule of group.rules) assert.ok(rule.annotations.runbook_url && rule.annotations.summary && rule.annotations.description);
  });
});

describe("notifications", () => {
  test("one contact point per severity with the configured integrations", () => {
    const [critical, warning] = contactPoints(prod);
    assert.equal(critical.name, "websocket-prod-critical");
    assert.deepEqual(critical.kinds, ["slack", "email", "webhook"]);
    assert.ok(critical.slack && critical.email && critical.webhook);
    assert.deepEqual(warning.kinds, ["slack"]);
    assert.equal(warning.email, undefined);
    assert.equal(String(critical.slack!.url), "[secret]");
  });

  test("no-connections alerts notify only in operational hours; severities route to their contact points", () => {
    const policy = notificationPolicy(prod);
    assert.equal(policy.contactPoint, "websocket-prod-warning");
    assert.deepEqual(policy.routes.map((r) => [r.contactPoint, r.matchers.map((m) => `${m.label}=${m.value}`).join(","), r.activeTimings ?? []]), [
      ["websocket-prod-critical", "environment=prod,alertname=WebSocketNoActiveConnections", ["websocket-prod-operational-hours"]],
      ["websocket-prod-critical", "environment=prod,severity=critical", []],
      ["websocket-prod-warning", "environment=prod,severity=warning", []],
    ]);
    // Config's "monday:sunday": Alertmanager and Grafana count from Sunday and refuse that range.
    assert.deepEqual(operationalHours(prod), { name: "websocket-prod-operational-hours", weekdays: ["monday:saturday", "sunday"], times: [{ start: "06:00", end: "23:00" }], location: "Europe/Berlin" });
  });

  test("weekday ranges ending on Sunday are split for Alertmanager's Sunday-first weeks; others stay", () => {
    assert.deepEqual(alertmanagerWeekdays(["monday:friday", "saturday:sunday", "sunday", "tuesday:sunday"]), ["monday:friday", "saturday", "sunday", "sunday", "tuesday:saturday", "sunday"]);
  });
});

describe("scrape", () => {
  test("prometheus.yml: metrics job and blackbox health job for each target", () => {
    const config = prometheusConfig(dev) as { global: any; scrape_configs: any[] };
    assert.deepEqual(config.global.external_labels, { environment: "dev" });
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
    const probe = healthProbe(prod);
    assert.deepEqual(probe.spec.prober, { url: "prometheus-blackbox-exporter.monitoring.svc:9115", path: "/probe", scheme: "http" });
    assert.equal(probe.spec.jobName, "websocket-health");
  });

  test("plain Prometheus on Kubernetes: endpoints discovery filtered by the service's labels and port", () => {
    const [metrics] = kubernetesScrapeJobs(prod) as any[];
    assert.deepEqual(metrics.kubernetes_sd_configs, [{ role: "endpoints", namespaces: { names: ["realtime"] } }]);
    assert.deepEqual(metrics.relabel_configs[0], { source_labels: ["__meta_kubernetes_service_label_app_kubernetes_io_name"], regex: "websocket-service", action: "keep" });
    assert.deepEqual(metrics.relabel_configs[1], { source_labels: ["__meta_kubernetes_endpoint_port_name"], regex: "http", action: "keep" });
  });
});
