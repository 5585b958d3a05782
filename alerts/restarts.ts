/**
 * Restarts as Prometheus sees them. A rollout replaces processes: on Kubernetes each new pod is a
 * new `instance`, and a drained process counts its clients' graceful closes (`server_shutdown`)
 * before it stops. A crash restarts in place: the same instance, a new `process_start_time_seconds`,
 * and the closes its clients saw (1006) died with the process. WebSocketUnexpectedRestart tells
 * the second from the first; a crash loop is WebSocketServiceDown's (`crash_loop`), a page.
 */
import type { Settings } from "../config/settings";
import { whichService } from "../lib/naming";
import { CRASH_LOOP } from "../promql/queries";
import type { RuleBasics } from "./layer";
import { ALERT_NAMES, type AlertDefinition } from "./vocabulary";

/** Per instance: restarts in place over the crash-loop window, unless the process drained its clients before one of them. */
export function unexpectedRestarts(s: Settings): string {
  const job = `job="${s.scrape.jobName}"`;
  const w = CRASH_LOOP.window;
  return (
    `changes(process_start_time_seconds{${job}}[${w}])` +
    ` unless on (instance) (increase(${s.metrics.disconnectionsTotal}{${job}, reason="server_shutdown"}[${w}]) > 0)`
  );
}

export function restartAlertDefinition(s: Settings, basics: RuleBasics): AlertDefinition {
  const job = s.scrape.jobName;
  return {
    name: ALERT_NAMES.unexpectedRestart,
    ...basics.labels("warning"),
    query: unexpectedRestarts(s),
    op: ">",
    threshold: 0,
    // One evaluation: the window keeps it firing for 15m after the restart, so one notification per restart.
    for: s.alerts.evaluationInterval,
    summary: `WebSocket process${whichService(s, "of")} restarted unexpectedly in ${s.environment}`,
    description: (value) =>
      `Instance {{ $labels.instance }} of job ${job} restarted in place {{ ${value} }} time(s) in ${CRASH_LOOP.window} without closing its connections first ` +
      `(no server_shutdown disconnection counted before it stopped): a crash, an OOM kill or a kill -9. Its clients saw their connections end without a close frame (1006) ` +
      `and reconnected; the closes its process had counted died with it. A rollout that replaces the instance, or a drained restart, does not fire this; ` +
      `more than ${CRASH_LOOP.restarts} restarts in ${CRASH_LOOP.window} page as WebSocketServiceDown (crash_loop).`,
    runbookUrl: basics.runbookUrl(ALERT_NAMES.unexpectedRestart),
    noDataState: "OK",
    execErrState: "Error",
  };
}
