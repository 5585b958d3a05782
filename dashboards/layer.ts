/**
 * The dashboard's WebSocket layer row: what a connection count does not show. Upgrades accepted,
 * handshake and message latency, closes by code, each instance's connections against its limit,
 * and how much more the busiest instance holds than the average. Panels of metrics a service does
 * not expose (`exposesUpgrades`, …) say so instead of staying blank.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type { Settings } from "../config/settings";
import type { Queries } from "../promql/queries";
import { LAYER_PANEL_IDS as IDS } from "./ids";
import { series } from "./panels";

/** A threshold drawn on a graph: where the alert on it fires. */
function alertLine(at: number): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: "green" },
    { value: at, color: "red" },
  ]);
}

const dashed = () => new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed);

export function layerPanels(s: Settings, q: Queries): cog.Builder<dashboard.Panel>[] {
  const l = s.alerts.layer;
  const unexposed = (key: string, on: boolean) => (on ? "no data in the range" : `not exposed by this service (${key}: false)`);
  return [
    series(IDS.upgradesAccepted, "Upgrades accepted", `Share of WebSocket upgrade requests accepted. Below ${1 - l.handshakeFailureRatio} for a while, WebSocketHandshakeFailures pages (if exposesUpgrades).`, "percentunit", [q.upgradesAccepted, "accepted"])
      .max(1)
      .noValue(unexposed("exposesUpgrades", l.exposes.upgrades)),
    series(IDS.upgradeRate, "Upgrades per second", "WebSocket upgrade requests per second by outcome and the HTTP status answered. A rollout's reconnect storm is a spike of accepted (101) upgrades, with some refused (503) that succeed on the clients' retry; refusals that go on after it are clients that cannot get back.", "ops", [q.upgradesByOutcome, "{{outcome}} {{status}}"])
      .noValue(unexposed("exposesUpgrades", l.exposes.upgrades)),
    series(IDS.handshakeLatency, "Handshake latency", "From an upgrade request to its accepted connection: median and 99th percentile.", "s", [q.handshakeP50, "p50"], [q.handshakeP99, "p99"])
      .noValue(unexposed("exposesUpgrades", l.exposes.upgrades)),
    series(IDS.closesByCode, "Closes by code", "Closed connections per second by close code: 1000 normal, 1001 going away, 1006 without a close frame, 1011 server error, 1012 service restart, 1013 try again later. 1006 and 1011 are what clients see as drops; 1001 and 1012 from the server are a drain (a rollout).", "ops", [q.closesByCode, "{{code}}"])
      .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
      .noValue(unexposed("exposesCloseCodes", l.exposes.closeCodes)),
    series(IDS.messageLatency, "Message handling latency (p99)", "99th percentile of the time to handle a received message until its answer is written.", "s", [q.messageLatencyP99, "p99"]),
    series(IDS.limitShare, "Connections of the limit", `Each instance's connections as a share of the connections it accepts; above ${l.connectionLimitShare}, WebSocketConnectionsNearLimit warns (if exposesConnectionLimit).`, "percentunit", [q.limitShare, "{{instance}}"])
      .max(1)
      .thresholds(alertLine(l.connectionLimitShare))
      .thresholdsStyle(dashed())
      .noValue(unexposed("exposesConnectionLimit", l.exposes.connectionLimit)),
    series(IDS.imbalance, "Busiest instance against the average", `Connections of the busiest instance divided by the average per instance; above ${l.imbalanceFactor}, WebSocketInstanceImbalance warns. 1 is an even spread.`, "short", [q.imbalanceFactor, "factor"])
      .thresholds(alertLine(l.imbalanceFactor))
      .thresholdsStyle(dashed()),
  ];
}
