/**
 * Before any Grafana resource is registered: is Grafana there, do the credentials work, is it
 * new enough, and does the data source the stack uses but does not create exist? Each failure
 * names the config key to fix, instead of surfacing later as a provider error on the first of a
 * dozen resources.
 */
import type { Secret } from "../lib/secret";
import type { GrafanaSettings, Settings } from "../config/settings";

/** A feature the stack uses in Grafana, and the first Grafana release that has it. */
export interface GrafanaRequirement {
  feature: string;
  version: readonly [number, number];
}

/**
 * What this stack needs of Grafana, feature by feature (from Grafana's changelogs):
 * - the folder, datasource and dashboard: 11.0. The panels, variables and annotations are years
 *   older; the foundation SDK writes schemaVersion 42 (Grafana 12.2), which an older Grafana
 *   renders as it is, running no migration (it has none above its own version).
 * - Grafana-managed alerting (alertEngine `grafana`): 12.1, for the operational hours of
 *   WebSocketNoActiveConnections: active time intervals on notification policies (policyTree)
 *   and in per-rule notification settings (perRule) both arrived in 12.1.
 * With alertEngine `prometheus` Grafana only shows the dashboard.
 */
export function grafanaRequirements(s: Settings): GrafanaRequirement[] {
  return [
    { feature: "the folder, datasource and dashboard", version: [11, 0] },
    ...(s.alerts.engine === "grafana"
      ? [{ feature: `the operational hours of WebSocketNoActiveConnections (active time intervals ${s.grafana.routing === "policyTree" ? "on notification policies" : "in per-rule notification settings"})`, version: [12, 1] as const }]
      : []),
  ];
}

export class PreflightError extends Error {
  override name = "PreflightError";
}

function authHeader(auth: string): string {
  return auth.includes(":") ? `Basic ${Buffer.from(auth).toString("base64")}` : `Bearer ${auth}`;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
}

/** `existingDatasourceUid`: the Prometheus data source the stack uses and does not create (createDatasource false). */
export async function checkGrafana(
  g: Pick<GrafanaSettings, "url"> & { auth: Secret },
  requirements: readonly GrafanaRequirement[],
  existingDatasourceUid?: string,
): Promise<{ version: string }> {
  let health: Response;
  try {
    health = await get(`${g.url}/api/health`);
  } catch (e) {
    const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
    throw new PreflightError(
      `websocket-monitoring:grafanaUrl: cannot reach Grafana at ${g.url} (${cause?.code ?? cause?.message ?? (e as Error).message}). ` +
        `Start Grafana ('npm run up' starts the local one) or fix the URL with 'pulumi config set grafanaUrl <url>', then run again.`,
    );
  }
  const body = (await health.json().catch(() => ({}))) as { version?: string };
  if (!health.ok || !body.version) {
    throw new PreflightError(`websocket-monitoring:grafanaUrl: ${g.url}/api/health answered HTTP ${health.status}, not Grafana's health JSON; is grafanaUrl the Grafana base URL?`);
  }
  const [major, minor] = body.version.split(".").map(Number);
  for (const { feature, version } of requirements) {
    if (major > version[0] || (major === version[0] && minor >= version[1])) continue;
    throw new PreflightError(
      `websocket-monitoring:grafanaUrl: Grafana ${body.version} at ${g.url} is too old: ${feature} need Grafana ${version.join(".")} or later. Upgrade Grafana` +
        (version[0] >= 12 ? " (or let Prometheus and Alertmanager alert: alertEngine 'prometheus', which needs Grafana only for the dashboard)." : "."),
    );
  }
  const user = await get(`${g.url}/api/folders?limit=1`, { Authorization: authHeader(g.auth.reveal()) });
  if (user.status === 401 || user.status === 403) {
    const reason = ((await user.json().catch(() => ({}))) as { message?: string }).message ?? "";
    throw new PreflightError(
      `websocket-monitoring:grafanaAuth: Grafana at ${g.url} rejected the credentials (HTTP ${user.status}${reason ? `: ${reason}` : ""}). ` +
        `Set working ones with 'pulumi config set --secret grafanaAuth <user:password or service account token>' ` +
        `(the token needs the Editor role for folders, dashboards and alerting).`,
    );
  }
  if (!user.ok) throw new PreflightError(`websocket-monitoring:grafanaUrl: GET ${g.url}/api/folders answered HTTP ${user.status}.`);
  if (existingDatasourceUid !== undefined) await checkDatasource(g, existingDatasourceUid);
  return { version: body.version };
}

/** The data source exists and is Prometheus: otherwise the provider's lookup fails with a bare 404, or the panels query the wrong kind. */
async function checkDatasource(g: Pick<GrafanaSettings, "url"> & { auth: Secret }, uid: string): Promise<void> {
  const answer = await get(`${g.url}/api/datasources/uid/${encodeURIComponent(uid)}`, { Authorization: authHeader(g.auth.reveal()) });
  const fix =
    `Set datasourceUid to the uid of an existing Prometheus data source ('pulumi config set datasourceUid <uid>'; Grafana lists them under Connections > Data sources, ` +
    `or GET ${g.url}/api/datasources), or let the stack create one ('pulumi config set createDatasource true' and 'pulumi config set prometheusUrl <url>').`;
  if (answer.status === 404) throw new PreflightError(`websocket-monitoring:datasourceUid = "${uid}": Grafana at ${g.url} has no data source with this uid. ${fix}`);
  if (!answer.ok) throw new PreflightError(`websocket-monitoring:datasourceUid = "${uid}": GET ${g.url}/api/datasources/uid/${uid} answered HTTP ${answer.status}.`);
  const { type } = (await answer.json().catch(() => ({}))) as { type?: string };
  if (type !== "prometheus") throw new PreflightError(`websocket-monitoring:datasourceUid = "${uid}": the data source at ${g.url} with this uid is of type '${type}', not 'prometheus'. ${fix}`);
}
