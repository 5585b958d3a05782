/**
 * The objectives of the service as one model each (sloth's SLO spec, pyrra's SLI): what counts as
 * an error, the objective, the budget, and the error ratio over any window in PromQL.
 * recordingRules.ts and alertRules.ts render it; the dashboard reads the same ratios. The
 * handshake objective exists only where the service counts its upgrades (`exposesUpgrades`).
 */
import { parseDuration } from "../config/duration";
import type { Settings } from "../config/settings";
import { SLO_LABEL, errorEventsRecord } from "./conventions";
import { SLO_ALERT_NAMES, type SloName } from "../alerts/vocabulary";
import { eventsOutsideRollouts, excludesRollouts } from "./rollouts";
import { burnTiers, type BurnTier } from "./windows";
import { promDuration } from "../config/duration";

/** Connections that end with these reasons count against the connections SLO. */
const ERROR_REASONS = ["error", "timeout"] as const;

export interface Slo {
  name: SloName;
  alertName: string;
  /** Percent. */
  objective: number;
  /** The error budget as a ratio: 1 - objective. */
  budget: number;
  /** What the SLI measures, for descriptions. */
  sli: string;
  /** The labels of every recorded series and alert of this SLO. */
  labels: Record<string, string>;
  tiers: BurnTier[];
  /**
   * The error ratio over `window` (a Prometheus duration) from the raw series of the SLO's own
   * jobs: no data where nothing was measured. Rules and dashboard read the same.
   */
  errorRatio(window: string): string;
  /**
   * Prometheus only: a recording of the bad events per evaluation step that the windows' recordings
   * sum instead of a subquery over days (slo/rollouts.ts); `ratio` reads it (a selector) over a window.
   */
  stepRecording?: { record: string; expr: string; ratio(window: string, recorded: string): string };
}

export function slos(s: Settings): Slo[] {
  const o = s.alerts.objectives;
  const tiers = burnTiers(o.period.seconds);
  const base = (name: SloName, objective: number) => ({
    name,
    alertName: SLO_ALERT_NAMES[name],
    objective,
    budget: Number((1 - objective / 100).toPrecision(12)),
    labels: { [SLO_LABEL]: name, service: s.service.name, environment: s.environment },
    tiers,
  });
  // With upgradeProbe, both probes: a /ws/health that answers while upgrades fail is not available to clients.
  const probes = s.scrape.upgradeProbe ? `probe_success{job=~"${s.scrape.healthJobName}|${s.scrape.upgradeProbe.jobName}"}` : `probe_success{job="${s.scrape.healthJobName}"}`;
  const closed = (extra = "") => `${s.metrics.disconnectionsTotal}{job="${s.scrape.jobName}"${extra}}`;
  const upgrades = (extra = "") => `${s.metrics.upgradesTotal}{job="${s.scrape.jobName}"${extra}}`;
  // increase, not rate: the same ratio, and a fixed window is what it is for (Grafana's linter
  // wants $__rate_interval in every rate). `> 0`: a window without any event is no data, never 0/0.
  const eventRatio = (bad: string, all: string) => (w: string) => `sum(increase(${bad}[${w}])) / (sum(increase(${all}[${w}])) > 0)`;
  return [
    {
      ...base("availability", o.availability),
      sli: s.scrape.upgradeProbe ? `${s.scrape.healthPath} and upgrade probes that succeed` : `${s.scrape.healthPath} probes that succeed`,
      errorRatio: (w) => `1 - sum(sum_over_time(${probes}[${w}])) / sum(count_over_time(${probes}[${w}]))`,
    },
    {
      ...base("connections", o.connections),
      sli: `closed connections that closed normally (not ${ERROR_REASONS.join(" or ")})`,
      errorRatio: eventRatio(closed(`, reason=~"${ERROR_REASONS.join("|")}"`), closed()),
    },
    ...(s.alerts.layer.exposes.upgrades ? [handshake(s, base("handshake", o.handshake), upgrades)] : []),
  ];
}

/** Upgrades accepted; with `sloRolloutWindow`, refusals within a rollout are not errors (slo/rollouts.ts). */
function handshake(s: Settings, base: Omit<Slo, "sli" | "errorRatio">, upgrades: (extra?: string) => string): Slo {
  const bad = upgrades(`, outcome!="accepted"`);
  const all = (w: string) => `(sum(increase(${upgrades()}[${w}])) > 0)`;
  if (!excludesRollouts(s)) return { ...base, sli: "WebSocket upgrade requests the service accepts", errorRatio: (w) => `sum(increase(${bad}[${w}])) / ${all(w)}` };
  const recorded = eventsOutsideRollouts(s, bad);
  return {
    ...base,
    sli: `WebSocket upgrade requests the service accepts, refusals in the ${s.alerts.objectives.rolloutWindow.text} after a process start or drain excepted`,
    errorRatio: (w) => {
      const { step, perStep } = eventsOutsideRollouts(s, bad, parseDuration(w)?.seconds);
      return `sum_over_time(${perStep}[${w}:${step}]) / ${all(w)}`;
    },
    stepRecording: { record: errorEventsRecord(recorded.step), expr: recorded.perStep, ratio: (w, recorded) => `sum(sum_over_time(${recorded}[${w}])) / ${all(w)}` },
  };
}

/** Every window the tiers read, shortest first, as Prometheus durations. */
export function sloWindows(slo: Slo): string[] {
  const seconds = [...new Set(slo.tiers.flatMap((t) => [t.longSeconds, t.shortSeconds]))].sort((a, b) => a - b);
  return seconds.map(promDuration);
}
