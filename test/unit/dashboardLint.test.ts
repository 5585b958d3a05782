/**
 * Every rendered dashboard under Grafana's own dashboard-linter, `lint --strict` (the real binary,
 * test/support/fieldTools.ts), with the `.lint` that render writes beside it: the dashboard's
 * deliberate departures (dashboards/linterDepartures.ts), nothing else. The departures excuse exactly
 * what fails without them; a dashboard with a usual mistake fails the rule that names it. Beside it
 * the one convention the linter does not check: counters only through rate (test/support/counterCheck.ts).
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, test } from "node:test";
import { linterConfig } from "../../dashboards/linterDepartures";
import { PANEL_TITLES } from "../../dashboards/websocket";
import { RENDERED } from "../../render/renderedFiles";
import { servicesFromStackFile } from "../../render/stackSettings";
import { counterProblems, dashboardCounterProblems } from "../support/counterCheck";
import { lintDashboardFile, linterRules, type LinterProblem } from "../support/dashboardLinterCli";
import { renderForm, renderedStackForms, type StackForm } from "../support/renderedStacks";

const root = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-dashboard-lint-"));
after(() => rmSync(root, { recursive: true, force: true }));

type Target = { expr: string };
type Panel = { title: string; datasource?: unknown; targets?: Target[]; description?: string; fieldConfig?: { defaults?: { unit?: string } } };
type Variable = { name: string; allValue?: string; refresh?: number };
type Dashboard = { title: string; editable?: boolean; panels: Panel[]; templating: { list: Variable[] } };

const grafanaDir = (out: string) => path.join(out, path.dirname(RENDERED.dashboard));
const dashboardFiles = (out: string) => readdirSync(grafanaDir(out)).filter((f) => /^dashboard.*\.json$/.test(f)).map((f) => path.join(grafanaDir(out), f));
const show = (problems: LinterProblem[]) => problems.map((p) => `${p.rule}: ${p.message}`).join("\n");
const rules = (problems: LinterProblem[]) => [...new Set(problems.map((p) => p.rule))].sort();

const prod: StackForm = renderedStackForms().find((f) => f.name === "prod, alertEngine grafana")!;
const prodOut = renderForm(prod, root);
const panel = (d: Dashboard, title: string) => d.panels.find((p) => p.title === title)!;

/** The rules the prod dashboard fails with one change, the `.lint` render wrote beside it. */
async function broken(change: (d: Dashboard) => void): Promise<string[]> {
  const d = JSON.parse(readFileSync(path.join(prodOut, RENDERED.dashboard), "utf8")) as Dashboard;
  change(d);
  const dir = mkdtempSync(path.join(root, "broken-"));
  writeFileSync(path.join(dir, "dashboard.json"), JSON.stringify(d));
  copyFileSync(path.join(prodOut, RENDERED.linterConfig), path.join(dir, ".lint"));
  const run = await lintDashboardFile(path.join(dir, "dashboard.json"));
  assert.equal(run.code, run.problems.length ? 1 : 0, run.summary);
  return rules(run.problems);
}

describe("dashboard-linter lint --strict on every rendered dashboard", { concurrency: true }, () => {
  test("the linter at hand has the 17 rules CI pins (dashboard-linter 1be3836)", async () => {
    const names = [...(await linterRules()).values()].sort();
    assert.equal(names.length, 17, names.join(", "));
    for (const rule of ["target-job-rule", "target-instance-rule", "target-counter-agg-rule", "target-rate-interval-rule", "uneditable-dashboard"]) assert.ok(names.includes(rule), rule);
  });

  for (const form of renderedStackForms())
    test(`${form.name}: no error, no warning; no counter outside rate`, async () => {
      const out = form === prod ? prodOut : renderForm(form, root);
      const files = dashboardFiles(out);
      assert.equal(files.length, servicesFromStackFile(form.stack, form.overrides, form.dir).length, "a dashboard per service");
      for (const file of files) {
        const run = await lintDashboardFile(file);
        assert.deepEqual([run.code, show(run.problems)], [0, ""], run.summary);
        assert.deepEqual(dashboardCounterProblems(JSON.parse(readFileSync(file, "utf8")) as Dashboard), [], file);
      }
    });

  for (const [form, overrides] of [[prod, { upgradeProbe: "true" }], [renderedStackForms().find((f) => f.name === "fixture services")!, {}]] as const)
    test(`${form.name} ${JSON.stringify(overrides)}: the .lint excuses exactly what fails without it, per dashboard, panel and target`, async () => {
      const out = renderForm(form, root, overrides);
      const none = path.join(out, "no-exclusions.yml");
      writeFileSync(none, "exclusions: {}\n");
      const failing = (await Promise.all(dashboardFiles(out).map((file) => lintDashboardFile(file, none)))).flatMap((run) => run.problems);
      const excused = Object.entries(linterConfig(servicesFromStackFile(form.stack, { ...form.overrides, ...overrides }, form.dir)).exclusions).flatMap(([rule, x]) => x.entries.map((e) => `${rule} | ${e.dashboard} | ${e.panel} | ${e.targetidx}`));
      assert.deepEqual(failing.map((p) => `${p.rule} | ${p.dashboard} | ${p.panel} | ${p.targetIdx}`).sort(), excused.sort());
      assert.ok(failing.every((p) => p.severity === "error"));
    });

  test("fails, also on an excused panel, every rule not excused there: a fixed rate window, $job on a probe, $instance on the pods' target", async () => {
    assert.deepEqual(await broken((d) => (panel(d, "availability: burn rate").targets![0].expr = 'sum(rate(probe_success{job="websocket-health"}[5m]))')), ["target-rate-interval-rule"]);
    assert.deepEqual(await broken((d) => (panel(d, PANEL_TITLES.healthProbe).targets![0].expr = 'probe_success{job="websocket-health"}')), ["target-job-rule"]);
    // Only the probe's target B is excused from $instance: the pods' target A of the same panel is not.
    assert.deepEqual(await broken((d) => (panel(d, PANEL_TITLES.scrapeUp).targets![0].expr = 'up{job=~"$job", job="websocket"}')), ["target-instance-rule"]);
  });

  test("fails: a hard-coded datasource uid on a panel, no datasource variable", async () => {
    assert.deepEqual(await broken((d) => (panel(d, PANEL_TITLES.connectionsOverTime).datasource = { type: "prometheus", uid: "prometheus" })), ["panel-datasource-rule"]);
    assert.ok((await broken((d) => (d.templating.list = d.templating.list.filter((v) => v.name !== "datasource")))).includes("template-datasource-rule"));
  });

  test("fails: a fixed rate window, a selector without $job and $instance, a panel without unit or description, a query that does not parse", async () => {
    assert.deepEqual(await broken((d) => (panel(d, "Messages per second").targets![0].expr = 'sum by (direction) (rate(websocket_messages_total{job=~"$job", instance=~"$instance"}[5m]))')), ["target-rate-interval-rule"]);
    assert.deepEqual(await broken((d) => (panel(d, PANEL_TITLES.scrapeDuration).targets![0].expr = 'scrape_duration_seconds{job="websocket"}')), ["target-instance-rule", "target-job-rule"]);
    assert.deepEqual(await broken((d) => delete panel(d, PANEL_TITLES.activeConnections).fieldConfig!.defaults!.unit), ["panel-units-rule"]);
    assert.deepEqual(await broken((d) => delete panel(d, "CPU").description), ["panel-title-description-rule"]);
    assert.deepEqual(await broken((d) => (panel(d, "CPU").targets![0].expr = 'sum(rate(process_cpu_seconds_total{job=~"$job", instance=~"$instance"}[$__rate_interval])')), ["target-promql-rule"]);
  });

  test("fails: an editable dashboard, an instance variable whose All matches nothing, a variable not refreshed on time change", async () => {
    assert.deepEqual(await broken((d) => (d.editable = true)), ["uneditable-dashboard"]);
    assert.deepEqual(await broken((d) => (d.templating.list.find((v) => v.name === "instance")!.allValue = ".*")), ["template-instance-rule"]);
    assert.deepEqual(await broken((d) => (d.templating.list.find((v) => v.name === "job")!.refresh = 1)), ["template-on-time-change-reload-rule"]);
  });

  test("a counter summed without rate passes the linter (its counter rule skips selectors with matchers) and fails the suite's own check", async () => {
    const summed = 'sum(websocket_connections_total{job=~"$job", instance=~"$instance"})';
    assert.deepEqual(await broken((d) => (panel(d, "Connects and disconnects per second").targets![0].expr = summed)), []);
    assert.match(counterProblems(summed).join("\n"), /counter websocket_connections_total is read outside rate, irate, increase/);
    assert.deepEqual(counterProblems('sum(increase(websocket_disconnections_total{job="websocket"}[30d])) / sum(rate(x_total[$__rate_interval] offset 1m))'), []);
    assert.equal(counterProblems("sum(rate(x_total[5m])").length, 1, "an expression that does not parse is reported");
  });
});
