/** Stable identifiers other parts link to (alert rules point at panels; tests find panels). */
import { ALERT_NAMES } from "../alerts/definitions";
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

/**
 * The panel each Grafana rule links (`__dashboardUid__`, `__panelId__`): the one that shows its
 * signal, where Grafana marks the rule's state and where its "View panel" leads. The count alerts
 * on the connections graph, WebSocketServiceDown on the scrape targets, each SLO's page and ticket
 * on its burn rates; the always-firing heartbeat on none, so that it marks no graph.
 */
const ALERT_PANELS: Record<keyof typeof ALERT_NAMES, number | undefined> = {
  noActiveConnections: PANEL_IDS.connectionsOverTime,
  aboveThreshold: PANEL_IDS.connectionsOverTime,
  unstable: PANEL_IDS.connectionsOverTime,
  serviceDown: PANEL_IDS.scrapeUp,
  availabilityBudgetBurn: SLO_PANEL_IDS.availability.burnRates,
  connectionsBudgetBurn: SLO_PANEL_IDS.connections.burnRates,
  handshakeBudgetBurn: SLO_PANEL_IDS.handshake.burnRates,
  heartbeat: undefined,
  // Only Prometheus' engine has it, and it pages no one (alerts/incident.ts).
  outage: undefined,
  // The WebSocket layer's, each on its signal in the layer's row.
  handshakeFailures: LAYER_PANEL_IDS.upgradesAccepted,
  nearLimit: LAYER_PANEL_IDS.limitShare,
  imbalance: LAYER_PANEL_IDS.imbalance,
  abnormalCloses: LAYER_PANEL_IDS.closesByCode,
  unexpectedRestart: PANEL_IDS.uptime,
};

/** The panel the alert `alertName` links, or undefined for none; an alert without an entry is a programming error. */
export function alertPanelId(alertName: string): number | undefined {
  const key = (Object.keys(ALERT_NAMES) as (keyof typeof ALERT_NAMES)[]).find((k) => ALERT_NAMES[k] === alertName);
  if (!key) throw new Error(`alert ${alertName}: no entry in ALERT_PANELS (dashboards/ids.ts)`);
  return ALERT_PANELS[key];
}
