/**
 * The dashboard on a Prometheus other teams share (real processes, stack test/fixtures/Pulumi.e2e.yaml
 * with the heartbeat on): beside the stack's jobs, Prometheus scrapes another team's WebSocket
 * service (`chat`, the same metric names, failing its health probe and closing connections with
 * errors), its health probe (`chat-health`) and the blackbox exporter's own process (`node`), and
 * evaluates their always-firing alerts. The dashboard must still show this stack only: the
 * variables offer its jobs and pods, "All" reaches no other job, a picked pod leaves the probe
 * panels whole, the SLO panels give the service's objective whatever is picked, and the alert
 * annotation marks this stack's alerts, never the heartbeat nor another team's or environment's.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ALERT_NAMES } from "../../alerts/vocabulary";
import type { Settings } from "../../config/settings";
import { SLO_PANELS } from "../../dashboards/ids";
import { PANEL_TITLES } from "../../dashboards/websocket";
import { deadlineMs } from "../../harness/bounds";
import { LoadGenerator } from "../../harness/load";
import { startMonitoringStack, type MonitoringStack } from "../../harness/monitoringStack";
import { pollUntil } from "../../harness/poll";
import { startReferenceService, type ReferenceService } from "../../harness/servers";
import { slos } from "../../slo/model";
import { ALL, annotationQuery, panelQueries, pickedValue, variableQuery } from "../support/dashboardQueries";

/** Stands in for Grafana's $__rate_interval. */
const RATE_WINDOW = "1m";
const FOREIGN_JOBS = ["chat", "chat-health", "node"];
/** The probe jobs' targets (panel, refId, which probe): they must not depend on the pod picked. */
const PROBE_TARGETS = [[PANEL_TITLES.healthProbe, "A", "health"], [PANEL_TITLES.healthProbe, "B", "upgrade"], [PANEL_TITLES.scrapeUp, "B", "health"], [PANEL_TITLES.scrapeDuration, "B", "health"]] as const;

describe("the dashboard on a Prometheus other teams share", { timeout: 180_000 }, () => {
  let chat: ReferenceService;
  let stack: MonitoringStack;
  let s: Settings;
  let probed: string;

  before(async () => {
    chat = await startReferenceService();
    stack = await startMonitoringStack({
      // Turns the always-firing heartbeat rule on; no Alertmanager runs, so nothing is sent there.
      secrets: { heartbeatUrl: "http://127.0.0.1:9/heartbeat" },
      foreign: (blackbox) => ({
        scrapeConfigs: [
          { job_name: "chat", scrape_interval: "1s", scrape_timeout: "1s", metrics_path: "/ws/metrics", static_configs: [{ targets: [chat.address] }] },
          {
            job_name: "chat-health", scrape_interval: "1s", scrape_timeout: "1s", metrics_path: "/probe", params: { module: ["websocket_health"] },
            static_configs: [{ targets: [`${chat.url}/ws/health`] }],
            relabel_configs: [
              { source_labels: ["__address__"], target_label: "__param_target" },
              { source_labels: ["__param_target"], target_label: "instance" },
              { target_label: "__address__", replacement: blackbox },
            ],
          },
          { job_name: "node", scrape_interval: "1s", scrape_timeout: "1s", static_configs: [{ targets: [blackbox] }] },
        ],
        ruleGroups: [
          {
            name: "other-teams",
            interval: "1s",
            rules: [
              { alert: "ChatDown", expr: "vector(1)", labels: { service: "chat", environment: "e2e", severity: "critical" } },
              // This stack's alert name and service, another environment's Prometheus rules.
              { alert: ALERT_NAMES.noActiveConnections, expr: "vector(1)", labels: { service: "websocket", environment: "staging", severity: "critical" } },
            ],
          },
        ],
      }),
    });
    s = stack.settings;
    probed = `${s.scrape.scheme}://${stack.service.address}${s.scrape.healthPath}`;
    // increase() needs a sample from before each close: wait until Prometheus has the counters, the other team's error closes at 0
    // (this service's clean closes may have begun: its upgrade probe closes normally every second).
    const counted = async () => (await stack.prometheus.query(
      `websocket_disconnections_total{job="chat", reason="error"} == 0 or websocket_disconnections_total{job="${s.scrape.jobName}", reason="client_close"} >= 0`,
    )).length;
    await pollUntil("both services' disconnection counters scraped at 0", counted, (n) => n === 2, { timeoutMs: deadlineMs(5000) });
    // The other team's service fails its probe and loses a connection with an error; this one closes one cleanly.
    await chat.setHealthy(false);
    const chatLoad = new LoadGenerator(chat.wsUrl);
    await chatLoad.setConnections(1);
    chatLoad.terminateAll();
    const load = new LoadGenerator(stack.service.wsUrl);
    await load.setConnections(1);
    await load.setConnections(0);
    const visible = async () => (await stack.prometheus.query(
      `(probe_success{job="chat-health"} == 0) and on () (increase(websocket_disconnections_total{job="chat", reason="error"}[1m]) > 0) and on () (increase(websocket_disconnections_total{job="${s.scrape.jobName}", reason="client_close"}[1m]) > 0)`,
    )).length;
    await pollUntil("the failing foreign probe, its error close and this service's clean close in Prometheus", visible, (n) => n > 0, { timeoutMs: deadlineMs(5000) });
  });

  after(async () => {
    await stack?.stop();
    await chat?.process.stop();
  });

  const labelValues = async (name: string) => {
    const v = variableQuery(s, name);
    return stack.prometheus.labelValues(v.label, v.match);
  };

  test("Job offers only the service's jobs (metrics, health and upgrade probes), Instance only its pods, though Prometheus holds other jobs", async () => {
    const everyJob = await stack.prometheus.labelValues("job", "up");
    for (const job of FOREIGN_JOBS) assert.ok(everyJob.includes(job), `foreign job ${job} is not scraped: ${everyJob}`);
    assert.deepEqual(await labelValues("job"), [s.scrape.jobName, s.scrape.healthJobName, s.scrape.upgradeProbe!.jobName].sort());
    assert.deepEqual(await labelValues("instance"), [stack.service.address]);
  });

  test("All jobs and instances: every panel has data, of this stack's jobs and targets only", async () => {
    const own = new Set([s.scrape.jobName, s.scrape.healthJobName, s.scrape.upgradeProbe!.jobName]);
    const targets = new Set([stack.service.address, probed]);
    const foreignCpu = await stack.prometheus.query("count by (job) (process_cpu_seconds_total)");
    assert.ok(foreignCpu.some((x) => x.labels.job === "node") && foreignCpu.some((x) => x.labels.job === "chat"), "the foreign jobs export the same process metrics");
    for (const q of panelQueries(s, RATE_WINDOW, { job: ALL, instance: ALL })) {
      const samples = await stack.prometheus.query(q.expr);
      assert.ok(samples.length > 0, `panel '${q.panel}' ${q.refId} returns no data: ${q.expr}`);
      for (const { labels } of samples) {
        assert.ok(labels.job === undefined || own.has(labels.job), `panel '${q.panel}' ${q.refId} shows job ${labels.job}: ${q.expr}`);
        assert.ok(labels.instance === undefined || targets.has(labels.instance), `panel '${q.panel}' ${q.refId} shows instance ${labels.instance}: ${q.expr}`);
      }
    }
  });

  test("a pod picked: the probe's targets still show the probe, every other panel that pod", async () => {
    const queries = panelQueries(s, RATE_WINDOW, { job: ALL, instance: pickedValue(stack.service.address) });
    // The upgrade probe's instance is the service's host:port, as the pod's is here; on Kubernetes the Service's.
    const expected = { health: [s.scrape.healthJobName, probed], upgrade: [s.scrape.upgradeProbe!.jobName, stack.service.address] };
    for (const [panel, refId, probe] of PROBE_TARGETS) {
      const q = queries.find((x) => x.panel === panel && x.refId === refId)!;
      const samples = await stack.prometheus.query(q.expr);
      assert.deepEqual(samples.map((x) => [x.labels.job, x.labels.instance]), [expected[probe]], `${panel} ${refId}: ${q.expr}`);
    }
    for (const q of queries.filter((x) => !SLO_PANELS.has(x.id))) assert.ok((await stack.prometheus.query(q.expr)).length > 0, `panel '${q.panel}' ${q.refId} is empty with the pod picked: ${q.expr}`);
  });

  test("the SLO panels give the service's objective whatever jobs and instances are picked", async () => {
    const time = Date.now() / 1000;
    const picks: Record<string, string>[] = [
      {},
      { job: ALL, instance: ALL },
      { job: pickedValue(s.scrape.jobName), instance: pickedValue(stack.service.address) },
      { job: pickedValue(s.scrape.healthJobName), instance: pickedValue(probed) },
      { job: "chat|chat-health", instance: ALL },
    ];
    const values = async (pick: Record<string, string>) =>
      Promise.all(panelQueries(s, RATE_WINDOW, pick).filter((q) => SLO_PANELS.has(q.id)).map(async (q) => [q.panel, q.refId, (await stack.prometheus.query(q.expr, time)).map((x) => x.value)]));
    const expected = await values({});
    for (const pick of picks.slice(1)) assert.deepEqual(await values(pick), expected, `SLO panels with ${JSON.stringify(pick)}`);
    // The service's own: every probe healthy, every close clean, though the other team's fail.
    const sli = (slo: string) => expected.find(([panel]) => panel === `${slo}: SLI over ${s.alerts.objectives.period.text}`)![2];
    assert.deepEqual([sli("availability"), sli("connections")], [[1], [1]]);
    for (const slo of slos(s)) {
      const everyJob = slo.errorRatio("1m").replace(/job=~?"[^"]*"/g, 'job=~".+"');
      const [all] = await stack.prometheus.query(everyJob, time);
      assert.ok(all && all.value > 0, `${slo.name}: over every job the error ratio is ${all?.value}, so the foreign job would show`);
    }
  });

  test("the alert annotation marks this stack's alerts, never the heartbeat nor another team's or environment's", async () => {
    const firing = async () => (await stack.prometheus.query('ALERTS{alertstate="firing"}')).map((x) => `${x.labels.alertname} ${x.labels.service} ${x.labels.environment}`);
    const all = [`${ALERT_NAMES.heartbeat} websocket e2e`, "ChatDown chat e2e", `${ALERT_NAMES.noActiveConnections} websocket staging`, `${ALERT_NAMES.noActiveConnections} websocket e2e`];
    await pollUntil("the heartbeat, the foreign alerts and this stack's idle alert firing", firing, (f) => all.every((a) => f.includes(a)), { timeoutMs: deadlineMs(10_000) });
    const marked = (await stack.prometheus.query(annotationQuery(s))).map((x) => `${x.labels.alertname} ${x.labels.service} ${x.labels.environment}`);
    assert.deepEqual(marked, [`${ALERT_NAMES.noActiveConnections} websocket e2e`]);
  });
});
