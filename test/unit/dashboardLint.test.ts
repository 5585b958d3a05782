/**
 * The dashboard against Grafana's dashboard linter's 17 rules (test/support/dashboardLinter.ts,
 * strict: warnings count): every committed stack's dashboard, with either alert engine, as
 * deployed (sorted-key JSON), passes, with the exclusions below (as the linter's `.lint` file
 * states them); dashboards with the usual mistakes fail the rule that names them.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { stackNames } from "../../config/stackFile";
import { SLO_PANELS } from "../../dashboards/ids";
import { buildDashboard, PANEL_TITLES } from "../../dashboards/websocket";
import { stableJson } from "../../lib/stableJson";
import { settingsFromStackFile } from "../../render/stackSettings";
import { lintDashboard, type DashboardJson, type LintConfig, type LintExclusionEntry } from "../support/dashboardLinter";

type Panel = { id: number; title: string; type: string; datasource?: unknown; targets?: { expr: string }[]; fieldConfig?: { defaults?: { unit?: string } } };
type Dashboard = DashboardJson & { title: string; panels: Panel[]; templating: { list: { name: string }[] } };

/** The targets that read a probe job (panel title, target index): the health probe's, and the upgrade probe's where it is on. */
const PROBE_TARGETS: [string, number][] = [[PANEL_TITLES.healthProbe, 0], [PANEL_TITLES.healthProbe, 1], [PANEL_TITLES.scrapeUp, 1], [PANEL_TITLES.scrapeDuration, 1]];

/**
 * What the dashboard is excused from, and why; nothing else. The linter wants `job=~"$job"` and
 * `instance=~"$instance"` on every selector, and these two kinds of target must not follow them:
 * - the Service levels row (target-job-rule, target-instance-rule): an objective belongs to the
 *   whole service, so its SLI, budget and burn rates read the SLO's own series (slo/model.ts, the
 *   ones its alerts read), whatever jobs and pods are picked;
 * - the probes' targets (target-instance-rule only; they do follow `$job`): a probe's instance is
 *   what it probes (the health URL; the upgrade probe's host:port, on Kubernetes the Service's),
 *   never a pod, so a pod picked in *Instance* would empty them.
 */
function exclusions(d: Dashboard): LintConfig {
  const entry = (panel: string, targetIdx?: number): LintExclusionEntry => ({ dashboard: d.title, panel, ...(targetIdx !== undefined && { targetIdx: String(targetIdx) }) });
  const slo = d.panels.filter((p) => SLO_PANELS.has(p.id)).map((p) => entry(p.title ?? ""));
  const sloReason = "Service levels: the objective of the whole service, from the SLO's own series, whatever is picked";
  const probeReason = "a probe's instance is what it probes, not a pod: the Instance variable does not apply";
  return {
    exclusions: {
      "target-job-rule": { reason: sloReason, entries: slo },
      "target-instance-rule": { reason: `${sloReason}; ${probeReason}`, entries: [...slo, ...PROBE_TARGETS.map(([panel, i]) => entry(panel, i))] },
    },
  };
}

const lint = (d: Dashboard) => lintDashboard(d, exclusions(d));

function deployed(stack: string, overrides: Record<string, string> = {}): Dashboard {
  return JSON.parse(stableJson(buildDashboard(settingsFromStackFile(stack, overrides)))) as Dashboard;
}

/** The prod dashboard with one change. */
function broken(change: (d: Dashboard) => void): string[] {
  const d = deployed("prod");
  change(d);
  return lint(d);
}

const panel = (d: Dashboard, title: string) => d.panels.find((p) => p.title === title)!;
const rules = (problems: string[]) => [...new Set(problems.map((p) => p.split(":")[0]))].sort();

describe("dashboard-linter rules (strict)", () => {
  for (const stack of stackNames())
    for (const alertEngine of ["grafana", "prometheus"])
      test(`${stack}, alertEngine ${alertEngine}: no problem`, () => {
        const kubernetes = settingsFromStackFile(stack).platform === "kubernetes";
        const overrides = { alertEngine, ...(alertEngine === "prometheus" && kubernetes ? { operationalTimezone: "UTC", smtpHost: "smtp.example.com:587" } : {}) };
        assert.deepEqual(lint(deployed(stack, overrides)), []);
      });

  test("the exclusions excuse exactly what fails without them: the Service levels row, and the probes' targets from $instance", () => {
    const d = deployed("prod", { upgradeProbe: "true" });
    const failing = [...new Set(lintDashboard(d).map((p) => /^([a-z-]+): panel '(.+)', target idx '(\d+)'/.exec(p)!.slice(1, 4).join(" | ")))].sort();
    const excused = Object.entries(exclusions(d).exclusions)
      .flatMap(([rule, x]) => x.entries!.flatMap((e) => d.panels.find((p) => p.title === e.panel)!.targets!.map((_, i) => i).filter((i) => e.targetIdx === undefined || String(i) === e.targetIdx).map((i) => `${rule} | ${e.panel} | ${i}`)))
      .sort();
    assert.deepEqual(failing, excused);
    assert.equal(d.panels.filter((p) => SLO_PANELS.has(p.id)).length, 6, "three panels per SLO");
  });

  test("fails, also on an excused panel: every other rule, and $job on the probe's targets", () => {
    const burn = (d: Dashboard) => d.panels.find((p) => p.title === "availability: burn rate")!;
    assert.deepEqual(rules(broken((d) => (burn(d).targets![0].expr = 'sum(rate(probe_success{job="websocket-health"}[5m]))'))), ["target-rate-interval-rule"]);
    assert.deepEqual(rules(broken((d) => (burn(d).targets![0].expr = 'sum(websocket_disconnections_total{job="websocket"})'))), ["target-counter-agg-rule"]);
    assert.deepEqual(rules(broken((d) => (panel(d, PANEL_TITLES.healthProbe).targets![0].expr = 'probe_success{job="websocket-health"}'))), ["target-job-rule"]);
  });

  test("fails: a hard-coded datasource uid on a panel, or no datasource variable", () => {
    assert.deepEqual(rules(broken((d) => (panel(d, "WebSocket Connections Over Time").datasource = { type: "prometheus", uid: "prometheus" }))), ["panel-datasource-rule"]);
    const withoutVariable = broken((d) => (d.templating.list = d.templating.list.filter((v) => v.name !== "datasource")));
    assert.ok(rules(withoutVariable).includes("template-datasource-rule"), withoutVariable.join("\n"));
  });

  test("fails: a counter without rate", () => {
    const problems = broken((d) => (panel(d, "Connects and disconnects per second").targets![0].expr = 'sum(websocket_connections_total{job=~"$job", instance=~"$instance"})'));
    assert.deepEqual(rules(problems), ["target-counter-agg-rule"]);
  });

  test("fails: a fixed rate window, a selector without $job or $instance, a panel without unit", () => {
    assert.deepEqual(rules(broken((d) => (panel(d, "Messages per second").targets![0].expr = 'sum by (direction) (rate(websocket_messages_total{job=~"$job", instance=~"$instance"}[5m]))'))), ["target-rate-interval-rule"]);
    assert.deepEqual(rules(broken((d) => (panel(d, "Scrape duration").targets![0].expr = 'scrape_duration_seconds{job="websocket"}'))), ["target-instance-rule", "target-job-rule"]);
    // The stack's job pinned before $job: an older linter reads the first job matcher only.
    assert.deepEqual(rules(broken((d) => (panel(d, "Scrape duration").targets![0].expr = 'scrape_duration_seconds{job="websocket", job=~"$job", instance=~"$instance"}'))), ["target-job-rule"]);
    assert.deepEqual(rules(broken((d) => delete panel(d, "Active WebSocket Connections").fieldConfig!.defaults!.unit)), ["panel-units-rule"]);
  });

  test("fails: an editable dashboard, an instance variable that matches nothing for All", () => {
    assert.deepEqual(rules(broken((d) => (d.editable = true))), ["uneditable-dashboard"]);
    assert.deepEqual(rules(broken((d) => ((d.templating.list.find((v) => v.name === "instance") as { allValue: string }).allValue = ".*"))), ["template-instance-rule"]);
  });
});
