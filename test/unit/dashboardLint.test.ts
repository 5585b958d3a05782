/**
 * The dashboard against Grafana's dashboard linter's 17 rules (test/support/dashboardLinter.ts,
 * strict: warnings count): every committed stack's dashboard, with either alert engine, as
 * deployed (sorted-key JSON), passes; dashboards with the usual mistakes fail the rule that
 * names them.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { stackNames } from "../../config/stackFile";
import { buildDashboard } from "../../dashboards/websocket";
import { stableJson } from "../../lib/stableJson";
import { settingsFromStackFile } from "../../render/stackSettings";
import { lintDashboard, type DashboardJson } from "../support/dashboardLinter";

type Panel = { title: string; type: string; datasource?: unknown; targets?: { expr: string }[]; fieldConfig?: { defaults?: { unit?: string } } };
type Dashboard = DashboardJson & { panels: Panel[]; templating: { list: { name: string }[] } };

function deployed(stack: string, overrides: Record<string, string> = {}): Dashboard {
  return JSON.parse(stableJson(buildDashboard(settingsFromStackFile(stack, overrides)))) as Dashboard;
}

/** The prod dashboard with one change. */
function broken(change: (d: Dashboard) => void): string[] {
  const d = deployed("prod");
  change(d);
  return lintDashboard(d);
}

const panel = (d: Dashboard, title: string) => d.panels.find((p) => p.title === title)!;
const rules = (problems: string[]) => [...new Set(problems.map((p) => p.split(":")[0]))].sort();

describe("dashboard-linter rules (strict)", () => {
  for (const stack of stackNames())
    for (const alertEngine of ["grafana", "prometheus"])
      test(`${stack}, alertEngine ${alertEngine}: no problem`, () => {
        const kubernetes = settingsFromStackFile(stack).platform === "kubernetes";
        const overrides = { alertEngine, ...(alertEngine === "prometheus" && kubernetes ? { operationalTimezone: "UTC", smtpHost: "smtp.example.com:587" } : {}) };
        assert.deepEqual(lintDashboard(deployed(stack, overrides)), []);
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
    assert.deepEqual(rules(broken((d) => delete panel(d, "Active WebSocket Connections").fieldConfig!.defaults!.unit)), ["panel-units-rule"]);
  });

  test("fails: an editable dashboard, an instance variable that matches nothing for All", () => {
    assert.deepEqual(rules(broken((d) => (d.editable = true))), ["uneditable-dashboard"]);
    assert.deepEqual(rules(broken((d) => ((d.templating.list.find((v) => v.name === "instance") as { allValue: string }).allValue = ".*"))), ["template-instance-rule"]);
  });
});
