/** How long an alert may take, from the stack's intervals: for deadlines in tests and the benchmark's ratios. */
import type { Settings } from "../config/settings";
import type { Slo } from "../slo/model";

/**
 * The worst-case bound from a condition starting to hold to the alert firing, or notified: one
 * scrape interval until a scrape sees it, one evaluation interval until an evaluation does, the
 * pending period, then what Alertmanager waits before notifying (group_wait for a new group,
 * group_interval for a change in an existing one; 0 for Prometheus' own firing state).
 */
export function worstCaseBoundMs(s: Settings, pendingSeconds: number, alertmanagerWaitSeconds = 0): number {
  return (s.scrape.interval.seconds + s.alerts.evaluationInterval.seconds + pendingSeconds + alertmanagerWaitSeconds) * 1000;
}

/**
 * How long a total outage takes to make the windows of the fastest page tier cross its factor:
 * failures must reach factor x budget of the long window (the short one fills faster), at one
 * sample per scrape interval.
 */
export function sloCrossingMs(s: Settings, slo: Slo): number {
  const fastest = slo.tiers[0];
  const failuresNeeded = Math.floor((fastest.factor * slo.budget * fastest.longSeconds) / s.scrape.interval.seconds) + 1;
  return failuresNeeded * s.scrape.interval.seconds * 1000;
}

/** After recovery, how long until the page may resolve: until the short window of every page tier is clear. */
export function sloPageClearMs(slo: Slo): number {
  return Math.max(...slo.tiers.filter((t) => t.severity === "critical").map((t) => t.shortSeconds)) * 1000;
}

/** From a total outage to the page's notification at worst: crossing, then the usual scrape, evaluation, pending, group_wait. */
export function sloPageBoundMs(s: Settings, slo: Slo): number {
  return sloCrossingMs(s, slo) + worstCaseBoundMs(s, s.alerts.objectives.pageFor.seconds, s.notifications.groupWait.seconds);
}

/**
 * The e2e stack's objectives shortened so that a page takes seconds: every burn window scales with
 * the period (1h -> 1m, 5m -> 5s); the rollout window (which does not scale) as short as the 5s
 * window, so that refusals soon after the service started still count.
 */
export const SHORT_SLO_OVERRIDES = { sloPeriod: "12h", sloPageFor: "2s", sloTicketFor: "2s", sloRolloutWindow: "5s" };
