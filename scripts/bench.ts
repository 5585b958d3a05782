/**
 * `npm run bench` (no arguments): prints two figures (not a test; nothing is asserted).
 * 1. Detection latency: from the last client leaving until Prometheus, evaluating the rendered
 *    rules, reports WebSocketNoActiveConnections firing (stack test/fixtures/Pulumi.e2e.yaml).
 *    It lies between the best case, the pending period (the drop is scraped and evaluated at
 *    once), and the worst-case bound scrape interval + evaluation interval + pending period.
 * 2. Cost of one scrape of the reference service's /ws/metrics at 1k and 10k open connections.
 * Everything runs on 127.0.0.1, in bounded loops, and is stopped at the end.
 */
import { parseArgs } from "node:util";
import { ALERT_NAMES } from "../alerts/definitions";
import { queries } from "../promql/queries";
import { PATHS } from "../service/contract";
import { LoadGenerator } from "../test/support/load";
import { startMonitoringStack, startReferenceService, type MonitoringStack } from "../test/support/monitoringStack";
import { pollUntil } from "../test/support/poll";
import { runCommand } from "../test/support/processes";

const DETECTION_RUNS = 3;
const CLIENTS_BEFORE_DROP = 20;
const SCRAPE_LOADS = [1_000, 10_000];
const WARMUP_SCRAPES = 5;
const MEASURED_SCRAPES = 50;
/** File descriptors each process needs besides one per connection. */
const FD_HEADROOM = 200;

const USAGE = `usage: npm run bench   (no arguments; a few minutes on 127.0.0.1)
  prints the detection latency of ${ALERT_NAMES.noActiveConnections} against its best case and worst-case bound,
  and the cost of one scrape of the reference service at ${SCRAPE_LOADS.join(" and ")} open connections`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

async function detectionLatency(stack: MonitoringStack): Promise<void> {
  const s = stack.settings;
  const bestMs = s.alerts.noConnectionsFor.seconds * 1000;
  const worstMs = (s.scrape.interval.seconds + s.alerts.evaluationInterval.seconds) * 1000 + bestMs;
  console.log(
    `1) detection latency of ${ALERT_NAMES.noActiveConnections}: scrape ${s.scrape.interval.text}, evaluation ${s.alerts.evaluationInterval.text}, ` +
      `pending ${s.alerts.noConnectionsFor.text}\n   best case = pending = ${seconds(bestMs)}; ` +
      `worst-case bound = scrape + evaluation + pending = ${seconds(worstMs)}`,
  );
  const load = new LoadGenerator(stack.service.wsUrl);
  const total = queries(s).activeConnections;
  const noActive = async () => (await stack.prometheus.alerts()).find((a) => a.labels.alertname === ALERT_NAMES.noActiveConnections);
  const waitLimit = { timeoutMs: 3 * worstMs };
  const ratios: number[] = [];
  try {
    for (let run = 1; run <= DETECTION_RUNS; run++) {
      await load.setConnections(CLIENTS_BEFORE_DROP);
      await pollUntil("clients counted", async () => (await stack.prometheus.query(total))[0]?.value, (v) => v === CLIENTS_BEFORE_DROP, waitLimit);
      await pollUntil("alert inactive before the drop", noActive, (a) => a === undefined, waitLimit);
      await load.setConnections(0);
      const { elapsedMs } = await pollUntil("alert firing", noActive, (a) => a?.state === "firing", { ...waitLimit, intervalMs: 50 });
      ratios.push(elapsedMs / worstMs);
      console.log(`   run ${run}: ${seconds(elapsedMs)}, ratio to the worst-case bound ${(elapsedMs / worstMs).toFixed(2)}`);
    }
  } finally {
    load.terminateAll();
  }
  console.log(`   median ratio to the worst-case bound ${median(ratios).toFixed(2)} (best case ${(bestMs / worstMs).toFixed(2)})`);
}

async function openFileLimit(): Promise<number> {
  const result = await runCommand("sh", ["-c", "ulimit -n"]);
  return result.stdout.trim() === "unlimited" ? Infinity : Number(result.stdout.trim());
}

async function scrapeCost(): Promise<void> {
  const limit = await openFileLimit();
  const loads = SCRAPE_LOADS.filter((n) => n + FD_HEADROOM <= limit);
  console.log(`2) cost of one scrape of ${PATHS.metrics} (mean of ${MEASURED_SCRAPES} scrapes after ${WARMUP_SCRAPES} warm-up; ulimit -n ${limit})`);
  for (const n of SCRAPE_LOADS.filter((x) => !loads.includes(x))) {
    console.log(`   ${n} connections: skipped, needs ulimit -n >= ${n + FD_HEADROOM} (run 'ulimit -n ${n + FD_HEADROOM}' first)`);
  }
  const service = await startReferenceService();
  const load = new LoadGenerator(service.wsUrl);
  const metricsUrl = `${service.url}${PATHS.metrics}`;
  const results = new Map<number, { ms: number; bytes: number }>();
  try {
    for (const n of loads) {
      await load.setConnections(n);
      let totalMs = 0;
      let bytes = 0;
      for (let i = 0; i < WARMUP_SCRAPES + MEASURED_SCRAPES; i++) {
        const start = performance.now();
        const body = await (await fetch(metricsUrl)).text();
        if (i < WARMUP_SCRAPES) continue;
        totalMs += performance.now() - start;
        bytes = Buffer.byteLength(body);
      }
      results.set(n, { ms: totalMs / MEASURED_SCRAPES, bytes });
      console.log(`   ${n} connections: ${(totalMs / MEASURED_SCRAPES).toFixed(2)} ms per scrape, ${bytes} bytes`);
    }
  } finally {
    load.terminateAll();
    await service.process.stop();
  }
  const [small, large] = SCRAPE_LOADS.map((n) => results.get(n));
  if (small && large) {
    console.log(`   ratio ${SCRAPE_LOADS[1]}/${SCRAPE_LOADS[0]}: time ${(large.ms / small.ms).toFixed(2)}, bytes ${(large.bytes / small.bytes).toFixed(2)}`);
  }
}

async function main(): Promise<void> {
  let help: boolean | undefined;
  try {
    ({ values: { help } } = parseArgs({ options: { help: { type: "boolean", short: "h" } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (help) {
    console.log(USAGE);
    return;
  }
  const stack = await startMonitoringStack();
  try {
    await detectionLatency(stack);
  } finally {
    await stack.stop();
  }
  await scrapeCost();
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
