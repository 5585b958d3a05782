/**
 * The multiwindow, multi-burn-rate alerting of the SRE workbook (chapter 5, table 5-8), for a
 * 30-day error budget: a page when the budget burns 14.4 times as fast as the objective allows
 * over 1h and 5m (2 % of the budget in an hour), or 6 times over 6h and 30m (5 % in six hours);
 * a ticket at 3 times over 1d and 2h (10 % in a day), or once over 3d and 6h (10 % in three days).
 * For another period every window scales by period / 30d and the factors stay: each tier then
 * fires on the same share of the budget.
 */
import type { Severity } from "../alerts/definitions";
import type { Duration } from "../config/settings";

export const REFERENCE_PERIOD_SECONDS = 30 * 86400;
/** The short window of the fastest tier: the shortest window any SLO rule reads. */
export const SHORTEST_BURN_WINDOW_SECONDS = 300;

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

/** Seconds as a Prometheus duration, largest units first: 3600 -> "1h", 150 -> "2m30s", 259200 -> "3d". */
export function promDuration(seconds: number): string {
  let rest = seconds;
  let out = "";
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out || "0s";
}

/** Seconds as a Duration of the settings (`text` as Prometheus writes it). */
export function durationOf(seconds: number): Duration {
  return { text: promDuration(seconds), seconds };
}
