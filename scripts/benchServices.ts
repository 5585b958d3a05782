/**
 * `npm run bench`, figure 6: what a stack costs as its services grow, for 1, 10 and 50 services,
 * each as a ratio to one service in the same run: the render time of every file, the program's
 * time and resource count on Pulumi's mock engine (prod with `services`), and a real Prometheus'
 * rule evaluation time per evaluation (the sum over its groups of
 * prometheus_rule_group_last_duration_seconds; the rules fixture with `services`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { loadStackConfig } from "../config/stackFile";
import type { RawConfig } from "../config/rawConfig";
import { validateServices } from "../config/validate";
import { fetchWithin } from "../harness/bounds";
import { pollUntil } from "../harness/poll";
import { startPrometheus } from "../harness/servers";
import { RENDERED, renderedFiles, writeRenderedFiles } from "../render/renderedFiles";
import { FIXTURES_DIR } from "../render/stackSettings";
import { runStack } from "../test/support/mockStack";
import { TEST_SECRETS, stackRawConfig } from "../test/support/stacks";

export const SERVICE_COUNTS = [1, 10, 50];
const RENDER_RUNS = 5;
/** Evaluations of every group before the figure is read: the first ones load the series. */
const EVALUATIONS = 3;

/** `raw` with `n` listed services where its one service was, each its own target (nothing listens there: its rules evaluate all the same). */
function withServices(raw: RawConfig, n: number, place: (i: number) => Record<string, unknown>): RawConfig {
  const { targets: _t, healthUrl: _h, k8sServiceSelector: _k, ...rest } = raw.values;
  const list = Array.from({ length: n }, (_, i) => ({ name: `service-${i}`, ...place(i) }));
  return { ...raw, values: { ...rest, services: JSON.stringify(list) } };
}

const prodWith = (n: number) =>
  withServices(stackRawConfig("prod"), n, (i) => ({ healthUrl: `http://service-${i}.realtime.svc:8080/ws/health`, k8sServiceSelector: { app: `service-${i}` } }));

function rulesStackWith(n: number): RawConfig {
  const raw = loadStackConfig("rules", { placeholderSecrets: true }, FIXTURES_DIR);
  const fast = { ...raw, values: { ...raw.values, alertEngine: "prometheus", scrapeInterval: "5s", scrapeTimeout: "5s", alertEvaluationInterval: "5s" } };
  return withServices(fast, n, (i) => ({ targets: [`127.0.0.1:${20000 + i}`] }));
}

async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Seconds a Prometheus with the rules of `n` services spends per evaluation of them all. */
async function ruleEvaluationSeconds(n: number): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-bench-services-"));
  try {
    writeRenderedFiles(validateServices(rulesStackWith(n), "rules"), dir);
    const configFile = path.join(dir, RENDERED.scrapeConfig);
    const config = parse(readFileSync(configFile, "utf8")) as Record<string, unknown>;
    delete config.alerting;
    writeFileSync(configFile, stringify(config));
    const server = await startPrometheus(configFile, path.join(dir, "data"));
    try {
      const metrics = async () => (await (await fetchWithin(`http://${server.address}/metrics`)).text()).split("\n");
      const counts = (lines: string[]) => lines.filter((l) => l.startsWith("prometheus_rule_group_iterations_total{")).map((l) => Number(l.split(" ")[1]));
      const { value } = await pollUntil(`${EVALUATIONS} evaluations of every rule group of ${n} services`, metrics, (l) => counts(l).length > 0 && Math.min(...counts(l)) >= EVALUATIONS, {
        timeoutMs: 120_000,
        intervalMs: 500,
      });
      return value.filter((l) => l.startsWith("prometheus_rule_group_last_duration_seconds{")).reduce((sum, l) => sum + Number(l.split(" ")[1]), 0);
    } finally {
      await server.process.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function servicesCost(): Promise<void> {
  console.log(`6) cost as the services grow (${SERVICE_COUNTS.join(", ")} services), each as a ratio to one service`);
  const rows: { n: number; renderMs: number; programMs: number; resources: number; evaluationS: number }[] = [];
  for (const n of SERVICE_COUNTS) {
    const services = validateServices(prodWith(n), "prod");
    const renderMs = median(await Promise.all(Array.from({ length: RENDER_RUNS }, () => timed(() => renderedFiles(services)).then((t) => t.ms))));
    const program = await timed(() => runStack("prod", { ...prodWith(n), secretKeys: new Set(Object.keys(TEST_SECRETS.prod)) }));
    const evaluationS = await ruleEvaluationSeconds(n);
    rows.push({ n, renderMs, programMs: program.ms, resources: program.value.resources.length, evaluationS });
  }
  const one = rows[0];
  for (const r of rows) {
    console.log(
      `   ${String(r.n).padStart(2)} services: render ${r.renderMs.toFixed(0)} ms (x${(r.renderMs / one.renderMs).toFixed(1)}), ` +
        `program ${r.programMs.toFixed(0)} ms (x${(r.programMs / one.programMs).toFixed(1)}) for ${r.resources} resources (x${(r.resources / one.resources).toFixed(1)}), ` +
        `rule evaluation ${(r.evaluationS * 1000).toFixed(1)} ms (x${(r.evaluationS / one.evaluationS).toFixed(1)})`,
    );
  }
}
