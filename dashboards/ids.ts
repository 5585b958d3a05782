/** Stable identifiers other parts link to (alert rules point at panels; tests find panels). */
import type { Settings } from "../config/settings";
import { dashboardUidOf, folderUidOf } from "../lib/uids";

/** The folder uid: users open `/dashboards/f/<uid>`. */
export function folderUid(s: Settings): string {
  return folderUidOf(s.grafana.uidSuffix);
}

/** The service's dashboard, in the environment's folder. */
export function dashboardUid(s: Settings): string {
  return dashboardUidOf(s.service.listed ? s.service.name : undefined, s.grafana.uidSuffix);
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
  uptime: 35,
} as const;

/** The Service levels row: per SLO its SLI, its budget left, its burn rates. */
export const SLO_PANEL_IDS = {
  availability: { sli: 19, budget: 20, burnRates: 21 },
  connections: { sli: 22, budget: 23, burnRates: 24 },
  handshake: { sli: 32, budget: 33, burnRates: 34 },
} as const;

/** The WebSocket layer row (dashboards/layer.ts). */
export const LAYER_PANEL_IDS = {
  row: 25,
  upgradesAccepted: 26,
  handshakeLatency: 27,
  closesByCode: 28,
  messageLatency: 29,
  limitShare: 30,
  imbalance: 31,
  upgradeRate: 36,
} as const;

/** Every panel of the Service levels row (not the row itself). */
export const SLO_PANELS: ReadonlySet<number> = new Set(Object.values(SLO_PANEL_IDS).flatMap((ids) => Object.values(ids)));
