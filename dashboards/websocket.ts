/**
 * The WebSocket dashboard as a typed model (grafana-foundation-sdk builders), built by a pure
 * function from the stack settings. First what the seed asks for (the "Active WebSocket
 * Connections" gauge and "WebSocket Connections Over Time"), then the service levels, then what an
 * operator opens next: connection churn and its reasons, message traffic, connection lifetimes,
 * scrape and health, saturation. Panel shapes: panels.ts; variables and annotations: templating.ts.
 */
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as GaugePanel } from "@grafana/grafana-foundation-sdk/gauge";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import type { Settings } from "../config/settings";
import { queries } from "../promql/queries";
import { slos } from "../slo/model";
import { ALERT_NAMES } from "../alerts/vocabulary";
import { dashboardUid, LAYER_PANEL_IDS, PANEL_IDS } from "./ids";
import { layerPanels } from "./layer";
import { DATASOURCE, promQuery, series, upDownStat } from "./panels";
import { serviceLevelPanels } from "./serviceLevels";
import { alertAnnotation, processAnnotations, variables } from "./templating";

export const PANEL_TITLES = {
  activeConnections: "Active WebSocket Connections",
  connectionsOverTime: "WebSocket Connections Over Time",
  scrapeUp: "Scrape targets",
  healthProbe: "Health probe",
  scrapeDuration: "Scrape duration",
} as const;

export function buildDashboard(s: Settings): dashboard.Dashboard {
  const q = queries(s, true);
  const alerts = s.alerts;
  const thresholdSteps = new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: "green" },
    { value: alerts.connectionsWarning, color: "orange" },
    { value: alerts.connectionsMax, color: "red" },
  ]);

  const builder = new dashboard.DashboardBuilder(s.service.listed ? `${s.grafana.dashboardTitle}: ${s.service.name}` : s.grafana.dashboardTitle)
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
  for (const annotation of processAnnotations(s)) builder.annotation(annotation);
  // Only where a browser resolves the address: a cluster-internal health URL would be a dead link.
  if (s.scrape.healthLinkUrl)
    builder.link(new dashboard.DashboardLinkBuilder("Health endpoint").type(dashboard.DashboardLinkType.Link).url(s.scrape.healthLinkUrl).icon("heart").targetBlank(true).tooltip(`GET ${s.scrape.healthPath}: 200 healthy, 503 unhealthy`));
  builder
    .link(new dashboard.DashboardLinkBuilder("Alert rules").type(dashboard.DashboardLinkType.Link).url(`/alerting/list?search=${encodeURIComponent("label:service=" + s.service.name)}`).icon("bolt"))
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
  builder.withRow(new dashboard.RowBuilder("WebSocket layer").id(LAYER_PANEL_IDS.row));
  for (const panel of layerPanels(s, q)) builder.withPanel(panel);
  builder
    .withRow(new dashboard.RowBuilder("Scrape and health").id(PANEL_IDS.healthRow))
    .withPanel(
      upDownStat(
        PANEL_IDS.scrapeUp,
        PANEL_TITLES.scrapeUp,
        `Whether Prometheus can scrape each target of the selected jobs: ${s.scrape.metricsPath} of the selected instances (job ${s.scrape.jobName}) and the blackbox exporter probing it (job ${s.scrape.healthJobName}, whatever instance is picked).`,
        [q.scrapeUp, q.probeScrapeUp],
        "UP",
        "DOWN",
      ),
    )
    .withPanel(
      upDownStat(PANEL_IDS.healthProbe, PANEL_TITLES.healthProbe, healthProbeDescription(s), q.upgradeProbe ? [q.healthProbe, q.upgradeProbe] : [q.healthProbe], "HEALTHY", "FAILING"),
    )
    .withPanel(
      series(PANEL_IDS.uptime, "Process uptime (restarts)", `Seconds since each process started. A line falling to zero is a restart in place (a crash unless the process drained its clients first: ${ALERT_NAMES.unexpectedRestart}); a line ending and a new one starting is a replacement (a rollout).`, "s", [q.uptime, "{{instance}}"]),
    )
    .withPanel(
      series(PANEL_IDS.scrapeDuration, PANEL_TITLES.scrapeDuration, `Time Prometheus needs to scrape each target; near the ${s.scrape.timeout.text} timeout, scrapes start failing.`, "s", [q.scrapeDuration, "{{job}} {{instance}}"], [q.probeScrapeDuration, "{{job}} {{instance}}"]),
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

/** What the health probe panel shows: the health probe, and the upgrade probe where it is on. */
function healthProbeDescription(s: Settings): string {
  const health = `Whether ${s.scrape.healthPath} answers healthy (blackbox exporter, job ${s.scrape.healthJobName})`;
  const upgrade = s.scrape.upgradeProbe && `, and whether each instance accepts a WebSocket upgrade on /ws, answering 101 (job ${s.scrape.upgradeProbe.jobName})`;
  return `${health}${upgrade ?? ""}, whatever instance is picked.`;
}
