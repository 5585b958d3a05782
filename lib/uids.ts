/** Grafana's uids of the stack's folder and dashboards; Grafana allows at most 40 characters. */
export const FOLDER_UID = "websocket-monitoring";
export const DASHBOARD_UID = "websocket-service-monitoring";
export const MAX_UID_LENGTH = 40;

const withSuffix = (uid: string, suffix?: string) => (suffix ? `${uid}-${suffix}` : uid);

export function folderUidOf(suffix?: string): string {
  return withSuffix(FOLDER_UID, suffix);
}

/** The stack's one service: `websocket-service-monitoring`; a service listed in `services`: `websocket-<name>`. */
export function dashboardUidOf(listedName: string | undefined, suffix?: string): string {
  return withSuffix(listedName ? `websocket-${listedName}` : DASHBOARD_UID, suffix);
}
