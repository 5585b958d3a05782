/** Every name the objectives generate: alerts, recorded series, labels and rule groups. */
import type { Settings } from "../config/settings";
import { ofService } from "../lib/naming";
import type { SloName } from "../alerts/vocabulary";

/** The label that names the objective on every recorded series and alert. */
export const SLO_LABEL = "slo";

/** The error ratio of an SLI over `window` (a Prometheus duration), as the Prometheus engine records it. */
export function errorRatioRecord(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

/** The bad events of an SLI outside rollouts per evaluation step, which the Prometheus engine records and sums over each window (slo/rollouts.ts). */
export function errorEventsRecord(step: string): string {
  return `slo:sli_error_events_outside_rollouts:increase${step}`;
}

/** Prometheus: one rule group per objective, its recordings then its alerts. */
export function sloRuleGroupName(s: Settings, slo: SloName): string {
  return `${ofService(s, s.namePrefix)}-slo-${slo}`;
}

/** Grafana refuses two rules of one title in a group: the tickets (the second rule of each SLO alert) get a group of their own. */
export function sloTicketGroupName(s: Settings): string {
  return `${ofService(s, s.namePrefix)}-slo-tickets`;
}
