/**
 * The multiwindow, multi-burn-rate alerting of the SRE workbook (chapter 5, table 5-8), for a
 * 30-day error budget: a page when the budget burns 14.4 times as fast as the objective allows
 * over 1h and 5m (2 % of the budget in an hour), or 6 times over 6h and 30m (5 % in six hours);
 * a ticket at 3 times over 1d and 2h (10 % in a day), or once over 3d and 6h (10 % in three days).
 * For another period every window scales by period / 30d and the factors stay: each tier then
 * fires on the same share of the budget.
 */
import type { Severity } from "../alerts/vocabulary";
import { REFERENCE_PERIOD_SECONDS, SHORTEST_BURN_WINDOW_SECONDS } from "../config/objectiveWindows";


export interface BurnTier {
  severity: Severity;
  /** Burn rate: how many times as fast as the objective allows the budget is spent. */
  factor: number;
  /** Both windows must burn above the factor: the long one makes it significant, the short one makes it current. */
  longSeconds: number;
  shortSeconds: number;
}

const REFERENCE_TIERS: readonly BurnTier[] = [
  { severity: "critical", factor: 14.4, longSeconds: 3600, shortSeconds: SHORTEST_BURN_WINDOW_SECONDS },
  { severity: "critical", factor: 6, longSeconds: 6 * 3600, shortSeconds: 1800 },
  { severity: "warning", factor: 3, longSeconds: 86400, shortSeconds: 2 * 3600 },
  { severity: "warning", factor: 1, longSeconds: 3 * 86400, shortSeconds: 6 * 3600 },
];

/** The tiers for an error budget of `periodSeconds`, windows in whole seconds. */
export function burnTiers(periodSeconds: number): BurnTier[] {
  const scale = (seconds: number) => Math.max(1, Math.round((seconds * periodSeconds) / REFERENCE_PERIOD_SECONDS));
  return REFERENCE_TIERS.map((t) => ({ ...t, longSeconds: scale(t.longSeconds), shortSeconds: scale(t.shortSeconds) }));
}
