/**
 * Each SLO's page and ticket as alert definitions (alerts/definitions.ts renders them for both
 * engines): firing while both windows of one of the severity's tiers burn above its factor, with
 * the burn rate over the long window as the value. Grafana queries the raw series; Prometheus
 * reads the recordings of recordingRules.ts (the same ratios, evaluated once per interval).
 */
import type { AlertDefinition, Severity } from "../alerts/vocabulary";
import type { Settings } from "../config/settings";
import { slos, type Slo } from "./model";
import { recordedErrorRatio } from "./recordingRules";
import { type BurnTier } from "./windows";
import { promDuration } from "../config/duration";

/** Above `factor` over both windows of each tier, any tier; `ratio` reads the error ratio over a window. */
function burnCondition(slo: Slo, tiers: BurnTier[], ratio: (window: string) => string): string {
  const burn = (seconds: number) => `${ratio(promDuration(seconds))} / ${slo.budget}`;
  return tiers.map((t) => `(${burn(t.longSeconds)} > ${t.factor} and ${burn(t.shortSeconds)} > ${t.factor})`).join(" or ");
}

function tierText(tiers: BurnTier[]): string {
  return tiers.map((t) => `${t.factor}x over ${promDuration(t.longSeconds)} and ${promDuration(t.shortSeconds)}`).join(", or ");
}

export function sloAlertDefinitions(s: Settings, runbookUrl: (alert: string) => string): AlertDefinition[] {
  const o = s.alerts.objectives;
  return slos(s).flatMap((slo) =>
    (["critical", "warning"] as Severity[]).map((severity): AlertDefinition => {
      const tiers = slo.tiers.filter((t) => t.severity === severity);
      const page = severity === "critical";
      return {
        name: slo.alertName,
        severity,
        slo: slo.name,
        query: burnCondition(slo, tiers, (w) => `(${slo.errorRatio(w)})`),
        prometheusQuery: burnCondition(slo, tiers, (w) => recordedErrorRatio(slo, w)),
        op: ">",
        threshold: 0,
        for: page ? o.pageFor : o.ticketFor,
        labels: { ...slo.labels, severity },
        summary: `${slo.name.charAt(0).toUpperCase()}${slo.name.slice(1)} objective (${slo.objective}%) of ${s.service.name} in ${s.environment}: error budget burning ${page ? "fast" : "steadily"}`,
        description: (value) =>
          `The ${o.period.text} error budget of ${slo.sli} (objective ${slo.objective}%) burns {{ ${value} | humanize }} times as fast as the objective allows ` +
          `(${page ? "page" : "ticket"} at ${tierText(tiers)}). At ${tiers[0].factor}x, ${promDuration(tiers[0].longSeconds)} costs ` +
          `${Math.round((tiers[0].factor * tiers[0].longSeconds * 100) / o.period.seconds)}% of the budget.`,
        runbookUrl: runbookUrl(slo.alertName),
        // No data (no probe, no closed connection) is not an error; a missing service is WebSocketServiceDown's.
        noDataState: "OK",
        execErrState: "Error",
      };
    }),
  );
}
