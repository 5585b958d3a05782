import type { Settings } from "../config/settings";

/** The one prefix every resource and Grafana object name of a stack derives from. */
export function resourceBaseName(s: Settings): string {
  return `${s.namePrefix}-${s.environment}`;
}
