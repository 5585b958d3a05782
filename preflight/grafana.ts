/**
 * Before any Grafana resource is registered: is Grafana there, do the credentials work, and is
 * it new enough? Each failure names the config key to fix, instead of surfacing later as a
 * provider error on the first of a dozen resources.
 */
import type { GrafanaSettings } from "../config/settings";

/** Notification-policy active time intervals (operational hours) need this version. */
const MIN_GRAFANA = [12, 1] as const;

export class PreflightError extends Error {
  override name = "PreflightError";
}

function authHeader(auth: string): string {
  return auth.includes(":") ? `Basic ${Buffer.from(auth).toString("base64")}` : `Bearer ${auth}`;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
}

export async function checkGrafana(g: Pick<GrafanaSettings, "url" | "auth">): Promise<{ version: string }> {
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
  if (major < MIN_GRAFANA[0] || (major === MIN_GRAFANA[0] && minor < MIN_GRAFANA[1])) {
    throw new PreflightError(
      `websocket-monitoring:grafanaUrl: Grafana ${body.version} at ${g.url} is too old: the operational hours of WebSocketNoActiveConnections ` +
        `(notification-policy active time intervals) need Grafana ${MIN_GRAFANA.join(".")} or later. Upgrade Grafana.`,
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
  return { version: body.version };
}
