/** Stable identifiers other parts link to (alert rules point at panels; tests find panels). */
export const FOLDER_UID = "websocket-monitoring";
export const DASHBOARD_UID = "websocket-service-monitoring";

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
} as const;
