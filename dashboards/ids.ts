/** Stable identifiers other parts link to (alert rules point at panels; tests find panels). */
import type { Settings } from "../config/settings";

const FOLDER_UID = "websocket-monitoring";
const DASHBOARD_UID = "websocket-service-monitoring";

const withSuffix = (uid: string, s: Settings) => (s.grafana.uidSuffix ? `${uid}-${s.grafana.uidSuffix}` : uid);

/** The folder uid: users open `/dashboards/f/<uid>`. */
export function folderUid(s: Settings): string {
  return withSuffix(FOLDER_UID, s);
}

export function dashboardUid(s: Settings): string {
  return withSuffix(DASHBOARD_UID, s);
}

export const PANEL_IDS = {
  overviewRow: 1,
  activeConnections: 2,
  connectionsOverTime: 3,
  churnRow: 4,
  connectRates: 5,
  disconnectReasons: 6,
  messages: 7,
  connectionDuration: 8,
  healthRow: 9,
  scrapeUp: 10,
  healthProbe: 11,
  scrapeDuration: 12,
  saturationRow: 13,
  cpu: 14,
  residentMemory: 15,
  fdUsage: 16,
  eventLoopLag: 17,
  serviceLevelsRow: 18,
} as const;

/** The Service levels row: per SLO its SLI, its budget left, its burn rates. */
export const SLO_PANEL_IDS = {
  availability: { sli: 19, budget: 20, burnRates: 21 },
  connections: { sli: 22, budget: 23, burnRates: 24 },
} as const;
