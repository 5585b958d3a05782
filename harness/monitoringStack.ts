/**
 * The stack's data and alert paths on real processes, all on 127.0.0.1: the reference service,
 * Debian's blackbox exporter with prometheus/blackbox.yml, Debian's Prometheus with the scrape
 * config and rules rendered for the e2e fixture stack (test/fixtures/Pulumi.e2e.yaml), and on
 * request Debian's Alertmanager with the rendered alertmanager.yml. Used by the end-to-end tests
 * and the benchmark.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { onPlatform, type Settings } from "../config/settings";
import { PROJECT_DIR } from "../config/stackFile";
import { queries } from "../promql/queries";
import { RENDERED, scrapeConfigFile, writeRenderedFiles } from "../scripts/renderedFiles";
import { prometheusConfig } from "../scrape/model";
import { FIXTURES_DIR, settingsFromStackFile } from "../scripts/stackSettings";
import { PATHS } from "../service/contract";
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

/** On `port`, or on any free one (0). */
export async function startReferenceService(port = 0): Promise<ReferenceService> {
  const child = new ServerProcess("reference service", process.execPath, tsNodeArgs("service/main.ts", "--port", String(port)));
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

/** Starts a server on `port` (by default a free one) and waits until `readyPath` answers 200. */
async function startHttpServer(name: string, command: string, args: (port: number) => string[], readyPath: string, port?: number) {
  port ??= await freePort();
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

/** Debian's Alertmanager with the alertmanager.yml rendered for `settings`, on their `alertmanagerPort`. */
async function startAlertmanager(settings: Settings, dir: string) {
  writeRenderedFiles(settings, dir);
  return startHttpServer(
    "alertmanager",
    "prometheus-alertmanager",
    (port) => [
      `--config.file=${path.join(dir, RENDERED.alertmanager)}`,
      `--storage.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // No cluster: no gossip port to collide with, and no waiting for peers before notifying.
      "--cluster.listen-address=",
    ],
    "/-/ready",
    onPlatform(settings, "local").local.alertmanagerPort,
  );
}

export interface AlertmanagerOptions {
  /** Config overrides for this Alertmanager only, e.g. its operational hours. */
  overrides?: Record<string, string>;
  /** Secrets of its settings, e.g. `webhookUrl`: where it notifies. */
  secrets?: Record<string, string>;
}

export interface Alertmanager {
  /** The settings its alertmanager.yml was rendered from. */
  settings: Settings;
  url: string;
  /** The active alerts it holds, notified or muted (API v2). */
  alerts(): Promise<{ labels: Record<string, string> }[]>;
}

/**
 * The rendered prometheus.yml, sending to exactly the given Alertmanagers: each one's target as
 * its own settings render it (and none when there are none, so no stray Alertmanager on the
 * default port gets the test's alerts).
 */
function prometheusFileFor(settings: Settings, alertmanagers: Settings[]): Record<string, unknown> {
  const config = scrapeConfigFile(settings);
  delete config.alerting;
  const targets = alertmanagers.flatMap((s) => (prometheusConfig(s).alerting as { alertmanagers: unknown[] }).alertmanagers);
  return targets.length ? { ...config, alerting: { alertmanagers: targets } } : config;
}

export interface MonitoringStackOptions {
  /** Alertmanagers to start, each with its own settings; Prometheus sends every alert to each. */
  alertmanagers?: AlertmanagerOptions[];
}

export interface MonitoringStack {
  settings: Settings;
  service: ReferenceService;
  prometheus: PrometheusApi;
  alertmanagers: Alertmanager[];
  /** When Prometheus had scraped both jobs once (ms since epoch): its data starts about then. */
  firstScrapeAt: number;
  /** The same stack's settings with more config overrides (e.g. to query with other metric names). */
  settingsWith(overrides: Record<string, string>): Settings;
  /** Starts a new reference service on the port of the (stopped) one and makes it `service`. */
  restartService(): Promise<ReferenceService>;
  /** Stops every process and removes the temporary directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the processes for the e2e fixture stack and waits for Prometheus' first scrape of both jobs. */
export async function startMonitoringStack(options: MonitoringStackOptions = {}): Promise<MonitoringStack> {
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
    const settingsWith = (more: Record<string, string>, secrets: Record<string, string> = {}) =>
      settingsFromStackFile("e2e", { ...base, ...more }, FIXTURES_DIR, secrets);
    const settings = settingsWith({});
    writeRenderedFiles(settings, dir);

    const alertmanagers: Alertmanager[] = [];
    for (const [i, am] of (options.alertmanagers ?? []).entries()) {
      const amSettings = settingsWith({ ...am.overrides, alertmanagerPort: String(await freePort()) }, am.secrets);
      const server = await startAlertmanager(amSettings, path.join(dir, `alertmanager-${i}`));
      started.push(server.process);
      const url = `http://${server.address}`;
      const alerts = async () => (await (await fetch(`${url}/api/v2/alerts`)).json()) as { labels: Record<string, string> }[];
      alertmanagers.push({ settings: amSettings, url, alerts });
    }
    const prometheusFile = path.join(dir, RENDERED.scrapeConfig);
    writeFileSync(prometheusFile, stringify(prometheusFileFor(settings, alertmanagers.map((a) => a.settings))));

    const server = await startHttpServer(
      "prometheus",
      "prometheus",
      (port) => [
        `--config.file=${prometheusFile}`,
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
    const stack: MonitoringStack = {
      settings,
      service,
      prometheus,
      alertmanagers,
      firstScrapeAt: Date.now(),
      settingsWith,
      async restartService() {
        const next = await startReferenceService(Number(new URL(stack.service.url).port));
        started.push(next.process);
        stack.service = next;
        return next;
      },
      stop,
    };
    return stack;
  } catch (err) {
    const logs = started.map((p) => p.output()).join("\n");
    await stop();
    throw new Error(`${(err as Error).message}\n${logs}`);
  }
}
