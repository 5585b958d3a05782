/** Alertmanager's own counters (its /metrics), for tests that wait on what it tried rather than on a clock. */
import { fetchWithin } from "./bounds";

/** Notification attempts of `integration` (webhook, slack, email) that failed, summed over receivers. */
export async function failedNotifications(alertmanagerUrl: string, integration: string): Promise<number> {
  const text = await (await fetchWithin(`${alertmanagerUrl}/metrics`)).text();
  const series = new RegExp(`^alertmanager_notifications_failed_total\\{[^}]*integration="${integration}"[^}]*\\} (\\S+)$`, "gm");
  return [...text.matchAll(series)].reduce((sum, m) => sum + Number(m[1]), 0);
}
