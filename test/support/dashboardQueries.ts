/**
 * The PromQL the dashboard really sends, taken from the dashboard model itself, with Grafana's
 * variables replaced by concrete values: tests query Prometheus with exactly these strings, so a
 * misspelt metric or label in a panel shows up as a panel without data.
 */
import type { Settings } from "../../config/settings";
import { buildDashboard } from "../../dashboards/websocket";

export interface PanelQuery {
  panel: string;
  /** The panel's id (dashboards/ids.ts). */
  id: number;
  refId: string;
  expr: string;
}

/** What is read here of the typed model, whose targets are all Prometheus queries. */
interface DashboardModel {
  panels: { id: number; title: string; targets?: { refId: string; expr: string }[] }[];
  templating: { list: { name: string; type: string; query: string; allValue?: string; current?: { value: string | string[] } }[] };
  annotations: { list: { name: string; expr?: string }[] };
}

function dashboard(s: Settings): DashboardModel {
  return buildDashboard(s) as DashboardModel;
}

/** As Grafana writes a picked value of a multi-value variable into a regex matcher: regex characters escaped. */
export function pickedValue(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}]/g, "\\\\$&");
}

/** The value of "All": the variable's allValue. */
export const ALL = "$__all";

/**
 * An expression with each query variable at its default, or at `values` (ready to use, e.g.
 * pickedValue(...), or ALL), as Grafana sends it: "All" as the variable's allValue, several values
 * as a regex alternation; `$__rate_interval` as `rateWindow`.
 */
function substituted(s: Settings, expr: string, rateWindow: string, values: Record<string, string> = {}): string {
  let out = expr.replaceAll("$__rate_interval", rateWindow);
  for (const v of dashboard(s).templating.list.filter((x) => x.type === "query")) {
    const current = values[v.name] ?? v.current?.value;
    const value = current === ALL ? v.allValue! : Array.isArray(current) ? current.join("|") : String(current);
    out = out.replaceAll(`$${v.name}`, value);
  }
  if (out.includes("$")) throw new Error(`unknown variable in ${out}`);
  return out;
}

/** Every panel target, with the variables at their defaults or at `values`. */
export function panelQueries(s: Settings, rateWindow: string, values: Record<string, string> = {}): PanelQuery[] {
  return dashboard(s).panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, id: panel.id, refId: target.refId, expr: substituted(s, target.expr, rateWindow, values) })),
  );
}

export function panelQuery(s: Settings, rateWindow: string, panel: string, refId = "A"): PanelQuery {
  const found = panelQueries(s, rateWindow).find((q) => q.panel === panel && q.refId === refId);
  if (!found) throw new Error(`dashboard has no panel '${panel}' with query ${refId}`);
  return found;
}

/** A query variable's `label_values(<selector>, <label>)`, as a series-API request (other variables at their defaults). */
export function variableQuery(s: Settings, name: string): { label: string; match: string } {
  const variable = dashboard(s).templating.list.find((v) => v.name === name);
  const parsed = variable && /^label_values\((.+),\s*([a-zA-Z_]\w*)\)$/.exec(variable.query);
  if (!parsed) throw new Error(`${name} variable: not a label_values() query: ${variable?.query}`);
  return { match: substituted(s, parsed[1], "1m"), label: parsed[2] };
}

/** The `instance` variable's query. */
export function instanceVariable(s: Settings): { label: string; match: string } {
  return variableQuery(s, "instance");
}

/** The expression of the alert annotation (the Prometheus engine's). */
export function annotationQuery(s: Settings): string {
  const expr = dashboard(s).annotations.list.find((a) => a.name === "Alerts")?.expr;
  if (!expr) throw new Error("dashboard has no Alerts annotation with an expression (alertEngine grafana?)");
  return expr;
}
