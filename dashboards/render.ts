import type { Settings } from "../config/settings";
import { stableJson } from "../lib/stableJson";
import { buildDashboard } from "./websocket";

/** The dashboard as the JSON string deployed to Grafana (keys sorted: no spurious diffs). */
export function dashboardJson(s: Settings): string {
  return stableJson(buildDashboard(s));
}
