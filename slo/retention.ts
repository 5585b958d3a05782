/**
 * How long Prometheus must keep its data for the objectives: every SLO panel (the budget left)
 * reads a whole `sloPeriod`, and Prometheus' default retention (15d) would show half of the
 * default 30d. Where the stack runs Prometheus (local, docker) it sets this retention; on
 * Kubernetes the operator's `Prometheus` has its own (`k8sPrometheusRetention` says what it is).
 */
import type { Duration } from "../config/settings";
import { durationOf } from "../config/duration";

/** The period and a quarter more, in whole hours: room for a late compaction and for looking back past the period's start. */
export function prometheusRetention(period: Duration): Duration {
  return durationOf(Math.ceil((period.seconds * 1.25) / 3600) * 3600);
}
