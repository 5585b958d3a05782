/**
 * The PromQL the dashboard really sends, taken from the dashboard model itself, with Grafana's
 * variables replaced by concrete values: tests query Prometheus with exactly these strings, so a
 * misspelt metric or label in a panel shows up as a panel without data.
 */
import type { Settings } from "../../config/settings";
import { buildDashboard } from "../../dashboards/websocket";

export interface PanelQuery {
  panel: string;
  refId: string;
  expr: string;
}

/** What is read here of the typed model, whose targets are all Prometheus queries. */
interface DashboardModel {
  panels: { title: string; targets?: { refId: string; expr: string }[] }[];
  templating: { list: { name: string; type: string; query: string; allValue?: string; current?: { value: string | string[] } }[] };
}

function dashboard(s: Settings): DashboardModel {
  return buildDashboard(s) as DashboardModel;
}

/**
 * An expression with each query variable at its default, as Grafana sends it: "All" as the
 * variable's allValue, several values as a regex alternation; `$__rate_interval` as `rateWindow`.
 */
function withDefaults(s: Settings, expr: string, rateWindow: string): string {
  let out = expr.replaceAll("$__rate_interval", rateWindow);
  for (const v of dashboard(s).templating.list.filter((x) => x.type === "query")) {
    const current = v.current?.value;
    const value = current === "$__all" ? v.allValue! : Array.isArray(current) ? current.join("|") : String(current);
    out = out.replaceAll(`$${v.name}`, value);
  }
  if (out.includes("$")) throw new Error(`unknown variable in ${out}`);
  return out;
}

/** Every panel target, with the variables at their defaults. */
export function panelQueries(s: Settings, rateWindow: string): PanelQuery[] {
  return dashboard(s).panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, refId: target.refId, expr: withDefaults(s, target.expr, rateWindow) })),
  );
}

export function panelQuery(s: Settings, rateWindow: string, panel: string, refId = "A"): PanelQuery {
  const found = panelQueries(s, rateWindow).find((q) => q.panel === panel && q.refId === refId);
  if (!found) throw new Error(`dashboard has no panel '${panel}' with query ${refId}`);
  return found;
}

/** The `instance` variable's `label_values(<selector>, <label>)`, as a series-API request (other variables at their defaults). */
export function instanceVariable(s: Settings): { label: string; match: string } {
  const variable = dashboard(s).templating.list.find((v) => v.name === "instance");
  const parsed = variable && /^label_values\((.+),\s*([a-zA-Z_]\w*)\)$/.exec(variable.query);
  if (!parsed) throw new Error(`instance variable: not a label_values() query: ${variable?.query}`);
  return { match: withDefaults(s, parsed[1], "1m"), label: parsed[2] };
}
