/**
 * One incident, one page. When the service is down, WebSocketServiceDown pages; more critical
 * alerts would page for the same outage: WebSocketNoActiveConnections (an unhealthy service holds
 * no connections) and the availability and handshake objectives' pages (the probes fail with the
 * service, and an instance that refuses the upgrade probe refuses clients too), which also keep
 * firing after recovery until their short windows are clear. All are held back:
 *
 * - WebSocketNoActiveConnections while WebSocketServiceDown fires: once the service is back, a
 *   count that stays at zero is news again (the clients did not return).
 * - The objectives' pages while WebSocketServiceOutage fires: some reason of WebSocketServiceDown
 *   at every evaluation over its pending period (so, like it, not for a blip), kept firing
 *   (keep_firing_for) for as long as the page's short windows still hold the outage's failures.
 *   It pages no one, and goes pending only when an outage has already lasted serviceDownFor.
 *
 * With alertEngine `prometheus` Alertmanager inhibits them (the rules, and what they record, stay
 * as they are); Grafana has no inhibition, so its rules carry the same hold as a condition of
 * their query, on the raw series. A partial failure (probes flapping, never down for
 * serviceDownFor) holds nothing back: the objective's page is the one that sees it.
 */
import type { Settings } from "../config/settings";
import { resourceBaseName } from "../lib/naming";
import { alertQueries } from "../promql/queries";
import { durationOf, promDuration } from "../config/duration";
import { slos } from "../slo/model";
import { ALERT_NAMES, runbookUrl, type AlertDefinition, type PolicyRoute } from "./vocabulary";

type Matcher = PolicyRoute["matchers"][number];

export interface InhibitRuleModel {
  source: Matcher[];
  target: Matcher[];
  /** Only alerts of the same service and environment. */
  equal: string[];
}

const is = (label: string, value: string): Matcher => ({ label, match: "=", value });

/** The objectives whose page an outage explains: their SLIs fail with the service (the connections objective's closes do not). */
const HELD_PAGES = new Set(["availability", "handshake"]);

function heldSlos(s: Settings) {
  return slos(s).filter((slo) => HELD_PAGES.has(slo.name));
}

/** How long a held page can still fire after the service is back: its longest page short window, plus the evaluations that see it clear. */
function aftermathSeconds(s: Settings): number {
  const tiers = heldSlos(s).flatMap((slo) => slo.tiers);
  const shortest = Math.max(...tiers.filter((t) => t.severity === "critical").map((t) => t.shortSeconds));
  return shortest + 2 * s.alerts.evaluationInterval.seconds + s.scrape.interval.seconds;
}

/**
 * 1 where some reason of WebSocketServiceDown held at every evaluation over its pending period
 * (at least one evaluation), as for a firing WebSocketServiceDown; else 0. One series for the
 * service: `max` of the reasons is always there (up or its absence).
 */
function outageHeld(s: Settings): string {
  const step = s.alerts.evaluationInterval;
  const pending = promDuration(Math.max(s.alerts.serviceDownFor.seconds, step.seconds));
  return `min_over_time((max(${alertQueries(s).serviceDown}))[${pending}:${step.text}])`;
}

/**
 * The Prometheus engine's inhibitor of each held page: fires with WebSocketServiceDown, and for the
 * aftermath after it. One in the rule group of each page it holds (`slo`): sent at the same
 * evaluations as the page (prometheusResendDelay), it ends with it in Alertmanager when Prometheus
 * goes silent; one of another group, evaluated earlier, would end first and release the page.
 */
export function outageDefinitions(s: Settings): AlertDefinition[] {
  return heldSlos(s).map((slo) => ({
    name: ALERT_NAMES.outage,
    severity: "none",
    engine: "prometheus",
    slo: slo.name,
    query: outageHeld(s),
    op: ">",
    threshold: 0,
    // The query holds the pending period already; one evaluation more, as every rule has one.
    for: s.alerts.evaluationInterval,
    keepFiringFor: durationOf(aftermathSeconds(s)),
    labels: { environment: s.environment, severity: "none", service: s.service.name, slo: slo.name },
    summary: `Outage of ${s.service.name} in ${s.environment}, or its aftermath`,
    description: () =>
      `Fires with ${ALERT_NAMES.serviceDown} and for ${promDuration(aftermathSeconds(s))} after it, and pages no one: while it fires, ` +
      `Alertmanager holds back the ${slo.alertName} page, which the same outage would send again.`,
    runbookUrl: runbookUrl(s, ALERT_NAMES.outage),
    noDataState: "OK",
    execErrState: "Error",
  }));
}

/**
 * Each hold, once: which alert (and severity) is held back, by which alert on Alertmanager, and by
 * which condition of its query on Grafana (true while the source would fire).
 */
function holds(s: Settings): { target: string; severity?: string; source: string; grafanaCondition: string }[] {
  const aftermath = promDuration(aftermathSeconds(s));
  const afterOutage = `max_over_time((${outageHeld(s)})[${aftermath}:${s.alerts.evaluationInterval.text}]) == 1`;
  return [
    { target: ALERT_NAMES.noActiveConnections, source: ALERT_NAMES.serviceDown, grafanaCondition: `${outageHeld(s)} == 1` },
    ...heldPages(s).map((target) => ({ target, severity: "critical", source: ALERT_NAMES.outage, grafanaCondition: afterOutage })),
  ];
}

/** The pages of the service's objectives that an outage explains (the handshake one where it exists). */
function heldPages(s: Settings): string[] {
  return heldSlos(s).map((slo) => slo.alertName);
}

/** Alertmanager's inhibitions (alertEngine prometheus): the source silences the target of the same service and environment. */
export function inhibitRules(s: Settings): InhibitRuleModel[] {
  const env = is("environment", s.environment);
  return holds(s).map((h) => ({
    source: [env, is("alertname", h.source)],
    target: [env, is("alertname", h.target), ...(h.severity ? [is("severity", h.severity)] : [])],
    equal: ["service", "environment"],
  }));
}

/** The inhibitor's route: first, to a receiver that tells no one (alertmanager.yml, AlertmanagerConfig). */
export function silentRoute(s: Settings): PolicyRoute {
  return { contactPoint: `${resourceBaseName(s)}-silent`, matchers: [is("environment", s.environment), is("alertname", ALERT_NAMES.outage)], continue: false };
}

/** The same holds as conditions of Grafana's queries: an alert that the outage explains yields no series while it is held. */
export function grafanaHold(s: Settings, alert: AlertDefinition): string | undefined {
  return holds(s).find((h) => h.target === alert.name && (h.severity ?? alert.severity) === alert.severity)?.grafanaCondition;
}
