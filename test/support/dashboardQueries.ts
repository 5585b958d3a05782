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
  templating: { list: { name: string; query: string }[] };
}

function dashboard(s: Settings): DashboardModel {
  return buildDashboard(s) as DashboardModel;
}

/** Every panel target; `$instance` means all instances, `$__rate_interval` becomes `rateWindow`. */
export function panelQueries(s: Settings, rateWindow: string): PanelQuery[] {
  return dashboard(s).panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => {
      const expr = target.expr.replaceAll("$instance", ".*").replaceAll("$__rate_interval", rateWindow);
      if (expr.includes("$")) throw new Error(`panel '${panel.title}' ${target.refId}: unknown variable in ${expr}`);
      return { panel: panel.title, refId: target.refId, expr };
    }),
  );
}

export function panelQuery(s: Settings, rateWindow: string, panel: string, refId = "A"): PanelQuery {
  const found = panelQueries(s, rateWindow).find((q) => q.panel === panel && q.refId === refId);
  if (!found) throw new Error(`dashboard has no panel '${panel}' with query ${refId}`);
  return found;
}

/** The `instance` variable's `label_values(<selector>, <label>)`, as a series-API request. */
export function instanceVariable(s: Settings): { label: string; match: string } {
  const variable = dashboard(s).templating.list.find((v) => v.name === "instance");
  const parsed = variable && /^label_values\((.+),\s*([a-zA-Z_]\w*)\)$/.exec(variable.query);
  if (!parsed) throw new Error(`instance variable: not a label_values() query: ${variable?.query}`);
  return { match: parsed[1], label: parsed[2] };
}
