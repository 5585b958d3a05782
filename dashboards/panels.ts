/**
 * The panel shapes of the WebSocket dashboard (grafana-foundation-sdk builders), each on the
 * templated datasource: time series, up/down stats and ratio stats.
 */
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder as PromQuery } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatPanel } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";

/** Every panel and query reads the data source variable: the dashboard can be pointed at another Prometheus. */
export const DATASOURCE = { type: "prometheus", uid: "${datasource}" };

/** An expression and its legend. */
export type Target = [expr: string, legend: string];

export function promQuery(expr: string, legend: string, refId = "A"): PromQuery {
  return new PromQuery().expr(expr).legendFormat(legend).refId(refId);
}

/** refIds A, B, ... in order. */
const refId = (i: number) => String.fromCharCode(65 + i);

/** A time series panel on the templated datasource with `targets` (expr, legend), refIds A, B, ... */
export function series(id: number, title: string, description: string, unit: string, ...targets: Target[]): TimeseriesPanel {
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
  targets.forEach(([expr, legend], i) => panel.withTarget(promQuery(expr, legend, refId(i))));
  return panel;
}

/** A stat per series of `exprs` (refIds A, B, ...): `up` on green at 1, `down` on red at 0. */
export function upDownStat(id: number, title: string, description: string, exprs: string[], up: string, down: string): StatPanel {
  const panel = new StatPanel()
    .id(id)
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
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
  exprs.forEach((expr, i) => panel.withTarget(promQuery(expr, "{{job}} {{instance}}", refId(i))));
  return panel;
}

/** A stat of a ratio on the templated datasource, red below `good`, green from it. */
export function ratioStat(id: number, title: string, description: string, expr: string, good: number): StatPanel {
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
