/**
 * End to end on real processes: real WebSocket clients -> reference service -> Prometheus
 * (rendered scrape config and rules) and blackbox exporter. At each load step the dashboard's
 * own panel queries must show the true count within about one scrape interval, and each alert's
 * own query must be true exactly when the alert should be. Stack: test/fixtures/Pulumi.e2e.yaml.
 */
import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { after, before, describe, test, type TestContext } from "node:test";
import { alertDefinitions } from "../../alerts/definitions";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import type { Settings } from "../../config/settings";
import { PANEL_TITLES } from "../../dashboards/websocket";
import { queries } from "../../promql/queries";
import { CountTimeline } from "../support/countTimeline";
import { pintRendered } from "../support/pint";
import { instanceVariable, panelQueries, panelQuery } from "../support/dashboardQueries";
import { LoadGenerator } from "../../harness/load";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { deadlineMs, fetchWithin, stretched } from "../../harness/bounds";
import { pollUntil } from "../../harness/poll";

/** Stands in for Grafana's $__rate_interval: long enough to still hold the earlier steps' events. */
const RATE_WINDOW = "1m";
/** Beyond one scrape interval: the time from a finished scrape to a query that sees it. */
const INGEST_ALLOWANCE_MS = 1500;

type AlertTruths = Record<string, boolean>;

describe("monitoring of the reference service on real processes", { timeout: 180_000 }, () => {
  let stack: MonitoringStack;
  let settings: Settings;
  let load: LoadGenerator;
  let timeline: CountTimeline;
  let deadline: number;

  before(async () => {
    const startedAt = Date.now();
    stack = await startMonitoringStack();
    settings = stack.settings;
    load = new LoadGenerator(stack.service.wsUrl);
    const scrapeMs = settings.scrape.interval.seconds * 1000;
    deadline = deadlineMs(scrapeMs + INGEST_ALLOWANCE_MS);
    // A scrape may come late on a busy machine: a sample is taken as up to two seconds older than the interval.
    timeline = new CountTimeline(scrapeMs + stretched(2000));
    timeline.record(startedAt, stack.firstScrapeAt, 0);
  });

  after(async () => {
    load?.terminateAll();
    await stack?.stop();
  });

  /** Value of a query that returns one series; undefined when it returns none. */
  async function single(expr: string, time?: number): Promise<number | undefined> {
    const samples = await stack.prometheus.query(expr, time);
    assert.ok(samples.length <= 1, `${expr}: expected at most one series, got ${JSON.stringify(samples)}`);
    return samples[0]?.value;
  }

  /**
   * Polls the count panels (gauge, total, per instance) of the dashboard built from `s` until
   * each shows `count`; returns the evaluation time (Unix seconds) at which they all did.
   */
  async function expectCount(s: Settings, count: number, t: TestContext): Promise<number> {
    const gauge = panelQuery(s, RATE_WINDOW, PANEL_TITLES.activeConnections).expr;
    const total = panelQuery(s, RATE_WINDOW, PANEL_TITLES.connectionsOverTime, "A").expr;
    const byInstance = panelQuery(s, RATE_WINDOW, PANEL_TITLES.connectionsOverTime, "B").expr;
    const { value, elapsedMs } = await pollUntil(
      `count panels showing ${count}`,
      async () => {
        const time = Date.now() / 1000;
        const [g, tot, per] = await Promise.all([gauge, total, byInstance].map((e) => stack.prometheus.query(e, time)));
        return { time, gauge: g.map((x) => x.value), total: tot.map((x) => x.value), perInstance: per.map((x) => [x.labels.instance, x.value]) };
      },
      (v) =>
        v.gauge.length === 1 && v.gauge[0] === count &&
        v.total.length === 1 && v.total[0] === count &&
        JSON.stringify(v.perInstance) === JSON.stringify([[stack.service.address, count]]),
      { timeoutMs: deadline },
    );
    t.diagnostic(`count ${count} visible after ${elapsedMs} ms`);
    return value.time;
  }

  /** Each alert's query and condition as the Grafana rule evaluates them (last value vs threshold). */
  async function alertTruths(s: Settings, time: number): Promise<AlertTruths> {
    const truths: AlertTruths = {};
    for (const a of alertDefinitions(s)) {
      const values = (await stack.prometheus.query(a.query, time)).map((x) => x.value);
      truths[a.name] = values.some((v) => (a.op === ">" ? v > a.threshold : v < a.threshold));
    }
    return truths;
  }

  /** The unstable alert's meaning, from the true counts; undefined where the past sample is uncertain. */
  function expectedUnstable(count: number, time: number): boolean | undefined {
    const a = settings.alerts;
    const before = timeline.at(time * 1000 - a.unstableWindow.seconds * 1000);
    if (before === "uncertain") return undefined;
    if (before === "no data") return false;
    return Math.abs(count - before) / Math.max(before, a.unstableMinBaseline) > a.unstableChangeRatio;
  }

  async function step(count: number, t: TestContext): Promise<void> {
    const from = Date.now();
    await load.setConnections(count);
    const time = await expectCount(settings, count, t);
    timeline.record(from, Date.now(), count);

    const actual = await alertTruths(settings, time);
    const expected: AlertTruths = {
      [ALERT_NAMES.noActiveConnections]: count === 0,
      [ALERT_NAMES.aboveThreshold]: count > settings.alerts.connectionsMax,
    };
    const unstable = expectedUnstable(count, time);
    if (unstable === undefined) t.diagnostic(`${ALERT_NAMES.unstable} not checked: the sample one window ago is uncertain`);
    else expected[ALERT_NAMES.unstable] = unstable;
    for (const [name, truth] of Object.entries(expected)) assert.equal(actual[name], truth, `${name} at ${count} connections`);
    await expectServiceUp(`at ${count} connections`);
  }

  /**
   * WebSocketServiceDown's query holds for no reason while the service is up. Polled,
   * not read at one instant: on a busy machine one scrape may run over its 1s timeout (up 0 for that
   * sample, which `serviceDownFor` exists to ride out); a query that is wrong stays true to the deadline.
   */
  async function expectServiceUp(when: string): Promise<void> {
    const query = alertDefinitions(settings).find((a) => a.name === ALERT_NAMES.serviceDown)!.query;
    await pollUntil(
      `${ALERT_NAMES.serviceDown}'s query to hold for no reason ${when} (last seen: the reasons it held for)`,
      async () => (await stack.prometheus.query(query)).filter((x) => x.value > 0).map((x) => x.labels.reason),
      (reasons) => reasons.length === 0,
      { timeoutMs: deadline },
    );
  }

  async function expectQueryValue(expr: string, value: number, what: string): Promise<void> {
    await pollUntil(what, () => single(expr), (v) => v === value, { timeoutMs: deadline });
  }

  test("idle: every count panel shows 0; only WebSocketNoActiveConnections holds", (t) => step(0, t));

  test("/ws/health unhealthy: probe_success 0 and WebSocketServiceDown; healthy again: both recover", async () => {
    const probe = queries(settings).healthProbe;
    await stack.service.setHealthy(false);
    await expectQueryValue(probe, 0, "probe_success 0 after the health check turned unhealthy");
    assert.equal((await alertTruths(settings, Date.now() / 1000))[ALERT_NAMES.serviceDown], true);
    await stack.service.setHealthy(true);
    await expectQueryValue(probe, 1, "probe_success 1 after the health check recovered");
    await expectServiceUp("after the health check recovered");
  });

  test("a misspelt metric name leaves the count panels without data (the checks can fail), and WebSocketServiceDown says so", async (t) => {
    const misspelt = stack.settingsWith({ metricActiveConnections: "websocket_active_conections" });
    await assert.rejects(expectCount(misspelt, 0, t), /count panels showing 0: not within/);
    assert.equal((await alertTruths(misspelt, Date.now() / 1000))[ALERT_NAMES.serviceDown], true);
  });

  // No waiting a whole unstable window here: the unstable alert's firing on a real change is
  // promtool's to prove (test/rules/unstable.test.yml); here its query must hold only as the counts say.
  test("250 connections: above the limit of 200", (t) => step(250, t));

  test("40 connections", (t) => step(40, t));

  test("0 connections again", (t) => step(0, t));

  test("every panel query returns data; reasons, directions and the instance variable are labelled", async () => {
    const now = Date.now() / 1000;
    for (const q of panelQueries(settings, RATE_WINDOW)) {
      const samples = await stack.prometheus.query(q.expr, now);
      assert.ok(samples.length > 0, `panel '${q.panel}' query ${q.refId} returns no data: ${q.expr}`);
    }
    const q = queries(settings, false, RATE_WINDOW);
    const labels = async (expr: string, label: string) => (await stack.prometheus.query(expr, now)).map((x) => x.labels[label]).sort();
    assert.deepEqual(await labels(q.messagesByDirection, "direction"), ["in", "out"]);
    assert.ok((await labels(q.disconnectsByReason, "reason")).includes("client_close"));
    // The instance variable lists the service's pods only: the probe's instance (the probed URL) is no pod.
    const variable = instanceVariable(settings);
    assert.deepEqual(await stack.prometheus.labelValues(variable.label, variable.match), [stack.service.address]);
  });

  test("saturation panels: CPU, memory, file descriptors and event-loop lag as the process reports them", async () => {
    const panel = async (title: string) => {
      const samples = await stack.prometheus.query(panelQuery(settings, RATE_WINDOW, title).expr);
      assert.equal(samples.length, 1, `${title}: one series (one instance)`);
      return samples[0].value;
    };
    const [cpu, memory, fds, lag] = await Promise.all(["CPU", "Resident memory", "File descriptors in use", "Event-loop lag (p99)"].map(panel));
    // What the process itself reports now, a scrape interval or so after Prometheus' last sample.
    const text = await (await fetchWithin(`${stack.service.url}${settings.scrape.metricsPath}`)).text();
    const own = (metric: string) => Number(new RegExp(`^${metric} (\\S+)$`, "m").exec(text)?.[1]);
    const m = settings.metrics;
    assert.ok(cpu > 0 && cpu < availableParallelism(), `CPU ${cpu}: busy, below the machine's ${availableParallelism()} cores`);
    assert.ok(Math.abs(memory - own(m.residentMemory)) / own(m.residentMemory) < 0.25, `resident memory ${memory} vs ${own(m.residentMemory)} reported`);
    assert.ok(Math.abs(fds - own(m.openFds) / own(m.maxFds)) <= 20 / own(m.maxFds), `fd usage ${fds} vs ${own(m.openFds)}/${own(m.maxFds)} reported`);
    assert.ok(lag >= 0 && Math.abs(lag - own(m.eventLoopLag)) < 0.1, `event-loop lag ${lag}s vs ${own(m.eventLoopLag)}s reported`);
  });

  test("pint, online against this Prometheus (series present, their labels, retention against the objectives' windows): no Bug, no Warning; a period longer than it keeps data is one", async () => {
    const run = await pintRendered(stack.services, stack.prometheus.baseUrl);
    assert.deepEqual([run.code, run.problems], [0, []], run.summary);
    // The harness keeps 30d and a quarter, as the local and docker platforms do for the default period.
    const tooLong = await pintRendered(stack.settingsWith({ sloPeriod: "90d" }), stack.prometheus.baseUrl);
    assert.ok(tooLong.code === 1 && tooLong.problems.includes("Warning: query beyond configured retention (promql/range_query)"), tooLong.summary);
  });

  test("killed service: up 0, probe_success 0 of both probes, WebSocketServiceDown; the count panels go blank", async () => {
    await stack.service.process.stop("SIGKILL");
    const q = queries(settings);
    await expectQueryValue(q.scrapeUp, 0, "up 0 after the service was killed");
    await expectQueryValue(q.healthProbe, 0, "probe_success 0 after the service was killed");
    await expectQueryValue(q.upgradeProbe!, 0, "the upgrade probe's probe_success 0 after the service was killed (a refused connection)");
    const truths = await alertTruths(settings, Date.now() / 1000);
    assert.equal(truths[ALERT_NAMES.serviceDown], true);
    // No data is WebSocketServiceDown's job: the connection alerts stay quiet.
    assert.equal(truths[ALERT_NAMES.noActiveConnections], false);
    assert.equal(await single(panelQuery(settings, RATE_WINDOW, PANEL_TITLES.activeConnections).expr), undefined);
  });
});
