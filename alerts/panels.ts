/**
 * Which dashboard panel each alert links: decided here, above both the alerts' names
 * (alerts/vocabulary.ts) and the dashboard's panel ids (dashboards/ids.ts), which know nothing of each other.
 */
import { ALERT_NAMES } from "./vocabulary";
import { LAYER_PANEL_IDS, PANEL_IDS, SLO_PANEL_IDS } from "../dashboards/ids";

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
  // A restart in place, on the processes' uptime.
  unexpectedRestart: PANEL_IDS.uptime,
};

/** The panel the alert `alertName` links, or undefined for none; an alert without an entry is a programming error. */
export function alertPanelId(alertName: string): number | undefined {
  const key = (Object.keys(ALERT_NAMES) as (keyof typeof ALERT_NAMES)[]).find((k) => ALERT_NAMES[k] === alertName);
  if (!key) throw new Error(`alert ${alertName}: no entry in ALERT_PANELS (alerts/panels.ts)`);
  return ALERT_PANELS[key];
}
