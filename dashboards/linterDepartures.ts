/**
 * Where the dashboard deliberately departs from a rule of Grafana's dashboard linter
 * (grafana/dashboard-linter, `lint --strict`), and why. `npm run render` writes them as the
 * linter's own exclusions, `grafana/.lint` beside the dashboards, where the linter reads them: a
 * reviewer reads the design where the linter does, and `dashboard-linter lint --strict
 * out/<stack>/grafana/dashboard.json` gives the suite's verdict (test/unit/dashboardLint.test.ts).
 */
import type { Settings } from "../config/settings";
import { slos } from "../slo/model";
import { PANEL_IDS, SLO_PANEL_IDS } from "./ids";
import { buildDashboard } from "./websocket";

/** The linter's rules that a panel here departs from: both ask for `job=~"$job"` and `instance=~"$instance"` on every selector. */
export type DepartedRule = "target-job-rule" | "target-instance-rule";

export interface Departure {
  rule: DepartedRule;
  /** The panel, by its id (dashboards/ids.ts): titles differ by SLO and period. */
  panel: number;
  /** The panel's targets that depart, by refId; all of them when unset. */
  refIds?: string[];
  reason: string;
}

const OBJECTIVE =
  "the whole service's objective, from the SLO's own series (what its alerts read): it must read the same whatever jobs " +
  "and pods are picked, and a $job or $instance matcher would make it the objective of the pick";
const PROBE = "a probe's instance is what it probes (the health URL, the upgrade probe's host:port), never a pod: an $instance matcher would empty it whenever a pod is picked";

/** Every departure of the dashboard of `s`; the linter must find nothing else. */
export function linterDepartures(s: Settings): Departure[] {
  const objectivePanels = slos(s).flatMap((slo) => Object.values(SLO_PANEL_IDS[slo.name]));
  return [
    ...objectivePanels.flatMap((panel) => (["target-job-rule", "target-instance-rule"] as const).map((rule) => ({ rule, panel, reason: OBJECTIVE }))),
    // The probe jobs' targets: B of the two scrape panels (A is the service's pods), each of Health probe's.
    { rule: "target-instance-rule", panel: PANEL_IDS.scrapeUp, refIds: ["B"], reason: PROBE },
    { rule: "target-instance-rule", panel: PANEL_IDS.healthProbe, reason: PROBE },
    { rule: "target-instance-rule", panel: PANEL_IDS.scrapeDuration, refIds: ["B"], reason: PROBE },
  ];
}

/** One excused problem, as the linter matches it: exactly this dashboard title, panel title and target index. */
export interface LinterExclusion {
  dashboard: string;
  panel: string;
  // Go's yaml.v3 reads the linter's TargetIdx field from the key `targetidx` (its json tag `targetIdx`
  // is not read there): an entry written `targetIdx` would excuse every target of the panel.
  targetidx: string;
  reason: string;
}

/** The linter's configuration file for the dashboards of `services` (one `.lint` serves every dashboard in its folder). */
export function linterConfig(services: readonly Settings[]): { exclusions: Record<DepartedRule, { reason: string; entries: LinterExclusion[] }> } {
  const all = services.flatMap(exclusionsOf);
  const of = (rule: DepartedRule) => ({
    reason: "deliberate: each entry says why (dashboards/linterDepartures.ts)",
    entries: all.filter((e) => e.rule === rule).map(({ dashboard, panel, targetidx, reason }) => ({ dashboard, panel, targetidx, reason })),
  });
  return { exclusions: { "target-job-rule": of("target-job-rule"), "target-instance-rule": of("target-instance-rule") } };
}

type BuiltPanel = { id?: number; title?: string; targets?: { refId?: string }[] };

function exclusionsOf(s: Settings): (LinterExclusion & { rule: DepartedRule })[] {
  const d = buildDashboard(s);
  const panels = (d.panels ?? []) as BuiltPanel[];
  return linterDepartures(s).flatMap((departure) => {
    const panel = panels.find((p) => p.id === departure.panel);
    const targets = (panel?.targets ?? []).map((t, i) => ({ refId: t.refId, i })).filter((t) => !departure.refIds || departure.refIds.includes(t.refId ?? ""));
    if (!panel?.title || targets.length === 0) throw new Error(`${departure.rule}: the departure of panel ${departure.panel} (${departure.refIds?.join(", ") ?? "every target"}) names no target of dashboard '${d.title}'`);
    return targets.map((t) => ({ rule: departure.rule, dashboard: d.title ?? "", panel: panel.title!, targetidx: String(t.i), reason: departure.reason }));
  });
}
