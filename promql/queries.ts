/**
 * Every PromQL expression of the stack, built in one place from the configured metric and job
 * names, so the dashboard, the Grafana rules, the Prometheus rules and the end-to-end tests all
 * query exactly the same thing.
 */
import type { Duration, Settings } from "../config/settings";

/** Label matchers of the metrics job. */
function matchers(s: Settings): string {
  return `{job="${s.scrape.jobName}"}`;
}

/** The one sum of open connections, for the dashboard (its `selector`) and the alerts; `offset` looks back. */
function activeConnectionsSum(s: Settings, selector = matchers(s), offset?: Duration): string {
  return `sum(${s.metrics.activeConnections}${selector}${offset ? ` offset ${offset.text}` : ""})`;
}

export interface Queries {
  /** Open connections summed over all (selected) instances. */
  activeConnections: string;
  activeByInstance: string;
  connectRate: string;
  disconnectRate: string;
  disconnectsByReason: string;
  messagesByDirection: string;
  durationP50: string;
  durationP95: string;
  scrapeUp: string;
  /** The health-probe job's own scrape (of the blackbox exporter), apart: its instance is the probed URL, not a pod. */
  probeScrapeUp: string;
  healthProbe: string;
  /** The upgrade probe's success per instance (`upgradeProbe`); unset when it is off. */
  upgradeProbe?: string;
  scrapeDuration: string;
  probeScrapeDuration: string;
  /** Saturation: CPU seconds per second, resident memory, file descriptors in use of the limit, event-loop lag. */
  cpu: string;
  residentMemory: string;
  fdUsage: string;
  eventLoopLag: string;
  /** Seconds since each process started: back to zero at a restart in place, a new line for a replacement. */
  uptime: string;
  /** The WebSocket layer: share of upgrades accepted, handshake and message latency, closes by code, connections of the limit per instance, the busiest instance against the average. */
  upgradesAccepted: string;
  /** Upgrade requests per second by outcome and HTTP status: a rollout's reconnect storm and what of it was refused. */
  upgradesByOutcome: string;
  handshakeP50: string;
  handshakeP99: string;
  closesByCode: string;
  messageLatencyP99: string;
  limitShare: string;
  imbalanceFactor: string;
}

/** The service's probe jobs: the health probe's and (`upgradeProbe`) the upgrade probe's. */
export function probeJobNames(s: Settings): string[] {
  return [s.scrape.healthJobName, ...(s.scrape.upgradeProbe ? [s.scrape.upgradeProbe.jobName] : [])];
}

/** The service's jobs: the metrics job and its probe jobs. */
export function stackJobs(s: Settings): string[] {
  return [s.scrape.jobName, ...probeJobNames(s)];
}

/** The service's jobs as a regex. */
export function stackJobsRegex(s: Settings): string {
  return stackJobs(s).join("|");
}

/** The selector of the upgrade probe's job; unset when it is off. */
function upgradeSelector(s: Settings, dashboard: boolean): string | undefined {
  const job = s.scrape.upgradeProbe?.jobName;
  return job && `{${dashboard ? 'job=~"$job", ' : ""}job="${job}"}`;
}

/**
 * The dashboard's selectors. Each selects by the `$job` variable first (Grafana's linter wants
 * `job=~"$job"`, and older linters read only the first `job` matcher), then pins the job it reads,
 * so that "All" (`.+`) never reaches another team's jobs on a shared Prometheus. The pods' series
 * also follow `$instance`; the probe's do not: its instance is the probed URL, never a pod.
 */
export function dashboardSelectors(s: Settings): { service: string; probe: string } {
  return {
    service: `{job=~"$job", job="${s.scrape.jobName}", instance=~"$instance"}`,
    probe: `{job=~"$job", job="${s.scrape.healthJobName}"}`,
  };
}

/**
 * @param dashboard select by the dashboard's `$job` and `$instance` variables within the stack's
 *   jobs (dashboardSelectors); otherwise by the configured job names, as the rules and tests do
 * @param rateWindow range of rate() (`$__rate_interval` on the dashboard)
 */
export function queries(s: Settings, dashboard = false, rateWindow = "$__rate_interval"): Queries {
  const m = s.metrics;
  const sel = dashboard ? dashboardSelectors(s).service : matchers(s);
  const health = dashboard ? dashboardSelectors(s).probe : `{job="${s.scrape.healthJobName}"}`;
  const upgrade = upgradeSelector(s, dashboard);
  const latency = (histogram: string, q: number) => `histogram_quantile(${q}, sum by (le) (rate(${histogram}_bucket${sel}[${rateWindow}])))`;
  const quantile = (q: number) => latency(m.connectionDuration, q);
  const byInstance = (expr: string) => `sum by (instance) (${expr})`;
  return {
    activeConnections: activeConnectionsSum(s, sel),
    activeByInstance: byInstance(`${m.activeConnections}${sel}`),
    connectRate: `sum(rate(${m.connectionsTotal}${sel}[${rateWindow}]))`,
    disconnectRate: `sum(rate(${m.disconnectionsTotal}${sel}[${rateWindow}]))`,
    disconnectsByReason: `sum by (reason) (rate(${m.disconnectionsTotal}${sel}[${rateWindow}]))`,
    messagesByDirection: `sum by (direction) (rate(${m.messagesTotal}${sel}[${rateWindow}]))`,
    durationP50: quantile(0.5),
    durationP95: quantile(0.95),
    scrapeUp: `up${sel}`,
    probeScrapeUp: `up${health}`,
    healthProbe: `probe_success${health}`,
    upgradeProbe: upgrade && `probe_success${upgrade}`,
    scrapeDuration: `scrape_duration_seconds${sel}`,
    probeScrapeDuration: `scrape_duration_seconds${health}`,
    cpu: byInstance(`rate(${m.processCpu}${sel}[${rateWindow}])`),
    residentMemory: byInstance(`${m.residentMemory}${sel}`),
    fdUsage: `${byInstance(`${m.openFds}${sel}`)} / ${byInstance(`${m.maxFds}${sel}`)}`,
    eventLoopLag: `max by (instance) (${m.eventLoopLag}${sel})`,
    uptime: `time() - max by (instance) (process_start_time_seconds${sel})`,
    // The WebSocket layer (optional metrics: no data where the service does not expose them).
    upgradesAccepted: `sum(rate(${m.upgradesTotal}${withMatcher(sel, 'outcome="accepted"')}[${rateWindow}])) / sum(rate(${m.upgradesTotal}${sel}[${rateWindow}]))`,
    upgradesByOutcome: `sum by (outcome, status) (rate(${m.upgradesTotal}${sel}[${rateWindow}]))`,
    handshakeP50: latency(m.handshakeDuration, 0.5),
    handshakeP99: latency(m.handshakeDuration, 0.99),
    closesByCode: `sum by (code) (rate(${m.closesTotal}${sel}[${rateWindow}]))`,
    messageLatencyP99: latency(m.messageDuration, 0.99),
    // As WebSocketConnectionsNearLimit's: no line for an instance whose limit is 0 (unlimited).
    limitShare: `sum by (instance) (${m.activeConnections}${sel}) / on (instance) (max by (instance) (${m.connectionLimit}${sel}) > 0)`,
    imbalanceFactor: `max(sum by (instance) (${m.activeConnections}${sel})) / avg(sum by (instance) (${m.activeConnections}${sel}))`,
  };
}

/** More restarts than this within the window count as a crash loop (WebSocketServiceDown). */
export const CRASH_LOOP = { restarts: 2, window: "15m" } as const;

/** Distinct `reason` labels keep the terms of an `or` from hiding each other. */
function reasonTerm(reason: string, expr: string): string {
  return `label_replace(${expr}, "reason", "${reason}", "", "")`;
}

/** The value an absent() term gives `instance`, which it cannot carry: every term of serviceDown has one for the description. */
export const NO_INSTANCE = "none";

/** A job without any series: absent() keeps only `job`, so it says "none" for the instance. */
function absentTerm(reason: string, selector: string): string {
  return reasonTerm(reason, `label_replace(absent(${selector}), "instance", "${NO_INSTANCE}", "", "")`);
}

/** The value each alert compares with its threshold; see alerts/definitions.ts. */
export function alertQueries(s: Settings) {
  const m = s.metrics;
  const sel = matchers(s);
  const health = `{job="${s.scrape.healthJobName}"}`;
  const upgrade = upgradeSelector(s, false);
  const activeConnections = activeConnectionsSum(s);
  const before = activeConnectionsSum(s, matchers(s), s.alerts.unstableWindow);
  return {
    activeConnections,
    /** |now - window ago| relative to the earlier count (at least the minimum baseline). */
    changeRatio: `abs(${activeConnections} - ${before}) / clamp_min(${before}, ${s.alerts.unstableMinBaseline})`,
    /**
     * 1 for every way the service can be invisible or broken, 0 for each healthy target, each
     * with a `reason` label: scrape failing, health probe failing, upgrade probe failing (where it
     * is on: /ws refusing the upgrade while /ws/health answers), a job gone, the connection
     * gauge missing while the target is scraped (renamed or misspelt metric), or the process
     * restarting again and again (a crash loop that each single failed scrape would hide). It is
     * what keeps "no data" from ever meaning "all good" for the other alerts.
     */
    serviceDown: [
      reasonTerm("scrape_failed", `1 - up${sel}`),
      reasonTerm("health_failed", `1 - probe_success${health}`),
      absentTerm("target_missing", `up${sel}`),
      absentTerm("probe_missing", `probe_success${health}`),
      ...(upgrade ? [reasonTerm("upgrade_failed", `1 - probe_success${upgrade}`), absentTerm("probe_missing", `probe_success${upgrade}`)] : []),
      reasonTerm("metric_missing", `(up${sel} > bool 0) unless on (instance) ${m.activeConnections}${sel}`),
      reasonTerm("crash_loop", `changes(process_start_time_seconds${sel}[${CRASH_LOOP.window}]) > bool ${CRASH_LOOP.restarts}`),
    ].join(" or "),
  };
}

/** A selector `{…}` with one matcher more. */
function withMatcher(selector: string, matcher: string): string {
  return `${selector.slice(0, -1)}, ${matcher}}`;
}
