/**
 * The Service levels row: per SLO its SLI over the period against the objective, the error budget
 * left and the burn rates of the page tiers. Each reads the SLO's own series (slo/model.ts, the
 * same ratios its alerts read), never the `$job` and `$instance` variables: the objective belongs
 * to the service, whatever jobs and pods are picked.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type { Settings } from "../config/settings";
import type { Slo } from "../slo/model";
import { promDuration } from "../config/duration";
import { SLO_PANEL_IDS } from "./ids";
import { ratioStat, series, type Target } from "./panels";

export function serviceLevelPanels(s: Settings, slo: Slo): cog.Builder<dashboard.Panel>[] {
  const ids = SLO_PANEL_IDS[slo.name];
  const period = s.alerts.objectives.period.text;
  const ratio = (window: string) => `(${slo.errorRatio(window)})`;
  const pages = slo.tiers.filter((t) => t.severity === "critical");
  const scope = ` The whole service's objective: the Job and Instance variables do not apply.`;
  return [
    ratioStat(ids.sli, `${slo.name}: SLI over ${period}`, `Share of ${slo.sli} over the last ${period}; green from the objective, ${slo.objective}%.${scope}`, `1 - ${ratio(period)}`, 1 - slo.budget),
    ratioStat(
      ids.budget,
      `${slo.name}: error budget left`,
      `Share of the ${period} error budget (${Number((slo.budget * 100).toPrecision(6))}% of ${slo.sli} may fail) not yet spent; below 0 the objective is missed.${scope}`,
      `1 - ${ratio(period)} / ${slo.budget}`,
      0,
    ),
    series(
      ids.burnRates,
      `${slo.name}: burn rate`,
      `How many times as fast as the objective allows the error budget burns, over the long windows of the page tiers: ${slo.alertName} pages above ` +
        pages.map((t) => `${t.factor} (${promDuration(t.longSeconds)}, with ${promDuration(t.shortSeconds)})`).join(" or ") + `.${scope}`,
      "short",
      ...pages.map((t): Target => [`${ratio(promDuration(t.longSeconds))} / ${slo.budget}`, promDuration(t.longSeconds)]),
    ),
  ];
}
