/**
 * The WebSocket dashboard as a typed model (grafana-foundation-sdk builders), built by a pure
 * function from the stack settings. First what the seed asks for (the "Active WebSocket
 * Connections" gauge and "WebSocket Connections Over Time"), then what an operator opens next:
 * connection churn and its reasons, message traffic, connection lifetimes, scrape and health.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as GaugePanel } from "@grafana/grafana-foundation-sdk/gauge";
import { DataqueryBuilder as PromQuery } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatPanel } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import type { Settings } from "../config/settings";
import { DASHBOARD_SELECTOR, queries } from "../promql/queries";
import { slos, type Slo } from "../slo/model";
import { promDuration } from "../slo/windows";
import { ALERT_NAMES } from "../alerts/definitions";
import { dashboardUid, PANEL_IDS, SLO_PANEL_IDS } from "./ids";

export const PANEL_TITLES = {
  activeConnections: "Active WebSocket Connections",
  connectionsOverTime: "WebSocket Connections Over Time",
} as const;

/** Every panel and query reads the data source variable: the dashboard can be pointed at another Prometheus. */
const DATASOURCE = { type: "prometheus", uid: "${datasource}" };

function promQuery(expr: string, legend: string, refId = "A"): PromQuery {
  return new PromQuery().expr(expr).legendFormat(legend).refId(refId);
}

/** A time series panel on the templated datasource with `targets` (expr, legend), refIds A, B, ... */
function series(id: number, title: string, description: string, unit: string, ...targets: [string, string][]): TimeseriesPanel {
  const panel = new TimeseriesPanel()
    .id(id)
    .title(title)
    .description(description)
    .unit(unit)
    .min(0)
    .span(12)
    .height(8)
    .lineWidth(2)
    .fillOpacity(10)
    .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom).showLegend(true))
    .datasource(DATASOURCE);
  targets.forEach(([expr, legend], i) => panel.withTarget(promQuery(expr, legend, String.fromCharCode(65 + i))));
  return panel;
}

function upDownStat(id: number, title: string, description: string, expr: string, up: string, down: string): StatPanel {
  return new StatPanel()
    .id(id)
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .withTarget(promQuery(expr, "{{job}} {{instance}}"))
    .unit("none")
    .span(6)
    .height(6)
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .noValue("no data: target missing")
    .mappings([
      {
        type: dashboard.MappingType.ValueToText,
        options: { "0": { text: down, color: "red", index: 0 }, "1": { text: up, color: "green", index: 1 } },
      },
    ])
    .thresholds(
      new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
        { value: null, color: "red" },
        { value: 1, color: "green" },
      ]),
    );
}

/**
 * The variables Grafana's dashboard linter expects, defaulting to exactly what the dashboard
 * showed before they existed: the stack's datasource, its two jobs (the service and its health
 * probe), every instance.
 */
function variables(s: Settings): cog.Builder<dashboard.VariableModel>[] {
  const jobs = [s.scrape.jobName, s.scrape.healthJobName];
  const query = (name: string, label: string, definition: string) =>
    new dashboard.QueryVariableBuilder(name)
      .label(label)
      .datasource(DATASOURCE)
      .query(definition)
      .definition(definition)
      .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
      .sort(dashboard.VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .allValue(".+");
  return [
    new dashboard.DatasourceVariableBuilder("datasource").label("Data source").type("prometheus").current({ text: s.grafana.datasourceUid, value: s.grafana.datasourceUid }),
    query("job", "Job", 'label_values(up{job!=""}, job)').current({ text: jobs, value: jobs }),
    query("instance", "Instance", 'label_values(up{job=~"$job"}, instance)').current({ text: "All", value: "$__all" }),
  ];
}

/**
 * When alerts fired, on every time series: Grafana's own alert-state annotations with its engine
 * (the rules link this dashboard); this stack's firing `ALERTS` from Prometheus with its engine.
 */
function alertAnnotation(s: Settings): dashboard.AnnotationQueryBuilder {
  const annotation = new dashboard.AnnotationQueryBuilder().enable(true).hide(false).iconColor("red");
  if (s.alerts.engine === "grafana")
    return annotation.name("Alerts").builtIn(1).type("dashboard").datasource({ type: "grafana", uid: "-- Grafana --" });
  return annotation
    .name("Alerts")
    .datasource(DATASOURCE)
    .expr(`ALERTS{alertstate="firing", service="${s.scrape.jobName}", environment="${s.environment}"}`)
    .titleFormat("{{alertname}}")
    .textFormat("{{severity}} {{reason}}")
    .tagKeys("alertname,severity")
    .step("60s");
}

/** A stat of a ratio on the templated datasource, red below `good`, green from it. */
function ratioStat(id: number, title: string, description: string, expr: string, good: number): StatPanel {
  return new StatPanel()
    .id(id)
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .withTarget(promQuery(expr, "").instant())
    .unit("percentunit")
    .decimals(3)
    .span(6)
    .height(6)
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.None)
    .noValue("no data in the period")
    .thresholds(
      new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
        { value: null, color: "red" },
        { value: good, color: "green" },
      ]),
    );
}

/** Per SLO: the SLI over the period against its objective, the budget left, the burn rates over 1h and 6h. */
function serviceLevelPanels(s: Settings, slo: Slo): cog.Builder<dashboard.Panel>[] {
  const ids = SLO_PANEL_IDS[slo.name];
  const period = s.alerts.objectives.period.text;
  const ratio = (window: string) => `(${slo.errorRatio(window, DASHBOARD_SELECTOR)})`;
  const pages = slo.tiers.filter((t) => t.severity === "critical");
  return [
    ratioStat(ids.sli, `${slo.name}: SLI over ${period}`, `Share of ${slo.sli} over the last ${period}; green from the objective, ${slo.objective}%.`, `1 - ${ratio(period)}`, 1 - slo.budget),
    ratioStat(
      ids.budget,
      `${slo.name}: error budget left`,
      `Share of the ${period} error budget (${Number((slo.budget * 100).toPrecision(6))}% of ${slo.sli} may fail) not yet spent; below 0 the objective is missed.`,
      `1 - ${ratio(period)} / ${slo.budget}`,
      0,
    ),
    series(
      ids.burnRates,
      `${slo.name}: burn rate`,
      `How many times as fast as the objective allows the error budget burns, over the long windows of the page tiers: ${slo.alertName} pages above ` +
        pages.map((t) => `${t.factor} (${promDuration(t.longSeconds)}, with ${promDuration(t.shortSeconds)})`).join(" or ") + ".",
      "short",
      ...pages.map((t): [string, string] => [`${ratio(promDuration(t.longSeconds))} / ${slo.budget}`, promDuration(t.longSeconds)]),
    ),
  ];
}

export function buildDashboard(s: Settings): dashboard.Dashboard {
  const q = queries(s, true);
  const alerts = s.alerts;
  const thresholdSteps = new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: "green" },
    { value: alerts.connectionsWarning, color: "orange" },
    { value: alerts.connectionsMax, color: "red" },
  ]);

  const builder = new dashboard.DashboardBuilder(s.grafana.dashboardTitle)
    .uid(dashboardUid(s))
    .description(
      `WebSocket connections of job ${s.scrape.jobName} in ${s.environment}. Managed by Pulumi: change it in the websocket-monitoring repository, not in the UI.`,
    )
    .tags(["websocket", s.environment])
    .readonly()
    .refresh(s.grafana.dashboardRefresh.text)
    .time({ from: "now-6h", to: "now" })
    .timezone("browser")
    .variables(variables(s))
    .annotation(alertAnnotation(s));
  // Only where a browser resolves the address: a cluster-internal health URL would be a dead link.
  if (s.scrape.healthLinkUrl)
    builder.link(new dashboard.DashboardLinkBuilder("Health endpoint").type(dashboard.DashboardLinkType.Link).url(s.scrape.healthLinkUrl).icon("heart").targetBlank(true).tooltip(`GET ${s.scrape.healthPath}: 200 healthy, 503 unhealthy`));
  builder
    .link(new dashboard.DashboardLinkBuilder("Alert rules").type(dashboard.DashboardLinkType.Link).url(`/alerting/list?search=${encodeURIComponent("label:service=" + s.scrape.jobName)}`).icon("bolt"))
    .link(new dashboard.DashboardLinkBuilder("Runbooks").type(dashboard.DashboardLinkType.Link).url(s.alerts.runbookBaseUrl).icon("doc").targetBlank(true));

  builder
    .withRow(new dashboard.RowBuilder("Connections").id(PANEL_IDS.overviewRow))
    .withPanel(
      new GaugePanel()
        .id(PANEL_IDS.activeConnections)
        .title(PANEL_TITLES.activeConnections)
        .description(`Open connections now, all selected instances. Orange from ${alerts.connectionsWarning}; red from ${alerts.connectionsMax}, where ${ALERT_NAMES.aboveThreshold} fires.`)
        .datasource(DATASOURCE)
        .withTarget(promQuery(q.activeConnections, "connections").instant())
        .min(0)
        .max(Math.ceil(alerts.connectionsMax * 1.25))
        .unit("short")
        .thresholds(thresholdSteps)
        .showThresholdMarkers(true)
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
        .noValue("no data: is the service scraped?")
        .span(6)
        .height(8),
    )
    .withPanel(
      new TimeseriesPanel()
        .id(PANEL_IDS.connectionsOverTime)
        .title(PANEL_TITLES.connectionsOverTime)
        .description("Open connections per instance and in total. Sudden drops mean mass disconnects; a flat zero in working hours means clients cannot connect.")
        .datasource(DATASOURCE)
        .withTarget(promQuery(q.activeConnections, "total", "A"))
        .withTarget(promQuery(q.activeByInstance, "{{instance}}", "B"))
        .unit("short")
        .min(0)
        .thresholds(thresholdSteps)
        .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed))
        .lineWidth(2)
        .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Right).showLegend(true).calcs(["lastNotNull", "max"]))
        .span(18)
        .height(8),
    )
    .withRow(new dashboard.RowBuilder("Service levels").id(PANEL_IDS.serviceLevelsRow));
  for (const slo of slos(s)) for (const panel of serviceLevelPanels(s, slo)) builder.withPanel(panel);
  builder
    .withRow(new dashboard.RowBuilder("Connection churn and traffic").id(PANEL_IDS.churnRow))
    .withPanel(
      series(PANEL_IDS.connectRates, "Connects and disconnects per second", "Accepted and closed connections per second. Both high at once: clients reconnecting in a loop.", "ops", [q.connectRate, "connects"], [q.disconnectRate, "disconnects"]),
    )
    .withPanel(
      series(PANEL_IDS.disconnectReasons, "Disconnects by reason", "Closed connections per second by close reason: tells client churn from server errors and timeouts.", "ops", [q.disconnectsByReason, "{{reason}}"])
        .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)),
    )
    .withPanel(
      series(PANEL_IDS.messages, "Messages per second", "WebSocket messages per second, received (in) and sent (out).", "ops", [q.messagesByDirection, "{{direction}}"]),
    )
    .withPanel(
      series(PANEL_IDS.connectionDuration, "Connection lifetime", "Median and 95th percentile lifetime of closed connections. Short lifetimes with many reconnects point to instability.", "s", [q.durationP50, "p50"], [q.durationP95, "p95"]),
    )
    .withRow(new dashboard.RowBuilder("Scrape and health").id(PANEL_IDS.healthRow))
    .withPanel(
      upDownStat(
        PANEL_IDS.scrapeUp,
        "Scrape targets",
        `Whether Prometheus can scrape each target of the selected jobs: ${s.scrape.metricsPath} (job ${s.scrape.jobName}) and the blackbox exporter probing it (job ${s.scrape.healthJobName}).`,
        q.scrapeUp,
        "UP",
        "DOWN",
      ),
    )
    .withPanel(
      upDownStat(PANEL_IDS.healthProbe, "Health probe", `Whether ${s.scrape.healthPath} answers healthy (blackbox exporter, job ${s.scrape.healthJobName}).`, q.healthProbe, "HEALTHY", "FAILING"),
    )
    .withPanel(
      series(PANEL_IDS.scrapeDuration, "Scrape duration", `Time Prometheus needs to scrape each target; near the ${s.scrape.timeout.text} timeout, scrapes start failing.`, "s", [q.scrapeDuration, "{{job}} {{instance}}"]),
    )
    // USE for a WebSocket server: what runs out before connections start to drop.
    .withRow(new dashboard.RowBuilder("Saturation").id(PANEL_IDS.saturationRow))
    .withPanel(
      series(PANEL_IDS.cpu, "CPU", "CPU time per second, per instance: 100% is one core busy. A single-threaded server saturates at one core.", "percentunit", [q.cpu, "{{instance}}"]),
    )
    .withPanel(
      series(PANEL_IDS.residentMemory, "Resident memory", "Memory the process holds, per instance; every open connection costs buffers. Steady growth at a steady count points to a leak.", "bytes", [q.residentMemory, "{{instance}}"]),
    )
    .withPanel(
      series(PANEL_IDS.fdUsage, "File descriptors in use", "Open file descriptors as a share of the process limit: each WebSocket holds one, and at 100% new connections fail.", "percentunit", [q.fdUsage, "{{instance}}"])
        .max(1),
    )
    .withPanel(
      series(PANEL_IDS.eventLoopLag, "Event-loop lag (p99)", "How late the event loop runs scheduled work: lag delays every message and heartbeat on the instance (services without an event loop show no data).", "s", [q.eventLoopLag, "{{instance}}"]),
    );

  return builder.build();
}
