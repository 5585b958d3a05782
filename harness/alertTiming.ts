/** How long an alert may take, from the stack's intervals: for deadlines in tests and the benchmark's ratios. */
import type { Settings } from "../config/settings";

/**
 * The worst-case bound from a condition starting to hold to the alert firing, or notified: one
 * scrape interval until a scrape sees it, one evaluation interval until an evaluation does, the
 * pending period, then what Alertmanager waits before notifying (group_wait for a new group,
 * group_interval for a change in an existing one; 0 for Prometheus' own firing state).
 */
export function worstCaseBoundMs(s: Settings, pendingSeconds: number, alertmanagerWaitSeconds = 0): number {
  return (s.scrape.interval.seconds + s.alerts.evaluationInterval.seconds + pendingSeconds + alertmanagerWaitSeconds) * 1000;
}
