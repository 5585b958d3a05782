/**
 * The stack's data path on real processes, all on 127.0.0.1: the reference service, Debian's
 * blackbox exporter with prometheus/blackbox.yml, and Debian's Prometheus with the scrape config
 * and rules rendered for the e2e fixture stack (test/fixtures/Pulumi.e2e.yaml). Used by the
 * end-to-end test and the benchmark.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Settings } from "../../config/settings";
import { PROJECT_DIR } from "../../config/stackFile";
import { queries } from "../../promql/queries";
import { RENDERED, writeRenderedFiles } from "../../scripts/renderedFiles";
import { FIXTURES_DIR, loadSettings } from "../../scripts/stackSettings";
import { PATHS } from "../../service/contract";
import { pollUntil } from "./poll";
import { ServerProcess, freePort, tsNodeArgs } from "./processes";
import { PrometheusApi } from "./prometheusApi";

const START_TIMEOUT_MS = 20_000;

export interface ReferenceService {
  process: ServerProcess;
  /** http://host:port */
  url: string;
  /** host:port, as a scrape target. */
  address: string;
  wsUrl: string;
  setHealthy(healthy: boolean): Promise<void>;
}

export async function startReferenceService(): Promise<ReferenceService> {
  const child = new ServerProcess("reference service", process.execPath, tsNodeArgs("service/main.ts", "--port", "0"));
  try {
    const [, url] = await child.waitForOutput(/listening on (http:\/\/\S+)/, START_TIMEOUT_MS);
    return {
      process: child,
      url,
      address: new URL(url).host,
      wsUrl: `${url.replace(/^http/, "ws")}${PATHS.websocket}`,
      async setHealthy(healthy) {
        const res = await fetch(`${url}${PATHS.adminHealth}?status=${healthy ? "healthy" : "unhealthy"}`, { method: "POST" });
        if (!res.ok) throw new Error(`admin health: HTTP ${res.status}`);
      },
    };
  } catch (err) {
    await child.stop("SIGKILL");
    throw err;
  }
}

/** Starts a server on a free port and waits until `readyPath` answers 200. */
async function startHttpServer(name: string, command: string, args: (port: number) => string[], readyPath: string) {
  const port = await freePort();
  const child = new ServerProcess(name, command, args(port));
  const address = `127.0.0.1:${port}`;
  try {
    await pollUntil(`${name} ready`, async () => (await fetch(`http://${address}${readyPath}`)).ok, (ok) => ok, { timeoutMs: START_TIMEOUT_MS });
  } catch (err) {
    await child.stop("SIGKILL");
    throw new Error(`${(err as Error).message}\n${child.output()}`);
  }
  return { process: child, address };
}

export interface MonitoringStack {
  settings: Settings;
  service: ReferenceService;
  prometheus: PrometheusApi;
  /** When Prometheus had scraped both jobs once (ms since epoch): its data starts about then. */
  firstScrapeAt: number;
  /** The same stack's settings with more config overrides (e.g. to query with other metric names). */
  settingsWith(overrides: Record<string, string>): Settings;
  /** Stops every process and removes the temporary directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the three processes for the e2e fixture stack and waits for Prometheus' first scrape of both jobs. */
export async function startMonitoringStack(): Promise<MonitoringStack> {
  const dir = mkdtempSync(path.join(tmpdir(), "websocket-monitoring-e2e-"));
  const removeDir = () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  // Also when interrupted: processes.ts kills the servers on exit, this removes their files.
  process.once("exit", removeDir);
  const started: ServerProcess[] = [];
  const stop = async () => {
    for (const p of [...started].reverse()) await p.stop();
    removeDir();
    process.removeListener("exit", removeDir);
  };
  try {
    const service = await startReferenceService();
    started.push(service.process);
    const blackbox = await startHttpServer(
      "blackbox exporter",
      "prometheus-blackbox-exporter",
      (port) => [`--config.file=${path.join(PROJECT_DIR, "prometheus", "blackbox.yml")}`, `--web.listen-address=127.0.0.1:${port}`],
      "/-/healthy",
    );
    started.push(blackbox.process);

    // The addresses are known only now: set as `npm run render -- --set` would.
    const base = { targets: JSON.stringify([service.address]), blackboxExporter: blackbox.address };
    const settingsWith = (more: Record<string, string>) => loadSettings("e2e", { ...base, ...more }, FIXTURES_DIR);
    const settings = settingsWith({});
    writeRenderedFiles(settings, dir);
    const server = await startHttpServer(
      "prometheus",
      "prometheus",
      (port) => [
        `--config.file=${path.join(dir, RENDERED.scrapeConfig)}`,
        `--storage.tsdb.path=${path.join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      "/-/ready",
    );
    started.push(server.process);
    const prometheus = new PrometheusApi(`http://${server.address}`);

    const q = queries(settings);
    const scraped = async () => (await prometheus.query(`${q.scrapeUp} == 1 or ${q.healthProbe} == 1`)).length;
    await pollUntil("first scrape of the service and its health probe", scraped, (n) => n === 2, { timeoutMs: START_TIMEOUT_MS });
    return { settings, service, prometheus, firstScrapeAt: Date.now(), settingsWith, stop };
  } catch (err) {
    const logs = started.map((p) => p.output()).join("\n");
    await stop();
    throw new Error(`${(err as Error).message}\n${logs}`);
  }
}
