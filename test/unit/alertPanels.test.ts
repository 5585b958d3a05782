/**
 * Which panel each Grafana rule links (dashboards/ids.ts `alertPanelId`): the one that shows its
 * signal, so that Grafana marks the rule's state there and its "View panel" leads there; the
 * always-firing heartbeat links none, so that it marks no graph.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { alertDefinitions } from "../../alerts/definitions";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import { grafanaRuleGroups, type GrafanaRule } from "../../alerts/grafana";
import type { Settings } from "../../config/settings";
import { dashboardUid, LAYER_PANEL_IDS, PANEL_IDS, SLO_PANEL_IDS } from "../../dashboards/ids";
import { alertPanelId } from "../../alerts/panels";
import { buildDashboard } from "../../dashboards/websocket";
import { settingsFromStackFile } from "../../render/stackSettings";

type Panel = { id: number; type: string; title: string; targets?: { expr: string }[] };

/** prod with Grafana's engine and the heartbeat on: every kind of rule. */
// Every optional signal on: every kind of rule links a panel.
const prod = settingsFromStackFile("prod", { exposesUpgrades: "true", exposesCloseCodes: "true", exposesConnectionLimit: "true" }, undefined, { heartbeatUrl: "https://hc-ping.example.com/heartbeat" });
const rules = (s: Settings) => grafanaRuleGroups(s).flatMap((g) => g.rules);
const linked = (s: Settings, r: GrafanaRule): Panel | undefined => (buildDashboard(s).panels as Panel[]).find((p) => String(p.id) === r.annotations.__panelId__);

describe("the panel each Grafana rule links", () => {
  test("the stack has every kind of rule: connections, service down, the WebSocket layer, both SLOs' pages and tickets, the heartbeat", () => {
    assert.equal(prod.alerts.engine, "grafana");
    // All but the outage inhibitor, which only Prometheus' engine has (alerts/incident.ts).
    assert.deepEqual([...new Set(rules(prod).map((r) => r.name))].sort(), Object.values(ALERT_NAMES).filter((n) => n !== ALERT_NAMES.outage).sort());
  });

  test("the heartbeat links no dashboard and no panel: it marks no graph", () => {
    const heartbeat = rules(prod).filter((r) => r.name === ALERT_NAMES.heartbeat);
    assert.equal(heartbeat.length, 1);
    assert.equal(heartbeat[0].annotations.__dashboardUid__, undefined);
    assert.equal(heartbeat[0].annotations.__panelId__, undefined);
  });

  test("every other rule links this stack's dashboard and a panel of it that shows its signal", () => {
    const m = prod.metrics;
    const layer = new Map<string, [number, string]>([
      [ALERT_NAMES.handshakeFailures, [LAYER_PANEL_IDS.upgradesAccepted, m.upgradesTotal]],
      [ALERT_NAMES.nearLimit, [LAYER_PANEL_IDS.limitShare, m.connectionLimit]],
      [ALERT_NAMES.imbalance, [LAYER_PANEL_IDS.imbalance, m.activeConnections]],
      [ALERT_NAMES.abnormalCloses, [LAYER_PANEL_IDS.closesByCode, m.closesTotal]],
    ]);
    const definitions = new Map(alertDefinitions(prod).map((a) => [`${a.name} ${a.severity}`, a]));
    for (const r of rules(prod).filter((x) => x.name !== ALERT_NAMES.heartbeat)) {
      const a = definitions.get(`${r.name} ${r.labels.severity}`)!;
      const panel = linked(prod, r);
      assert.equal(r.annotations.__dashboardUid__, dashboardUid(prod), r.name);
      assert.ok(panel, `${r.name}: panel ${r.annotations.__panelId__} is not on the dashboard`);
      const exprs = panel.targets!.map((t) => t.expr).join("\n");
      if (a.slo) {
        // Its SLO's burn rates, as the page reads them (the ticket's windows are longer).
        assert.equal(panel.id, SLO_PANEL_IDS[a.slo].burnRates, r.name);
        assert.equal(panel.title, `${a.slo}: burn rate`);
        const page = alertDefinitions(prod).find((x) => x.slo === a.slo && x.severity === "critical")!;
        for (const t of panel.targets!) assert.ok(page.query.includes(t.expr), `${r.name}: the page's query does not read ${t.expr}`);
      } else if (r.name === ALERT_NAMES.serviceDown) {
        assert.equal(panel.id, PANEL_IDS.scrapeUp);
        assert.match(exprs, /^up\{/m);
      } else if (r.name === ALERT_NAMES.unexpectedRestart) {
        assert.equal(panel.id, PANEL_IDS.uptime);
        assert.match(exprs, /process_start_time_seconds/);
      } else if (layer.has(r.name)) {
        // The WebSocket layer's row: each alert on the panel of its signal.
        const [id, metric] = layer.get(r.name)!;
        assert.equal(panel.id, id, r.name);
        assert.ok(exprs.includes(metric), r.name);
      } else {
        assert.equal(panel.id, PANEL_IDS.connectionsOverTime, r.name);
        assert.ok(exprs.includes(prod.metrics.activeConnections), r.name);
      }
    }
  });

  test("an alert without an entry in the mapping is refused, not linked to some panel", () => {
    assert.throws(() => alertPanelId("WebSocketSomethingNew"), /WebSocketSomethingNew: no entry in ALERT_PANELS/);
  });
});
